//! The semantic form of a policy, for deciding "same policy or not".
//!
//! S3 rewrites what it stores (AWS-FACTS.md section 5): it compacts whitespace, collapses one-element
//! lists, reorders lists, turns booleans into strings and account IDs into root ARNs. Comparing text
//! would therefore report a change on every run. Two policies are the same when their canonical forms
//! are equal: lists become sorted sets, one value equals a one-element list, condition values are
//! compared as text, account principals as account IDs, `"*"` as `{"AWS": "*"}`, action names and
//! condition keys case-insensitively, an empty Sid as no Sid. Everything else is compared exactly.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::document::{condition_values, string_or_list, Policy};

/// A policy's canonical form. Equal forms mean the same policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical(Value);

impl Canonical {
    pub fn of(policy: &Policy) -> Canonical {
        let mut out = BTreeMap::new();
        for (key, value) in policy.root() {
            if key == "Statement" {
                continue;
            }
            out.insert(key.clone(), value.clone());
        }
        let mut statements: Vec<Value> = policy.statements().into_iter().map(statement).collect();
        statements.sort_by_cached_key(|s| s.to_string());
        out.insert("Statement".into(), Value::Array(statements));
        Canonical(sorted_object(out))
    }

    pub fn as_value(&self) -> &Value {
        &self.0
    }
}

/// Canonical form of one statement (also used to compare single statements).
pub fn statement(statement: &Map<String, Value>) -> Value {
    let mut out = BTreeMap::new();
    for (key, value) in statement {
        let canonical = match key.as_str() {
            "Sid" if value.as_str() == Some("") => continue,
            "Effect" => match value.as_str() {
                Some(e) if e.eq_ignore_ascii_case("allow") => Value::String("Allow".into()),
                Some(e) if e.eq_ignore_ascii_case("deny") => Value::String("Deny".into()),
                _ => value.clone(),
            },
            "Action" | "NotAction" => set(string_or_list(value)
                .unwrap_or_default()
                .into_iter()
                .map(str::to_ascii_lowercase)),
            "Resource" | "NotResource" => set(string_or_list(value)
                .unwrap_or_default()
                .into_iter()
                .map(String::from)),
            "Principal" | "NotPrincipal" => match principal(value) {
                Some(p) => p,
                // An empty principal says nothing, exactly as a missing one.
                None => continue,
            },
            "Condition" => condition(value),
            _ => value.clone(),
        };
        out.insert(key.clone(), canonical);
    }
    sorted_object(out)
}

/// `"*"` and other bare strings are AWS principals; account root ARNs become account IDs.
fn principal(value: &Value) -> Option<Value> {
    let mut kinds: BTreeMap<String, Value> = BTreeMap::new();
    let mut add = |kind: &str, values: Vec<&str>| {
        if values.is_empty() {
            return;
        }
        let normalised = values.into_iter().map(|v| {
            if kind == "AWS" {
                account_of_root_arn(v).unwrap_or(v).to_string()
            } else {
                v.to_string()
            }
        });
        kinds.insert(kind.to_string(), set(normalised));
    };
    match value {
        Value::String(s) => add("AWS", vec![s.as_str()]),
        Value::Object(map) => {
            for (kind, values) in map {
                add(kind, string_or_list(values).unwrap_or_default());
            }
        }
        _ => return Some(value.clone()),
    }
    if kinds.is_empty() {
        None
    } else {
        Some(sorted_object(kinds))
    }
}

/// `arn:PARTITION:iam::ACCOUNT:root` -> `ACCOUNT`.
pub fn account_of_root_arn(value: &str) -> Option<&str> {
    let rest = value.strip_prefix("arn:")?;
    let (_partition, rest) = rest.split_once(':')?;
    let account = rest.strip_prefix("iam::")?.strip_suffix(":root")?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

fn condition(value: &Value) -> Value {
    let Value::Object(operators) = value else {
        return value.clone();
    };
    let mut out = BTreeMap::new();
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else {
            out.insert(operator.clone(), keys.clone());
            continue;
        };
        // Condition key names are case-insensitive: `aws:userId` and `aws:userid` are one key.
        // Two spellings of one key under one operator would be merged as a union of values.
        let mut merged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (key, values) in keys {
            merged
                .entry(key.to_ascii_lowercase())
                .or_default()
                .extend(condition_values(values).unwrap_or_default());
        }
        let keys = merged
            .into_iter()
            .map(|(k, v)| (k, set(v.into_iter())))
            .collect::<BTreeMap<_, _>>();
        out.insert(operator.clone(), sorted_object(keys));
    }
    sorted_object(out)
}

fn set(values: impl Iterator<Item = String>) -> Value {
    let unique: BTreeSet<String> = values.collect();
    Value::Array(unique.into_iter().map(Value::String).collect())
}

fn sorted_object(map: BTreeMap<String, Value>) -> Value {
    Value::Object(map.into_iter().collect())
}

/// Parse both texts and compare their canonical forms.
pub fn same_policy(a: &str, b: &str) -> Result<bool, super::document::PolicyError> {
    Ok(Canonical::of(&Policy::parse(a)?) == Canonical::of(&Policy::parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        same_policy(a, b).unwrap()
    }

    #[test]
    fn s3_rewrites_compare_equal() {
        assert!(same(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":["s3:GetObject"],
               "Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b"],
               "Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:TlsVersion":1.2}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"deny","Principal":{"AWS":"*"},"Action":"S3:getobject",
               "Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
               "Condition":{"Bool":{"aws:securetransport":"false"},"NumericLessThan":{"s3:TlsVersion":["1.2"]}}}}"#,
        ));
    }

    #[test]
    fn account_id_equals_root_arn_only_in_principals() {
        assert!(same(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"}}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"]}}]}"#,
        ));
        assert!(!same(
            r#"{"Statement":[{"Condition":{"StringNotLike":{"aws:userId":"111122223333"}}}]}"#,
            r#"{"Statement":[{"Condition":{"StringNotLike":{"aws:userId":"arn:aws:iam::111122223333:root"}}}]}"#,
        ));
    }

    #[test]
    fn values_and_sids_compare_exactly() {
        assert!(!same(
            r#"{"Statement":[{"Condition":{"StringLike":{"aws:userId":"AROAX:*"}}}]}"#,
            r#"{"Statement":[{"Condition":{"StringLike":{"aws:userId":"aroax:*"}}}]}"#,
        ));
        assert!(!same(
            r#"{"Statement":[{"Sid":"A"}]}"#,
            r#"{"Statement":[{"Sid":"a"}]}"#
        ));
        assert!(same(
            r#"{"Statement":[{"Sid":""}]}"#,
            r#"{"Statement":[{}]}"#
        ));
    }

    #[test]
    fn statement_order_does_not_matter_but_count_does() {
        let a = r#"{"Statement":[{"Sid":"1"},{"Sid":"2"}]}"#;
        assert!(same(a, r#"{"Statement":[{"Sid":"2"},{"Sid":"1"}]}"#));
        assert!(!same(
            a,
            r#"{"Statement":[{"Sid":"2"},{"Sid":"1"},{"Sid":"1"}]}"#
        ));
    }

    #[test]
    fn canonicalize_is_idempotent_on_its_own_output() {
        let p = Policy::parse(
            r#"{"Statement":[{"Action":["s3:B","s3:a"],"Principal":{"AWS":["2","arn:aws:iam::111122223333:root"]}}]}"#,
        )
        .unwrap();
        let once = Canonical::of(&p);
        let again = Canonical::of(&Policy::from_value(once.as_value().clone()).unwrap());
        assert_eq!(once, again);
    }
}
