//! Properties: the canonical form is idempotent; policies with one canonical form evaluate alike;
//! the wildcard matcher agrees with the obvious recursive definition.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

use bucketfence::policy::canonical::Canonical;
use bucketfence::policy::document::Policy;
use bucketfence::policy::eval::{evaluate, Decision, Principal, Request};
use bucketfence::policy::wildcard;

use crate::fixtures::*;

const AWS_PRINCIPALS: &[&str] = &[
    "*",
    "111122223333",
    "arn:aws:iam::111122223333:root",
    "444455556666",
    "arn:aws:iam::111122223333:role/deploy",
    "arn:aws:iam::111122223333:role/service-role/ec2-ssm",
    "arn:aws:sts::111122223333:assumed-role/deploy/s1",
    "arn:aws:iam::111122223333:user/alice",
    "AIDAALICEEXAMPLE00001",
    "AROADEPLOYEXAMPLE0001",
];
const SERVICES: &[&str] = &["cloudtrail.amazonaws.com", "logging.s3.amazonaws.com"];
const ACTIONS: &[&str] = &[
    "s3:*",
    "s3:GetObject",
    "s3:Get*",
    "S3:PUTOBJECT",
    "*",
    "s3:ListBucket*",
    "s3:?etObject",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/home/${aws:username}/*",
    "arn:aws:s3:::b/${*}",
    "arn:aws:s3:::other/*",
];

/// Condition entries: operator, key, values (as JSON: strings, bools, numbers, lists).
fn conditions() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "StringNotLike",
            "aws:userId",
            json!(["AROADEPLOYEXAMPLE0001:*", "111122223333"]),
        ),
        ("StringLike", "aws:userId", json!("AIDA*")),
        ("BoolIfExists", "aws:PrincipalIsAWSService", json!("false")),
        ("Bool", "aws:SecureTransport", json!(false)),
        ("Bool", "aws:PrincipalIsAWSService", json!(true)),
        ("NumericLessThan", "s3:max-keys", json!(10)),
        ("NumericGreaterThanEquals", "s3:max-keys", json!("5")),
        (
            "IpAddress",
            "aws:SourceIp",
            json!(["192.0.2.0/24", "2001:db8::/32"]),
        ),
        ("NotIpAddress", "aws:SourceIp", json!("192.0.2.0/24")),
        (
            "StringEquals",
            "aws:PrincipalAccount",
            json!(["111122223333"]),
        ),
        (
            "StringNotEqualsIfExists",
            "aws:PrincipalAccount",
            json!("444455556666"),
        ),
        (
            "ArnLike",
            "aws:PrincipalArn",
            json!("arn:aws:iam::111122223333:role/*"),
        ),
        (
            "ArnNotLike",
            "aws:PrincipalArn",
            json!(["arn:aws:iam::*:user/alice"]),
        ),
        ("Null", "aws:SourceVpce", json!("true")),
        ("ForAnyValue:StringEquals", "aws:TagKeys", json!(["team"])),
        (
            "ForAllValues:StringLike",
            "aws:TagKeys",
            json!(["t*", "owner"]),
        ),
        ("StringEquals", "s3:prefix", json!("home/${aws:username}/")),
        (
            "DateLessThan",
            "aws:CurrentTime",
            json!("2030-01-01T00:00:00Z"),
        ),
    ]
}

fn principal_element() -> impl Strategy<Value = Value> {
    // Weighted towards broad principals, so that random statements often apply.
    prop_oneof![
        3 => Just(json!("*")),
        3 => vec(select(AWS_PRINCIPALS), 1..4).prop_map(|v| json!({ "AWS": v })),
        1 => vec(select(SERVICES), 1..3).prop_map(|v| json!({ "Service": v })),
        1 => (vec(select(AWS_PRINCIPALS), 1..3), select(SERVICES))
            .prop_map(|(a, s)| json!({ "AWS": a, "Service": s })),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    let n = conditions().len();
    (
        select(&["Allow", "Deny"][..]),
        prop::bool::weighted(0.75).prop_map(|b| if b { "Principal" } else { "NotPrincipal" }),
        principal_element(),
        prop::bool::weighted(0.2),
        vec(select(ACTIONS), 1..3),
        prop::bool::weighted(0.15),
        vec(select(RESOURCES), 1..3),
        // At most two conditions: each one narrows the statement.
        vec(0..n, 0..3),
        prop::option::of(select(&["", "S1", "Fence"][..])),
    )
        .prop_map(
            |(
                effect,
                pkey,
                principal,
                not_action,
                actions,
                not_resource,
                resources,
                conds,
                sid,
            )| {
                let mut s = Map::new();
                if let Some(sid) = sid {
                    s.insert("Sid".into(), json!(sid));
                }
                s.insert("Effect".into(), json!(effect));
                s.insert(pkey.into(), principal);
                let akey = if not_action { "NotAction" } else { "Action" };
                s.insert(akey.into(), json!(actions));
                let rkey = if not_resource {
                    "NotResource"
                } else {
                    "Resource"
                };
                s.insert(rkey.into(), json!(resources));
                if !conds.is_empty() {
                    let table = conditions();
                    let mut condition = Map::new();
                    for i in conds {
                        let (op, key, values) = &table[i];
                        let entry = condition.entry(op.to_string()).or_insert_with(|| json!({}));
                        entry
                            .as_object_mut()
                            .unwrap()
                            .insert(key.to_string(), values.clone());
                    }
                    s.insert("Condition".into(), Value::Object(condition));
                }
                Value::Object(s)
            },
        )
}

fn policy() -> impl Strategy<Value = Value> {
    (
        vec(statement(), 0..6),
        prop::option::of(select(&["2012-10-17", "2008-10-17"][..])),
    )
        .prop_map(|(statements, version)| {
            let mut p = Map::new();
            if let Some(v) = version {
                p.insert("Version".into(), json!(v));
            }
            p.insert("Statement".into(), Value::Array(statements));
            Value::Object(p)
        })
}

fn principals() -> Vec<Principal> {
    vec![
        deploy(),
        deploy_as("s1"),
        ssm(),
        sso(),
        alice(),
        bob(),
        root(),
        carol(),
        anon(),
        cloudtrail(),
        s3_logging(),
        partner(),
        Principal::root(OTHER),
    ]
}

fn request() -> impl Strategy<Value = Request> {
    (
        0..principals().len(),
        select(
            &[
                "s3:GetObject",
                "s3:PutObject",
                "s3:ListBucket",
                "s3:ListBucketVersions",
                "s3:DeleteObject",
                "sqs:SendMessage",
            ][..],
        ),
        select(
            &[
                "arn:aws:s3:::b",
                "arn:aws:s3:::b/k",
                "arn:aws:s3:::b/home/alice/x",
                "arn:aws:s3:::b/*",
                "arn:aws:s3:::other/k",
            ][..],
        ),
        prop::option::of(select(&["true", "false"][..])),
        prop::option::of(select(&["192.0.2.7", "198.51.100.1", "2001:db8::1"][..])),
        prop::option::of(select(&["1", "5", "10", "1000"][..])),
        prop::option::of(vec(select(&["team", "owner", "secret"][..]), 0..3)),
        prop::option::of(select(&["home/alice/", "home/bob/"][..])),
        prop::option::of(select(&["vpce-1"][..])),
    )
        .prop_map(|(p, action, resource, tls, ip, keys, tags, prefix, vpce)| {
            let mut r = Request::new(principals()[p].clone(), action, resource);
            for (key, value) in [
                ("aws:SecureTransport", tls),
                ("aws:SourceIp", ip),
                ("s3:max-keys", keys),
                ("s3:prefix", prefix),
                ("aws:SourceVpce", vpce),
            ] {
                if let Some(v) = value {
                    r = r.with(key, &[v]);
                }
            }
            if let Some(tags) = tags {
                r = r.with("aws:TagKeys", &tags);
            }
            r.with("aws:CurrentTime", &["2026-03-01T12:00:00Z"])
        })
}

/// A small deterministic coin source, so one `u64` drives a whole rewrite.
struct Coins(u64);

impl Coins {
    fn flip(&mut self) -> bool {
        // xorshift64; the seed is forced non-zero.
        let mut x = self.0 | 1;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x & 1 == 1
    }
}

/// The rewrites S3 makes when it stores a policy (AWS-FACTS.md section 5), plus the spellings the
/// canonical form declares equal: none of them may change a decision.
fn rewrite(policy: &Value, seed: u64) -> Value {
    let mut coins = Coins(seed);
    let mut out = policy.as_object().unwrap().clone();
    let mut statements: Vec<Value> = out["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| rewrite_statement(s.as_object().unwrap(), &mut coins))
        .collect();
    if coins.flip() {
        statements.reverse();
    }
    if !statements.is_empty() && coins.flip() {
        statements.rotate_left(1);
    }
    let statement = if statements.len() == 1 && coins.flip() {
        statements.pop().unwrap()
    } else {
        Value::Array(statements)
    };
    out.insert("Statement".into(), statement);
    Value::Object(out)
}

fn shape_list(values: Vec<Value>, coins: &mut Coins) -> Value {
    let mut values = values;
    if coins.flip() {
        values.reverse();
    }
    if values.len() > 1 && coins.flip() {
        let first = values[0].clone();
        values.push(first);
    }
    if values.len() == 1 && coins.flip() {
        values.pop().unwrap()
    } else {
        Value::Array(values)
    }
}

fn as_list(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

fn recase(s: &str, coins: &mut Coins) -> String {
    s.chars()
        .map(|c| {
            if coins.flip() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn rewrite_statement(s: &Map<String, Value>, coins: &mut Coins) -> Value {
    let mut out = Map::new();
    for (key, value) in s {
        let v = match key.as_str() {
            "Sid" if value == "" && coins.flip() => continue,
            "Effect" => json!(recase(value.as_str().unwrap(), coins)),
            "Action" | "NotAction" => {
                let items = as_list(value)
                    .iter()
                    .map(|a| json!(recase(a.as_str().unwrap(), coins)))
                    .collect();
                shape_list(items, coins)
            }
            "Resource" | "NotResource" => shape_list(as_list(value), coins),
            "Principal" | "NotPrincipal" => {
                let kinds = match value {
                    Value::String(s) if coins.flip() => json!({ "AWS": s }),
                    Value::String(_) => value.clone(),
                    Value::Object(kinds) => {
                        let mut k = Map::new();
                        for (kind, values) in kinds {
                            let items = as_list(values)
                                .into_iter()
                                .map(|v| {
                                    let text = v.as_str().unwrap();
                                    json!(if kind == "AWS" && coins.flip() {
                                        swap_account_form(text)
                                    } else {
                                        text.to_string()
                                    })
                                })
                                .collect();
                            k.insert(kind.clone(), shape_list(items, coins));
                        }
                        if !k.contains_key("Service") && coins.flip() {
                            k.insert("Service".into(), json!([]));
                        }
                        Value::Object(k)
                    }
                    other => other.clone(),
                };
                kinds
            }
            "Condition" => {
                let mut ops = Map::new();
                for (op, keys) in value.as_object().unwrap() {
                    let mut k = Map::new();
                    for (key, values) in keys.as_object().unwrap() {
                        let items = as_list(values)
                            .into_iter()
                            .map(|v| match v {
                                Value::Bool(b) if coins.flip() => json!(b.to_string()),
                                Value::Number(n) if coins.flip() => json!(n.to_string()),
                                Value::String(s)
                                    if (s == "true" || s == "false") && coins.flip() =>
                                {
                                    json!(s == "true")
                                }
                                other => other,
                            })
                            .collect();
                        k.insert(recase(key, coins), shape_list(items, coins));
                    }
                    ops.insert(op.clone(), Value::Object(k));
                }
                Value::Object(ops)
            }
            _ => value.clone(),
        };
        out.insert(key.clone(), v);
    }
    Value::Object(out)
}

/// `ACCOUNT` <-> `arn:aws:iam::ACCOUNT:root`, the rewrite S3 makes in principals.
fn swap_account_form(value: &str) -> String {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("arn:aws:iam::{value}:root")
    } else if let Some(account) = value
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.strip_suffix(":root"))
    {
        account.to_string()
    } else {
        value.to_string()
    }
}

fn decision(policy: &Policy, request: &Request) -> Result<Decision, String> {
    evaluate(policy, request).map(|e| e.decision).map_err(|e| {
        // Labels name statements by position, which a reordering changes; compare the kind only.
        format!("{e:?}")
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string()
    })
}

/// The obvious exponential definition of IAM's `*`/`?` matching.
fn reference(p: &[char], t: &[char]) -> bool {
    match (p.first(), t.first()) {
        (None, _) => t.is_empty(),
        (Some('*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
        (Some(_), None) => false,
        (Some('?'), Some(_)) => reference(&p[1..], &t[1..]),
        (Some(a), Some(b)) => a == b && reference(&p[1..], &t[1..]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn canonical_form_is_idempotent(policy in policy(), seed in any::<u64>()) {
        for value in [policy.clone(), rewrite(&policy, seed)] {
            let once = Canonical::of(&Policy::from_value(value).unwrap());
            let again = Canonical::of(&Policy::from_value(once.as_value().clone()).unwrap());
            prop_assert_eq!(once, again);
        }
    }

    #[test]
    fn one_canonical_form_one_decision(
        policy in policy(),
        seed in any::<u64>(),
        requests in vec(request(), 1..8),
    ) {
        let original = Policy::from_value(policy.clone()).unwrap();
        let rewritten = Policy::from_value(rewrite(&policy, seed)).unwrap();
        let canonical = Canonical::of(&original);
        prop_assert_eq!(&canonical, &Canonical::of(&rewritten), "the rewrite changed the canonical form");
        let as_policy = Policy::from_value(canonical.as_value().clone()).unwrap();
        for request in &requests {
            let expected = decision(&original, request);
            prop_assert_eq!(&expected, &decision(&rewritten, request), "rewritten: {}", rewritten.to_compact());
            prop_assert_eq!(&expected, &decision(&as_policy, request), "canonical: {}", as_policy.to_compact());
        }
    }

    #[test]
    fn wildcard_matches_agrees_with_the_reference(
        pattern in "[ab*?]{0,8}",
        text in "[ab*?é]{0,10}",
    ) {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        prop_assert_eq!(wildcard::matches(&pattern, &text), reference(&p, &t));
    }
}
