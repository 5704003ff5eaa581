//! Before a proposed policy is shown or written: prove with the evaluator that the fence does what
//! it is for. A session of every allowlisted role, every allowlisted user and the account root must
//! not be denied a fenced action; an EC2 instance's role session that is not on the list (the
//! AmazonEC2RoleforSSM case) must be denied; AWS service principals must keep delivering exactly
//! when the exemption is on; anonymous callers are denied. A failure means a bug or a
//! contradictory config, and blocks the bucket with the evidence.

use serde_json::{Map, Value};

use crate::policy::document::Policy;
use crate::policy::eval::{evaluate, Decision, Principal, Request};
use crate::principal::resolve::Resolved;
use crate::principal::spec::{iam_path as path_of, parse_iam_arn, Kind};

/// A concrete action for each fenced pattern (`s3:GetObject*` -> `s3:GetObject`), so every
/// pattern is exercised at least once.
fn concrete_actions(patterns: &[String]) -> Vec<String> {
    let mut actions: Vec<String> = patterns
        .iter()
        .map(|p| match p.trim_end_matches(['*', '?']) {
            "s3:" | "" => "s3:GetObject".to_string(),
            stem => stem.to_string(),
        })
        .collect();
    actions.sort();
    actions.dedup();
    actions
}

/// The request a resolved allowlist row stands for; `None` for raw IDs, whose owner is unknown.
fn principal_of(row: &Resolved, account: &str) -> Option<Principal> {
    let arn_account = |arn: &str| {
        parse_iam_arn(arn)
            .map(|a| a.account.to_string())
            .unwrap_or_else(|| account.into())
    };
    let name_of = |arn: &str| {
        parse_iam_arn(arn)
            .map(|a| a.name.to_string())
            .unwrap_or_default()
    };
    match row.entry.kind {
        Kind::Role => Some(Principal::role_session(
            &arn_account(&row.arn),
            &path_of(&row.arn, "role"),
            &name_of(&row.arn),
            row.value.trim_end_matches(":*"),
            "bucketfence-verify",
        )),
        Kind::User | Kind::Group => Some(Principal::user(
            &arn_account(&row.arn),
            &path_of(&row.arn, "user"),
            &name_of(&row.arn),
            &row.value,
        )),
        Kind::Account => Some(Principal::root(&row.value)),
        Kind::Id => None,
    }
}

pub struct VerifyInput<'a> {
    pub fence: &'a Map<String, Value>,
    pub bucket: &'a str,
    pub partition: &'a str,
    pub account: &'a str,
    pub rows: &'a [Resolved],
    pub allowed: &'a [String],
    pub actions: &'a [String],
    pub exempt_aws_services: bool,
}

/// The failures, each with its evidence; empty when the fence does what it should.
pub fn verify(input: &VerifyInput<'_>) -> Vec<String> {
    let mut policy_value = Map::new();
    policy_value.insert("Version".into(), Value::String("2012-10-17".into()));
    policy_value.insert(
        "Statement".into(),
        Value::Array(vec![Value::Object(input.fence.clone())]),
    );
    let policy = match Policy::from_value(Value::Object(policy_value)) {
        Ok(p) => p,
        Err(e) => return vec![format!("the fence is not a valid statement: {e}")],
    };
    let bucket_arn = format!("arn:{}:s3:::{}", input.partition, input.bucket);
    let object_arn = format!("{bucket_arn}/verify-object");
    let actions = concrete_actions(input.actions);
    let mut failures = Vec::new();
    let mut check = |who: &str, principal: &Principal, want_denied: bool| {
        for action in &actions {
            for resource in [&bucket_arn, &object_arn] {
                let request =
                    Request::new(principal.clone(), action, resource).in_partition(input.partition);
                match evaluate(&policy, &request) {
                    Ok(eval) if (eval.decision == Decision::ExplicitDeny) == want_denied => {}
                    Ok(eval) => {
                        let why: Vec<String> = eval
                            .matched
                            .iter()
                            .chain(&eval.unmet)
                            .flat_map(|s| s.conditions.iter().map(|c| c.explanation.clone()))
                            .collect();
                        failures.push(format!(
                            "{who} is {} {action} on {resource} ({})",
                            if want_denied { "not denied" } else { "denied" },
                            why.join("; ")
                        ));
                        return;
                    }
                    Err(e) => {
                        failures.push(format!("evaluating the fence for {who}: {e}"));
                        return;
                    }
                }
            }
        }
    };
    for row in input.rows {
        if let Some(p) = principal_of(row, input.account) {
            check(&format!("allowlisted {}", row.entry), &p, false);
        }
    }
    check(
        "the account root",
        &Principal::root(input.account),
        !input.allowed.iter().any(|v| v == input.account),
    );
    // An unlisted EC2 instance role: its ID is built so that it cannot be on any real allowlist.
    let instance = Principal::role_session(
        input.account,
        "/",
        "unlisted-ssm-instance-role",
        "AROABUCKETFENCEVERIFY0",
        "i-0123456789abcdef0",
    );
    let listed = input
        .allowed
        .iter()
        .any(|p| crate::policy::wildcard::matches(p, "AROABUCKETFENCEVERIFY0:i-0123456789abcdef0"));
    if !listed {
        check("an unlisted EC2 instance role session", &instance, true);
    }
    check(
        "the CloudTrail service principal",
        &Principal::service("cloudtrail.amazonaws.com"),
        !input.exempt_aws_services,
    );
    check("an anonymous caller", &Principal::Anonymous, true);
    failures
}

/// Conflicts: other Deny statements of the proposed policy that already deny a fenced action to
/// an allowlisted principal. The allowlist exempts principals from the fence only, so such a
/// statement keeps denying them; worth knowing before the fence is blamed. Requests are evaluated
/// without network context (no source IP or VPC endpoint), so a Deny that depends on one is
/// reported as one that *can* deny.
pub fn other_denies(proposed: &Policy, fence_sid: &str, input: &VerifyInput<'_>) -> Vec<String> {
    let bucket_arn = format!("arn:{}:s3:::{}", input.partition, input.bucket);
    let object_arn = format!("{bucket_arn}/verify-object");
    let actions = concrete_actions(input.actions);
    let mut found: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for row in input.rows {
        let Some(principal) = principal_of(row, input.account) else {
            continue;
        };
        for action in &actions {
            for resource in [&bucket_arn, &object_arn] {
                let request =
                    Request::new(principal.clone(), action, resource).in_partition(input.partition);
                // A stored statement the evaluator cannot read is reported by validation instead.
                let Ok(eval) = evaluate(proposed, &request) else {
                    return Vec::new();
                };
                if eval.decision != Decision::ExplicitDeny {
                    continue;
                }
                for s in eval.deciding() {
                    if s.sid.as_deref() != Some(fence_sid) {
                        let who = found.entry(s.label.clone()).or_default();
                        let entry = format!("{} ({action})", row.entry);
                        if !who.contains(&entry) {
                            who.push(entry);
                        }
                    }
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(label, who)| {
            let shown: Vec<&str> = who.iter().map(String::as_str).take(3).collect();
            format!(
                "statement {label} can deny allowlisted principals too: {}{}; the allowlist exempts them from the fence only",
                shown.join(", "),
                if who.len() > 3 { ", ..." } else { "" }
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fence::statement::FenceSpec;
    use crate::principal::spec::AllowEntry;

    fn row(kind: Kind, arn: &str, value: &str) -> Resolved {
        Resolved {
            entry: AllowEntry::new(kind, "x"),
            arn: arn.into(),
            value: value.into(),
        }
    }

    #[test]
    fn the_default_fence_verifies_and_a_wrong_one_does_not() {
        let rows = vec![
            row(
                Kind::Role,
                "arn:aws:iam::111122223333:role/ops/deployer",
                "AROAEXAMPLEDEPLOYER1:*",
            ),
            row(
                Kind::User,
                "arn:aws:iam::111122223333:user/auditor",
                "AIDAEXAMPLEAUDITOR01",
            ),
            row(
                Kind::Account,
                "arn:aws:iam::111122223333:root",
                "111122223333",
            ),
        ];
        let allowed: Vec<String> = rows.iter().map(|r| r.value.clone()).collect();
        let spec = FenceSpec::default();
        let fence = spec.statement("aws", "b", &allowed);
        let input = VerifyInput {
            fence: &fence,
            bucket: "b",
            partition: "aws",
            account: "111122223333",
            rows: &rows,
            allowed: &allowed,
            actions: &spec.actions,
            exempt_aws_services: true,
        };
        assert_eq!(verify(&input), Vec::<String>::new());
        // A fence whose allowlist lost the role (a bare role ID never matches a session).
        let broken = spec.statement(
            "aws",
            "b",
            &["AROAEXAMPLEDEPLOYER1".into(), "111122223333".into()],
        );
        let failures = verify(&VerifyInput {
            fence: &broken,
            ..input
        });
        assert!(
            failures
                .iter()
                .any(|f| f.contains("allowlisted role") && f.contains("is denied")),
            "{failures:?}"
        );
    }
}
