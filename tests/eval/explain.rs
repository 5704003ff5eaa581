//! What the evaluator reports besides the decision: derived context, explanations, errors.

use std::collections::BTreeMap;

use bucketfence::policy::document::Policy;
use bucketfence::policy::eval::{
    derived_context, evaluate, Decision, Effect, EvalError, Principal, Request,
};

use crate::fixtures::*;

fn eval(
    policy: &str,
    request: &Request,
) -> Result<bucketfence::policy::eval::Evaluation, EvalError> {
    evaluate(&Policy::parse(policy).unwrap(), request)
}

fn ctx(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
        .collect()
}

const SMALL_FENCE: &str = r#"{"Sid":"Fence","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
  "Condition":{"StringNotLike":{"aws:userId":["AROAY:*"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}"#;

fn session(role_id: &str, session: &str) -> Principal {
    Principal::role_session(ACCT, "/", "r", role_id, session)
}

#[test]
fn a_denied_session_shows_each_condition_that_held() {
    let e = eval(&v12(SMALL_FENCE), &get(session("AROAX", "i-123"))).unwrap();
    assert_eq!(e.decision, Decision::ExplicitDeny);
    let deciding = e.deciding();
    assert_eq!(deciding.len(), 1);
    let s = deciding[0];
    assert_eq!(
        (s.index, s.sid.as_deref(), s.effect),
        (0, Some("Fence"), Effect::Deny)
    );
    assert_eq!(s.label, "#1 (Sid `Fence`)");
    let lines: Vec<&str> = s
        .conditions
        .iter()
        .map(|c| c.explanation.as_str())
        .collect();
    assert_eq!(
        lines,
        [
            r#"StringNotLike aws:userId: "AROAX:i-123" matches none of ["AROAY:*"] -> true"#,
            r#"BoolIfExists aws:PrincipalIsAWSService: "false" is "false" -> true"#,
        ]
    );
    assert!(s.conditions.iter().all(|c| c.holds));
}

#[test]
fn an_allowlisted_session_shows_why_the_deny_did_not_apply() {
    let e = eval(&v12(SMALL_FENCE), &get(session("AROAY", "ci"))).unwrap();
    assert_eq!(e.decision, Decision::NotApplicable);
    assert!(e.matched.is_empty());
    assert_eq!(e.unmet.len(), 1);
    let c = &e.unmet[0].conditions[0];
    assert!(!c.holds);
    assert_eq!(
        c.explanation,
        r#"StringNotLike aws:userId: "AROAY:ci" matches "AROAY:*" -> false"#
    );
}

#[test]
fn anonymous_and_service_explanations_name_the_missing_key_rule() {
    let e = eval(&v12(SMALL_FENCE), &get(anon())).unwrap();
    let lines: Vec<&str> = e.matched[0]
        .conditions
        .iter()
        .map(|c| c.explanation.as_str())
        .collect();
    assert_eq!(
        lines,
        [
            "StringNotLike aws:userId: key absent from the request; a negated operator is true -> true",
            "BoolIfExists aws:PrincipalIsAWSService: key absent from the request; IfExists is true -> true",
        ]
    );
    let e = eval(&v12(SMALL_FENCE), &put(cloudtrail())).unwrap();
    assert_eq!(e.decision, Decision::NotApplicable);
    assert_eq!(
        e.unmet[0].conditions[1].explanation,
        r#"BoolIfExists aws:PrincipalIsAWSService: "true" is none of ["false"] -> false"#
    );
}

#[test]
fn set_and_null_explanations() {
    let p = allow_if(
        r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]},"Null":{"aws:SourceVpce":"true"}}"#,
    );
    let e = eval(&p, &put(alice()).with("aws:TagKeys", &["a", "z"])).unwrap();
    let lines: Vec<&str> = e.unmet[0]
        .conditions
        .iter()
        .map(|c| c.explanation.as_str())
        .collect();
    assert_eq!(
        lines,
        [
            r#"ForAllValues:StringEquals aws:TagKeys: "z" equals none of ["a", "b"] -> false"#,
            r#"Null aws:SourceVpce: key absent, Null ["true"] -> true"#,
        ]
    );
}

#[test]
fn substituted_values_are_shown_substituted() {
    let p = allow_if(r#"{"StringLike":{"s3:prefix":"home/${aws:username}/${*}"}}"#);
    let e = eval(&p, &get(alice()).with("s3:prefix", &["home/alice/*"])).unwrap();
    assert_eq!(e.decision, Decision::Allow);
    assert_eq!(
        e.matched[0].conditions[0].explanation,
        r#"StringLike s3:prefix: "home/alice/*" matches "home/alice/${*}" -> true"#
    );
}

#[test]
fn an_unresolved_variable_is_reported_as_the_reason() {
    let p = v12(
        r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}"#,
    );
    let e = eval(&p, &get(deploy())).unwrap();
    assert_eq!(e.decision, Decision::NotApplicable);
    let note = e.unmet[0].note.as_deref().unwrap();
    assert!(note.contains("${aws:username}"), "{note}");
}

#[test]
fn unknown_operators_are_errors_even_where_the_statement_does_not_apply() {
    for operator in [
        "StringLikeX",
        "stringlike",
        "NullIfExists",
        "ForSomeValues:StringLike",
        "BinaryNotEquals",
    ] {
        let p = v12(&format!(
            r#"{{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"*","Condition":{{"{operator}":{{"aws:userid":"x"}}}}}}"#
        ));
        match eval(&p, &get(alice())) {
            Err(EvalError::UnknownOperator {
                operator: o,
                statement,
            }) => {
                assert_eq!(o, operator);
                assert_eq!(statement, "#1");
            }
            other => panic!("{operator}: {other:?}"),
        }
    }
}

#[test]
fn values_of_the_wrong_type_are_errors_not_false() {
    for (operator, value, expected) in [
        ("NumericLessThan", "ten", "a number"),
        (
            "DateGreaterThan",
            "yesterday",
            "an ISO 8601 date or epoch seconds",
        ),
        ("IpAddress", "192.0.2.0/33", "an IP address or CIDR block"),
        ("Bool", "yes", "true or false"),
        ("Null", "maybe", "true or false"),
    ] {
        let p = deny_if(&format!(r#"{{"{operator}":{{"k":"{value}"}}}}"#));
        match eval(&p, &get(anon())) {
            Err(EvalError::BadValue {
                operator: o,
                value: v,
                expected: x,
                ..
            }) => assert_eq!((o.as_str(), v.as_str(), x), (operator, value, expected)),
            other => panic!("{operator} {value}: {other:?}"),
        }
    }
}

#[test]
fn malformed_statements_are_errors() {
    for (statement, needle) in [
        (
            r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#,
            "neither `Principal` nor `NotPrincipal`",
        ),
        (
            r#"{"Effect":"Deny","Principal":{},"Action":"s3:*","Resource":"*"}"#,
            "neither `Principal`",
        ),
        (
            r#"{"Effect":"Deny","Principal":"*","NotPrincipal":"*","Action":"s3:*","Resource":"*"}"#,
            "both `Principal` and `NotPrincipal`",
        ),
        (
            r#"{"Principal":"*","Action":"s3:*","Resource":"*"}"#,
            "no `Effect`",
        ),
        (
            r#"{"Effect":"Maybe","Principal":"*","Action":"s3:*","Resource":"*"}"#,
            "not Allow or Deny",
        ),
        (
            r#"{"Effect":"Deny","Principal":"*","Resource":"*"}"#,
            "neither `Action` nor `NotAction`",
        ),
        (
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","NotAction":"s3:x","Resource":"*"}"#,
            "both `Action` and `NotAction`",
        ),
        (
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*"}"#,
            "neither `Resource` nor `NotResource`",
        ),
    ] {
        match eval(&v12(statement), &get(alice())) {
            Err(EvalError::Malformed { problem, .. }) => {
                assert!(problem.contains(needle), "{statement}: {problem}")
            }
            other => panic!("{statement}: {other:?}"),
        }
    }
}

#[test]
fn derived_context_per_principal() {
    assert_eq!(
        derived_context(&deploy(), "aws"),
        ctx(&[
            ("aws:principalaccount", ACCT),
            ("aws:principalarn", "arn:aws:iam::111122223333:role/deploy"),
            ("aws:principalisawsservice", "false"),
            ("aws:principaltype", "AssumedRole"),
            ("aws:userid", "AROADEPLOYEXAMPLE0001:ci-run-42"),
        ])
    );
    assert_eq!(
        derived_context(&bob(), "aws-us-gov"),
        ctx(&[
            ("aws:principalaccount", ACCT),
            (
                "aws:principalarn",
                "arn:aws-us-gov:iam::111122223333:user/ops/bob"
            ),
            ("aws:principalisawsservice", "false"),
            ("aws:principaltype", "User"),
            ("aws:userid", BOB_ID),
            ("aws:username", "bob"),
        ])
    );
    assert_eq!(
        derived_context(&root(), "aws"),
        ctx(&[
            ("aws:principalaccount", ACCT),
            ("aws:principalarn", "arn:aws:iam::111122223333:root"),
            ("aws:principalisawsservice", "false"),
            ("aws:principaltype", "Account"),
            ("aws:userid", ACCT),
        ])
    );
    assert_eq!(
        derived_context(&carol(), "aws"),
        ctx(&[
            ("aws:principalaccount", ACCT),
            (
                "aws:principalarn",
                "arn:aws:sts::111122223333:federated-user/carol"
            ),
            ("aws:principalisawsservice", "false"),
            ("aws:principaltype", "FederatedUser"),
            ("aws:userid", "111122223333:carol"),
        ])
    );
    assert_eq!(
        derived_context(&cloudtrail(), "aws"),
        ctx(&[
            ("aws:principalisawsservice", "true"),
            ("aws:principalservicename", "cloudtrail.amazonaws.com"),
        ])
    );
    assert_eq!(
        derived_context(&anon(), "aws"),
        ctx(&[("aws:principaltype", "Anonymous")])
    );
}

#[test]
fn principal_arns() {
    let p = sso();
    assert_eq!(
        p.arn("aws").unwrap(),
        "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com"
    );
    assert_eq!(
        p.principal_arn("aws").unwrap(),
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef"
    );
    assert_eq!(
        alice().arn("aws").unwrap(),
        "arn:aws:iam::111122223333:user/alice"
    );
    assert_eq!(
        Principal::user(ACCT, "ops", "bob", BOB_ID)
            .arn("aws")
            .unwrap(),
        "arn:aws:iam::111122223333:user/ops/bob",
        "a path without slashes is read as /ops/"
    );
    assert_eq!(
        root().arn("aws-cn").unwrap(),
        "arn:aws-cn:iam::111122223333:root"
    );
    assert_eq!(anon().arn("aws"), None);
    assert_eq!(cloudtrail().principal_arn("aws"), None);
    assert_eq!(
        deploy().role_arn("aws").unwrap(),
        "arn:aws:iam::111122223333:role/deploy"
    );
    assert_eq!(alice().role_arn("aws"), None);
}

#[test]
fn evaluations_serialize_for_json_output() {
    let e = eval(&v12(SMALL_FENCE), &get(session("AROAX", "i-1"))).unwrap();
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["decision"], "ExplicitDeny");
    assert_eq!(json["matched"][0]["sid"], "Fence");
    assert_eq!(json["matched"][0]["conditions"][0]["holds"], true);
    let r = serde_json::to_value(get(deploy())).unwrap();
    assert_eq!(r["principal"]["kind"], "role-session");
}

#[test]
fn both_deny_and_allow_are_listed_but_deny_decides() {
    let p = v12(&format!(
        r#"{SMALL_FENCE},{{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}"#
    ));
    let e = eval(&p, &get(session("AROAX", "i-1"))).unwrap();
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(e.matched.len(), 2);
    let sids: Vec<_> = e
        .deciding()
        .iter()
        .map(|s| s.sid.clone().unwrap())
        .collect();
    assert_eq!(sids, ["Fence"]);
}
