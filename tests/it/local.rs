//! The main job on a copy of the demo account directory (samples/demo).

use std::fs;

use bucketfence::policy::canonical::same_policy;
use serde_json::Value;

use crate::harness::{command, demo_copy, run};

fn demo_args(dir: &std::path::Path) -> Vec<String> {
    let demo = dir.join("demo");
    vec![
        "--account-dir".into(),
        demo.to_string_lossy().into(),
        "--config".into(),
        demo.join("bucketfence.toml").to_string_lossy().into(),
    ]
}

fn args<'a>(first: &[&'a str], rest: &'a [String]) -> Vec<&'a str> {
    first
        .iter()
        .copied()
        .chain(rest.iter().map(String::as_str))
        .collect()
}

#[test]
fn demo_plan_shows_diffs_and_exits_2() {
    let tmp = demo_copy();
    let rest = demo_args(tmp.path());
    let out = run(command(tmp.path()), &args(&["plan"], &rest)).expect(2);
    assert!(
        out.stdout
            .contains("bucket demo-nopolicy (us-west-2): new policy with the fence"),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("bucket demo-fenced (us-east-1): unchanged"));
    assert!(out
        .stdout
        .contains("bucket demo-stale (us-east-1): update the fence (1 other statement kept)"));
    assert!(
        out.stdout
            .contains("-            \"AIDA5DEMOFORMERADMIN1\","),
        "the removed entry shows in the diff"
    );
    assert!(out
        .stdout
        .contains("Plan: 4 to change, 1 unchanged, 0 skipped."));
    assert!(
        !out.stdout.contains("demo-website"),
        "excluded by the config"
    );
    assert!(
        !out.stdout.contains('\u{1b}'),
        "no colour when NO_COLOR is set and stdout is a pipe"
    );
}

#[test]
fn demo_apply_then_plan_is_clean() {
    let tmp = demo_copy();
    let rest = demo_args(tmp.path());
    let buckets = tmp.path().join("demo/buckets");
    let before_fenced = fs::read(buckets.join("demo-fenced/policy.json")).unwrap();
    let before_data = fs::read_to_string(buckets.join("demo-data/policy.json")).unwrap();
    let out = run(command(tmp.path()), &args(&["apply", "--yes"], &rest)).expect(0);
    assert!(
        out.stdout
            .contains("Applied 4, unchanged 1, skipped 0, failed 0."),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("Backups of the replaced policies are in"),
        "{}",
        out.stderr
    );
    assert_eq!(
        fs::read(buckets.join("demo-fenced/policy.json")).unwrap(),
        before_fenced,
        "unchanged bucket not rewritten"
    );
    assert!(buckets.join("demo-nopolicy/policy.json").exists());
    let backups: Vec<_> = fs::read_dir(tmp.path().join("bucketfence-backups"))
        .unwrap()
        .collect();
    assert_eq!(backups.len(), 1);
    let saved = backups[0].as_ref().unwrap().path().join("demo-data.json");
    assert_eq!(fs::read_to_string(saved).unwrap(), before_data);
    run(command(tmp.path()), &args(&["plan"], &rest)).expect(0);
}

#[test]
fn json_plan_carries_stored_and_proposed_policies() {
    let tmp = demo_copy();
    let rest = demo_args(tmp.path());
    let out = run(
        command(tmp.path()),
        &args(&["plan", "--format", "json"], &rest),
    )
    .expect(2);
    let plan: Value = serde_json::from_str(&out.stdout).expect("stdout is JSON only");
    let buckets = plan["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 5);
    let stale = buckets
        .iter()
        .find(|b| b["bucket"] == "demo-stale")
        .unwrap();
    assert_eq!(stale["action"], "update-fence");
    assert_eq!(stale["region"], "us-east-1");
    let stored = stale["stored_policy"].as_str().unwrap();
    assert_eq!(
        stored,
        fs::read_to_string(tmp.path().join("demo/buckets/demo-stale/policy.json")).unwrap()
    );
    assert!(!same_policy(stored, stale["proposed_policy"].as_str().unwrap()).unwrap());
    assert_eq!(plan["summary"]["change"], 4);
    let nopolicy = buckets
        .iter()
        .find(|b| b["bucket"] == "demo-nopolicy")
        .unwrap();
    assert_eq!(nopolicy["stored_policy"], Value::Null);
}

#[test]
fn unparsable_policy_is_reported_and_the_others_go_on() {
    let tmp = demo_copy();
    let rest = demo_args(tmp.path());
    let broken = tmp.path().join("demo/buckets/demo-data/policy.json");
    fs::write(&broken, "{\"Statement\": [ { \"Effect\": ").unwrap();
    let out = run(command(tmp.path()), &args(&["apply", "--yes"], &rest)).expect(1);
    assert!(
        out.stdout
            .contains("bucket demo-data (eu-central-1): error"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("hint: fix the policy by hand"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Applied 3, unchanged 1, skipped 1, failed 0."),
        "{}",
        out.stdout
    );
    assert_eq!(
        fs::read_to_string(&broken).unwrap(),
        "{\"Statement\": [ { \"Effect\": "
    );
}

#[test]
fn two_managed_sids_refuse_that_bucket_only() {
    let tmp = demo_copy();
    let rest = demo_args(tmp.path());
    let path = tmp.path().join("demo/buckets/demo-logs/policy.json");
    let doubled = r#"{"Statement":[{"Sid":"BucketFenceDenyUnlisted","Effect":"Deny"},{"Sid":"BucketFenceDenyUnlisted","Effect":"Deny"}]}"#;
    fs::write(&path, doubled).unwrap();
    let out = run(command(tmp.path()), &args(&["plan"], &rest)).expect(1);
    assert!(
        out.stdout.contains(
            "statements #1 (Sid `BucketFenceDenyUnlisted`) and #2 (Sid `BucketFenceDenyUnlisted`)"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Plan: 3 to change, 1 unchanged, 1 skipped."),
        "{}",
        out.stdout
    );
}

#[test]
fn a_vanished_bucket_is_reported() {
    let tmp = demo_copy();
    let rest = demo_args(tmp.path());
    let out = run(
        command(tmp.path()),
        &args(
            &["plan", "--bucket", "demo-gone", "--bucket", "demo-nopolicy"],
            &rest,
        ),
    )
    .expect(1);
    assert!(
        out.stdout
            .contains("bucket demo-gone (region unknown): error"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("bucket demo-nopolicy (us-west-2): new policy"),
        "{}",
        out.stdout
    );
}

#[test]
fn rollback_of_another_account_or_a_tampered_backup_is_refused() {
    let tmp = demo_copy();
    let rest = demo_args(tmp.path());
    let out = run(command(tmp.path()), &args(&["apply", "--yes"], &rest)).expect(0);
    let undo = out
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("  bucketfence rollback "))
        .unwrap();
    let backup = std::path::PathBuf::from(undo.split(" --account-dir").next().unwrap());
    let saved = backup.join("demo-data.json");
    fs::write(&saved, "{\"Statement\":[]}").unwrap();
    let out = run(
        command(tmp.path()),
        &args(&["rollback", "--yes", backup.to_str().unwrap()], &rest),
    )
    .expect(1);
    assert!(
        out.stdout.contains("does not match the manifest's sha256"),
        "{}",
        out.stdout
    );
    let manifest = backup.join("manifest.json");
    let text = fs::read_to_string(&manifest)
        .unwrap()
        .replace("111122223333", "999988887777");
    fs::write(&manifest, text).unwrap();
    let out = run(
        command(tmp.path()),
        &args(&["rollback", "--yes", backup.to_str().unwrap()], &rest),
    )
    .expect(1);
    assert!(
        out.stderr.contains("made in account 999988887777"),
        "{}",
        out.stderr
    );
}

#[test]
fn replace_notprincipal_swaps_the_statement_for_the_fence_with_resolved_ids() {
    let tmp = demo_copy();
    let rest = demo_args(tmp.path());
    let path = tmp.path().join("demo/buckets/demo-data/policy.json");
    let old = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Keep","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::demo-data/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"OldWhitelist","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:role/ssm-instance","arn:aws:iam::111122223333:root"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::demo-data/*"}]}"#;
    fs::write(&path, old).unwrap();
    let out = run(
        command(tmp.path()),
        &args(&["plan", "--bucket", "demo-data"], &rest),
    )
    .expect(2);
    assert!(
        out.stdout.contains("still denied s3:GetObject"),
        "explained without the flag: {}",
        out.stdout
    );
    let out = run(
        command(tmp.path()),
        &args(
            &[
                "apply",
                "--yes",
                "--replace-notprincipal",
                "--bucket",
                "demo-data",
            ],
            &rest,
        ),
    )
    .expect(0);
    assert!(
        out.stdout.contains("is replaced by the fence"),
        "{}",
        out.stdout
    );
    let now = fs::read_to_string(&path).unwrap();
    assert!(
        !now.contains("OldWhitelist") && now.contains("\"Keep\""),
        "{now}"
    );
    assert!(
        now.contains("AROA5DEMOSSMINSTANCE1:*"),
        "the NotPrincipal role is allowed on this bucket: {now}"
    );
    // A NotPrincipal naming a role that does not exist cannot be replaced.
    fs::write(&path, old.replace("role/ssm-instance", "role/gone")).unwrap();
    let out = run(
        command(tmp.path()),
        &args(
            &["plan", "--replace-notprincipal", "--bucket", "demo-data"],
            &rest,
        ),
    )
    .expect(1);
    assert!(
        out.stdout.contains("cannot be resolved to a unique ID"),
        "{}",
        out.stdout
    );
}
