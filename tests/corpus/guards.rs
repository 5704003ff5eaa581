//! The safety guards on real published policies and the bug reproducers (corpus bugs 06, 07, 09,
//! 10; AWS documentation examples for log delivery, websites, replication, cross-account grants).

use bucketfence::fence::statement::FenceSpec;
use bucketfence::plan::guards::{Guard, GuardOptions};
use bucketfence::plan::{plan_bucket, Action, BucketPlan, BucketRead, PlanContext};
use serde_json::Value;

use super::{bug, corpus, read};

const ACCOUNT: &str = "111122223333";
const CALLER: &str = "AROA1EXAMPLEROLEID001:run-1";

struct Case {
    fence: FenceSpec,
    allowed: Vec<String>,
    allowed_arns: Vec<String>,
    caller_user_id: String,
    caller_arn: String,
    guards: GuardOptions,
    notprincipal_values: std::collections::BTreeMap<String, String>,
    rows: Vec<bucketfence::principal::resolve::Resolved>,
}

impl Case {
    fn new() -> Case {
        Case {
            fence: FenceSpec::default(),
            allowed: vec!["AROA1EXAMPLEROLEID001:*".into(), ACCOUNT.into()],
            allowed_arns: vec![],
            caller_user_id: CALLER.into(),
            caller_arn: format!("arn:aws:sts::{ACCOUNT}:assumed-role/deployer/run-1"),
            guards: GuardOptions::default(),
            notprincipal_values: Default::default(),
            rows: Vec::new(),
        }
    }

    fn plan(&self, stored: &str) -> BucketPlan {
        self.plan_for(stored, "amzn-s3-demo-bucket")
    }

    fn plan_for(&self, stored: &str, bucket: &str) -> BucketPlan {
        let ctx = PlanContext {
            partition: "aws",
            fence: &self.fence,
            allowed: &self.allowed,
            allowed_arns: &self.allowed_arns,
            rows: &self.rows,
            notprincipal_values: &self.notprincipal_values,
            account: ACCOUNT,
            caller_user_id: &self.caller_user_id,
            caller_arn: &self.caller_arn,
            guards: self.guards,
        };
        let read = BucketRead {
            bucket: bucket.into(),
            region: Ok("us-east-1".into()),
            stored: Ok(Some(stored.to_string())),
            public_access: None,
        };
        plan_bucket(read, &ctx)
    }
}

fn policy(name: &str) -> String {
    read(&corpus().join("policies").join(name))
}

fn refused_by(plan: &BucketPlan, needle: &str) {
    assert_eq!(plan.action, Action::Refused, "{:?}", plan.reasons);
    assert!(
        plan.reasons.iter().any(|r| r.contains(needle)),
        "{needle}: {:?}",
        plan.reasons
    );
}

#[test]
fn bug_06_dangling_principal_refused_or_dropped_visibly() {
    let (input, expected) = bug("06-deleted-role-unique-id-invalid-principal");
    let expected = expected.unwrap();
    let stored = input["get_bucket_policy"]["Policy"].as_str().unwrap();
    let orphan = expected["orphaned_principals"][0].as_str().unwrap();
    let refused = Case::new().plan(stored);
    refused_by(&refused, orphan);
    let mut case = Case::new();
    case.guards.drop_dangling_principals = true;
    // The reproducer's other statement grants a role of the account; it is on the allowlist here.
    case.allowed_arns = vec![format!("arn:aws:iam::{ACCOUNT}:role/reader")];
    let dropped = case.plan(stored);
    assert!(dropped.action.is_change());
    let proposed = dropped.proposed_policy.unwrap();
    assert!(!proposed.contains(orphan));
    assert!(
        proposed.contains("AllowCurrentReader"),
        "the other statement survives"
    );
    assert!(dropped
        .findings
        .iter()
        .any(|f| f.guard == Guard::DanglingPrincipals));
}

#[test]
fn bug_07_stored_deny_on_put_bucket_policy_is_a_preflight_failure() {
    let (input, expected) = bug("07-deny-putbucketpolicy-self-lockout");
    assert!(expected.unwrap()["preflight"]
        .as_str()
        .unwrap()
        .starts_with("fail"));
    let stored = serde_json::to_string(&input["live_policy"]).unwrap();
    let mut case = Case::new();
    case.caller_user_id = input["caller"]["userId"].as_str().unwrap().into();
    case.caller_arn = input["caller"]["arn"].as_str().unwrap().into();
    refused_by(
        &case.plan(&stored),
        "denies s3:PutBucketPolicy to the caller",
    );
    // The managed statement of the reproducer is `s3:*`: with the caller left out it is a lockout.
    let mut star = Case::new();
    star.fence.actions = vec!["s3:*".into()];
    star.caller_user_id = case.caller_user_id.clone();
    let plain = r#"{"Version":"2012-10-17","Statement":[]}"#;
    refused_by(&star.plan(plain), "who is not on the allowlist");
    star.caller_user_id = CALLER.into();
    assert!(
        star.plan(plain).action.is_change(),
        "with the caller allowlisted it goes ahead"
    );
}

#[test]
fn bug_09_fenced_policy_under_its_own_fence_is_unchanged_or_updated_not_refused() {
    let (input, _) = bug("09-userid-deny-all-breaks-other-tools");
    let stored = serde_json::to_string(&input).unwrap();
    let plan = Case::new().plan(&stored);
    assert!(plan.action.is_change(), "{:?}", plan.reasons);
}

#[test]
fn bug_10_notprincipal_role_arn_does_not_exempt_the_callers_session() {
    let (input, _) = bug("10-notprincipal-role-arn-does-not-cover-sessions");
    let stored = serde_json::to_string(&input).unwrap();
    let mut case = Case::new();
    case.caller_arn =
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/OrganizationAccountAccessRole/admin");
    refused_by(
        &case.plan(&stored),
        "denies s3:PutBucketPolicy to the caller",
    );
}

#[test]
fn log_deliveries_by_service_principals_keep_working() {
    for name in [
        "039-cloudtrail-service-principal.json",
        "013-server-access-logging-service-principal.json",
        "044-vpc-flow-logs-delivery-logs.json",
    ] {
        let plan = Case::new().plan(&policy(name));
        assert!(plan.action.is_change(), "{name}: {:?}", plan.reasons);
        let mut off = Case::new();
        off.fence.exempt_aws_services = false;
        refused_by(&off.plan(&policy(name)), "service principal");
    }
}

#[test]
fn elb_account_delivery_is_kept_by_principal_account_exemption() {
    let stored = policy("023-elb-account-root-principal.json");
    refused_by(
        &Case::new().plan(&stored),
        "127311923021 loses s3:PutObject",
    );
    let mut keep = Case::new();
    keep.guards.keep_grantees = true;
    let plan = keep.plan(&stored);
    let proposed: Value = serde_json::from_str(plan.proposed_policy.as_deref().unwrap()).unwrap();
    let fence = proposed["Statement"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        fence["Condition"]["StringNotEquals"]["aws:PrincipalAccount"],
        serde_json::json!(["127311923021"])
    );
    let mut revoke = Case::new();
    revoke.guards.revoke_grantees = true;
    assert!(revoke.plan(&stored).action.is_change());
}

#[test]
fn public_website_is_refused_even_with_keep_grantees() {
    let stored = policy("001-website-public-read.json");
    refused_by(&Case::new().plan(&stored), "anonymous readers lose");
    let mut keep = Case::new();
    keep.guards.keep_grantees = true;
    refused_by(&keep.plan(&stored), "anonymous readers lose");
}

#[test]
fn replication_role_under_an_s3_star_fence_must_be_allowlisted_or_kept() {
    let stored = policy("030-replication-destination.json");
    let mut star = Case::new();
    star.fence.actions = vec!["s3:*".into()];
    star.allowed.push(CALLER.into());
    refused_by(
        &star.plan(&stored),
        "arn:aws:iam::111122223333:role/s3-replication-role loses",
    );
    star.allowed_arns = vec!["arn:aws:iam::111122223333:role/s3-replication-role".into()];
    assert!(
        star.plan(&stored).action.is_change(),
        "allowlisted by ARN: no finding"
    );
    // With the default actions the replication actions are not fenced at all.
    assert!(Case::new().plan(&stored).action.is_change());
}

#[test]
fn cross_account_grant_is_refused_then_kept_by_arn() {
    let stored = policy("006-language-overview-user-principal.json");
    let plan = Case::new().plan(&stored);
    if plan.action == Action::Refused {
        let mut keep = Case::new();
        keep.guards.keep_grantees = true;
        let kept = keep.plan(&stored);
        assert!(kept.action.is_change(), "{:?}", kept.reasons);
        assert!(kept.proposed_policy.unwrap().contains("aws:PrincipalArn"));
    } else {
        panic!(
            "a grant to another account's user must be noticed: {:?}",
            plan.action
        );
    }
}

#[test]
fn notprincipal_denies_are_explained_with_the_evaluator() {
    let (input, _) = bug("10-notprincipal-role-arn-does-not-cover-sessions");
    let stored = serde_json::to_string(&input).unwrap();
    let mut case = Case::new();
    case.caller_user_id = ACCOUNT.into(); // root: the stored lockout does not apply, the explanation does
    let plan = case.plan(&stored);
    let text: Vec<&str> = plan.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        text.iter().any(|m| m.contains("sessions of role arn:aws:iam::111122223333:role/OrganizationAccountAccessRole are still denied")
            && m.contains("the account 111122223333 is not listed")
            && m.contains("permissions boundary")),
        "{text:?}"
    );
    // AWS's own example lists the session, the role and the account: only the boundary caveat remains.
    let doc = policy("043-notprincipal-deny-assumed-role-session.json");
    let plan = Case::new().plan(&doc);
    let text: Vec<&str> = plan.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        text.iter()
            .any(|m| m.contains("permissions boundary") && !m.contains("still denied")),
        "{text:?}"
    );
}

#[test]
fn an_existing_deny_that_also_hits_the_allowlist_is_reported() {
    use bucketfence::principal::resolve::Resolved;
    use bucketfence::principal::spec::{AllowEntry, Kind};
    let stored = policy("017-deny-outside-vpc.json");
    let bucket = check_bucket(&stored);
    let mut case = Case::new();
    case.rows = vec![Resolved {
        entry: AllowEntry::new(Kind::Role, "deployer"),
        arn: format!("arn:aws:iam::{ACCOUNT}:role/deployer"),
        value: "AROA1EXAMPLEROLEID001:*".into(),
    }];
    let plan = case.plan_for(&stored, &bucket);
    assert!(
        plan.findings.iter().any(
            |f| f.message.contains("can deny allowlisted principals too")
                && f.message.contains("role `deployer`")
        ),
        "{:?}",
        plan.findings
    );
    // The demo-style Deny on insecure transport does not match a request with no such key.
    let tls = policy("020-deny-insecure-transport.json");
    let plan = case.plan_for(&tls, &check_bucket(&tls));
    assert!(
        !plan
            .findings
            .iter()
            .any(|f| f.message.contains("can deny allowlisted")),
        "{:?}",
        plan.findings
    );
}

/// The bucket a published policy is written for (its first S3 resource).
fn check_bucket(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap();
    let s = v["Statement"].clone();
    let first = if s.is_array() { s[0].clone() } else { s };
    let r = &first["Resource"];
    let r = if r.is_array() {
        r[0].as_str().unwrap().to_string()
    } else {
        r.as_str().unwrap().to_string()
    };
    r.split(":::")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string()
}
