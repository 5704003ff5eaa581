//! Checks against the published real-world material in ../shared/corpus, read at test time (never
//! copied into the repository). Run by `.ci/run` after the main suite: `cargo test --test corpus`.
//! A missing corpus is a failure with a message, never a skip.

mod guards;

use std::fs;
use std::path::{Path, PathBuf};

use bucketfence::fence::merge::{merge, MergeKind};
use bucketfence::fence::statement::FenceSpec;
use bucketfence::policy::canonical::{self, same_policy, Canonical};
use bucketfence::policy::document::{sid_of, Policy};
use bucketfence::principal::resolve::userid_value_warning;
use serde_json::Value;

fn corpus() -> PathBuf {
    let dir = std::env::var_os("BUCKETFENCE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(
        dir.join("policies").is_dir(),
        "the corpus is not at `{}`: CI lays ../shared beside the checkout; set BUCKETFENCE_CORPUS to run elsewhere",
        dir.display()
    );
    dir
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn policy_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// What S3 does to a stored policy (AWS-FACTS.md 5): compact, one-element lists as scalars, lists
/// reversed, JSON booleans and numbers in conditions as strings, account principals as root ARNs.
fn s3_rewrite(value: &Value, in_aws_principal: bool, in_condition: bool) -> Value {
    match value {
        Value::Array(items) if items.len() == 1 => {
            s3_rewrite(&items[0], in_aws_principal, in_condition)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .rev()
                .map(|v| s3_rewrite(v, in_aws_principal, in_condition))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let aws = k == "AWS";
                    let cond = in_condition || k == "Condition";
                    (k.clone(), s3_rewrite(v, aws, cond))
                })
                .collect(),
        ),
        Value::String(s)
            if in_aws_principal && s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Value::String(format!("arn:aws:iam::{s}:root"))
        }
        Value::Bool(b) if in_condition => Value::String(b.to_string()),
        Value::Number(n) if in_condition => Value::String(n.to_string()),
        other => other.clone(),
    }
}

fn fence() -> serde_json::Map<String, Value> {
    FenceSpec::default().statement(
        "aws",
        "amzn-s3-demo-bucket",
        &["AROAEXAMPLEID:*".into(), "111122223333".into()],
    )
}

#[test]
fn every_published_policy_parses_round_trips_and_survives_the_merge() {
    let files = policy_files();
    assert!(
        files.len() >= 55,
        "expected the 55 published policies, found {}",
        files.len()
    );
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let text = read(path);
        let policy = Policy::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Lossless: the tree we write is the tree we read, key order included.
        let tree: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            policy.to_compact(),
            serde_json::to_string(&tree).unwrap(),
            "{name}"
        );
        let reparsed = Policy::parse(&policy.to_pretty()).unwrap();
        assert_eq!(
            Canonical::of(&reparsed),
            Canonical::of(&policy),
            "{name}: serializing unchanged"
        );
        let rewritten = Policy::from_value(s3_rewrite(&tree, false, false)).unwrap();
        assert_eq!(
            Canonical::of(&rewritten),
            Canonical::of(&policy),
            "{name}: S3-style rewrite"
        );

        let once = merge(Some(&policy), fence()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(once.kind, MergeKind::AddFence, "{name}");
        let original = policy.statements();
        let proposed = once.proposed.statements();
        assert_eq!(proposed.len(), original.len() + 1, "{name}");
        for (i, s) in original.iter().enumerate() {
            assert_eq!(proposed[i], *s, "{name}: statement {i} kept exactly");
        }
        assert_eq!(
            once.proposed.version(),
            policy.version(),
            "{name}: Version never changed"
        );
        let twice = merge(Some(&once.proposed), fence()).unwrap();
        assert_eq!(twice.kind, MergeKind::Unchanged, "{name}");
        assert_eq!(
            twice.proposed, once.proposed,
            "{name}: merging twice equals merging once"
        );
    }
}

/// Pairs where this tool's answer differs from the upstream library's, and why.
const STRICTER: [(&str, &str); 7] = [
    ("001", "invalid JSON: an error is the right answer"),
    (
        "032",
        "`Statement` is a number: not a policy, so an error instead of 'equal'",
    ),
    (
        "033",
        "`Resource` is an object: not a policy, so an error instead of 'equal'",
    ),
    (
        "034",
        "`Resource` holds a nested list: not a policy, so an error instead of 'equal'",
    ),
    ("041", "a JSON list is not a policy document"),
    (
        "042",
        "`Resource` holds numbers: S3 would reject it, so an error instead of 'equal'",
    ),
    ("046", "an empty file is not a policy document"),
];

#[test]
fn equivalence_pairs_agree_with_the_published_verdicts() {
    let mut dirs: Vec<PathBuf> = fs::read_dir(corpus().join("equivalence"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 46, "expected 46 pairs, found {}", dirs.len());
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let expected_equal = name.ends_with("-equal");
        let meta = json(&dir.join("meta.json"));
        assert_eq!(
            meta["expected_equivalent"].as_bool(),
            Some(expected_equal),
            "{name}: meta agrees with the name"
        );
        let result = same_policy(&read(&dir.join("a.json")), &read(&dir.join("b.json")));
        match STRICTER.iter().find(|(id, _)| name.starts_with(id)) {
            Some((_, why)) => assert!(result.is_err(), "{name} ({why}): got {result:?}"),
            None => assert_eq!(result, Ok(expected_equal), "{name}"),
        }
    }
}

fn bug(dir: &str) -> (Value, Option<Value>) {
    let path = corpus().join("bugs").join(dir);
    let expected = path.join("expected.json");
    (
        json(&path.join("input.json")),
        expected.exists().then(|| json(&expected)),
    )
}

fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

fn assert_pair_equal(dir: &str, a: &str, b: &str) {
    let (input, expected) = bug(dir);
    if let Some(expected) = expected {
        assert_eq!(expected["semantically_equal"], Value::Bool(true), "{dir}");
    }
    assert_eq!(
        same_policy(&text(&input[a]), &text(&input[b])),
        Ok(true),
        "{dir}"
    );
    // No PUT: merging the fence into either gives the same proposal, and re-planning a policy that
    // already holds it changes nothing.
    let fenced = merge(
        Some(&Policy::from_value(input[a].clone()).unwrap()),
        fence(),
    )
    .unwrap()
    .proposed;
    let read_back = Policy::from_value(s3_rewrite(
        &serde_json::from_str(&fenced.to_compact()).unwrap(),
        false,
        false,
    ))
    .unwrap();
    assert_eq!(
        merge(Some(&read_back), fence()).unwrap().kind,
        MergeKind::Unchanged,
        "{dir}"
    );
}

#[test]
fn bug_01_notprincipal_order_perpetual_diff() {
    assert_pair_equal(
        "01-notprincipal-order-perpetual-diff",
        "written",
        "read_back",
    );
}

#[test]
fn bug_02_single_element_array_collapsed() {
    assert_pair_equal("02-single-element-array-collapsed", "written", "read_back");
}

#[test]
fn bug_03_empty_sid_vs_missing_sid() {
    assert_pair_equal("03-empty-sid-vs-missing-sid", "a", "b");
    let (input, _) = bug("03-empty-sid-vs-missing-sid");
    let merged = merge(
        Some(&Policy::from_value(input["a"].clone()).unwrap()),
        fence(),
    )
    .unwrap();
    assert_eq!(
        merged.proposed.version(),
        Some("2008-10-17"),
        "2008 is never silently upgraded"
    );
}

#[test]
fn bug_04_bool_condition_values_stringified() {
    assert_pair_equal(
        "04-bool-condition-values-stringified",
        "written",
        "read_back",
    );
}

#[test]
fn bug_05_account_id_principal_becomes_root_arn() {
    assert_pair_equal(
        "05-account-id-principal-becomes-root-arn",
        "written",
        "read_back",
    );
    // ...but never inside aws:userId values, where an account ID means the root user.
    let as_arn = fence_with_values(&["arn:aws:iam::111122223333:root"]);
    let as_id = fence_with_values(&["111122223333"]);
    assert_ne!(canonical::statement(&as_arn), canonical::statement(&as_id));
}

fn fence_with_values(values: &[&str]) -> serde_json::Map<String, Value> {
    let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    FenceSpec::default().statement("aws", "amzn-s3-demo-bucket", &values)
}

#[test]
fn bug_06_deleted_role_unique_id_parses_and_nothing_is_dropped() {
    let (input, _) = bug("06-deleted-role-unique-id-invalid-principal");
    let stored = input["get_bucket_policy"]["Policy"].as_str().unwrap();
    let policy = Policy::parse(stored).unwrap();
    let merged = merge(Some(&policy), fence()).unwrap();
    assert_eq!(merged.kept, 2, "statements_silently_removed: 0");
    assert!(merged
        .proposed
        .to_compact()
        .contains("AROA1EXAMPLEROLEID002"));
}

#[test]
fn bug_09_userid_deny_all_round_trips() {
    let (input, expected) = bug("09-userid-deny-all-breaks-other-tools");
    let expected = expected.unwrap();
    let policy = input.get("policy").cloned().unwrap_or(input.clone());
    let parsed = Policy::from_value(policy.clone());
    assert_eq!(parsed.is_ok(), expected["parses"] == Value::Bool(true));
    let parsed = parsed.unwrap();
    assert_eq!(parsed.to_compact(), text(&policy));
    let rewritten = Policy::from_value(s3_rewrite(&policy, false, false)).unwrap();
    assert_eq!(
        Canonical::of(&rewritten) == Canonical::of(&parsed),
        expected["round_trip_equal"] == Value::Bool(true)
    );
}

#[test]
fn bug_10_notprincipal_stays_notprincipal() {
    let (input, _) = bug("10-notprincipal-role-arn-does-not-cover-sessions");
    let policy = input.get("policy").cloned().unwrap_or(input.clone());
    let parsed = Policy::from_value(policy.clone()).unwrap();
    let merged = merge(Some(&parsed), fence()).unwrap();
    let text = merged.proposed.to_compact();
    assert_eq!(
        text.matches("NotPrincipal").count(),
        policy.to_string().matches("NotPrincipal").count()
    );
    let kept = &merged.proposed.statements()[..parsed.statements().len()];
    assert_eq!(
        kept,
        parsed.statements().as_slice(),
        "NotPrincipal statements kept exactly"
    );
}

#[test]
fn bug_11_allowlist_values_that_never_match_are_flagged() {
    let (input, expected) = bug("11-aws-userid-values-role-session-format");
    let classes = expected.unwrap()["allowlist_classification"]
        .as_object()
        .unwrap()
        .clone();
    let candidates = input["allowlist_candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), classes.len());
    for (value, class) in classes {
        let class = class.as_str().unwrap();
        let warned = userid_value_warning(&value).is_some();
        assert_eq!(
            warned,
            class.starts_with("warn"),
            "{value}: expected {class}"
        );
    }
}

#[test]
fn bug_12_merge_keyed_by_sid_drops_statements() {
    let (input, expected) = bug("12-merge-keyed-by-sid-drops-statements");
    let live = Policy::from_value(input["live_policy"].clone()).unwrap();
    let managed = input["managed_statement"].as_object().unwrap().clone();
    let merged = merge(Some(&live), managed.clone()).unwrap();
    assert_eq!(
        merged.proposed.to_compact(),
        text(&expected.unwrap()),
        "exactly the expected document"
    );
    // Merging again with a changed allowlist replaces, never appends a second copy (Custodian's bug).
    let mut changed = managed;
    changed["Condition"]["StringNotLike"]["aws:userId"] =
        serde_json::json!(["AROA1EXAMPLEROLEID009:*"]);
    let again = merge(Some(&merged.proposed), changed).unwrap();
    assert_eq!(again.kind, MergeKind::UpdateFence);
    let sid = input["managed_statement"]["Sid"].as_str().unwrap();
    assert_eq!(
        again
            .proposed
            .statements()
            .iter()
            .filter(|s| sid_of(s) == Some(sid))
            .count(),
        1
    );
}

#[test]
fn the_fenced_version_of_every_published_policy_passes_verification_and_validation() {
    use bucketfence::plan::lint::lint;
    use bucketfence::plan::verify::{verify, VerifyInput};
    use bucketfence::principal::resolve::Resolved;
    use bucketfence::principal::spec::{AllowEntry, Kind};
    let rows = vec![
        Resolved {
            entry: AllowEntry::new(Kind::Role, "deployer"),
            arn: "arn:aws:iam::111122223333:role/ops/deployer".into(),
            value: "AROAEXAMPLEDEPLOYER1:*".into(),
        },
        Resolved {
            entry: AllowEntry::new(Kind::User, "auditor"),
            arn: "arn:aws:iam::111122223333:user/auditor".into(),
            value: "AIDAEXAMPLEAUDITOR01".into(),
        },
        Resolved {
            entry: AllowEntry::new(Kind::Account, "111122223333"),
            arn: "arn:aws:iam::111122223333:root".into(),
            value: "111122223333".into(),
        },
    ];
    let mut allowed: Vec<String> = rows.iter().map(|r| r.value.clone()).collect();
    allowed.sort();
    for actions in [FenceSpec::default().actions, vec!["s3:*".to_string()]] {
        let spec = FenceSpec {
            actions,
            ..FenceSpec::default()
        };
        for path in policy_files() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let policy = Policy::parse(&read(&path)).unwrap();
            let fence = spec.statement("aws", "amzn-s3-demo-bucket", &allowed);
            let merged = merge(Some(&policy), fence.clone()).unwrap().proposed;
            let failures = verify(&VerifyInput {
                fence: &fence,
                bucket: "amzn-s3-demo-bucket",
                partition: "aws",
                account: "111122223333",
                rows: &rows,
                allowed: &allowed,
                actions: &spec.actions,
                exempt_aws_services: true,
            });
            assert_eq!(failures, Vec::<String>::new(), "{name}");
            let owned: Vec<_> = lint(&merged, "amzn-s3-demo-bucket", "aws", &spec.sid)
                .into_iter()
                .filter(|l| l.owned)
                .collect();
            assert_eq!(owned, vec![], "{name}: the fence itself validates");
        }
    }
}
