//! Validation before writing: a local subset of what IAM Access Analyzer reports for
//! `AWS::S3::Bucket` policies. Findings in the statement bucketfence owns are errors (they block
//! the write); findings in other statements are warnings, named by Sid or position.

use serde_json::{Map, Value};

use crate::policy::document::{sid_of, statement_label, string_or_list, Policy};
use crate::policy::wildcard;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub statement: String,
    pub owned: bool,
    pub message: String,
}

const OPERATORS: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// Global condition keys (IAM User Guide, reference_policies_condition-keys), lower-cased; keys
/// ending in `/` take a tag or name after them.
const GLOBAL_KEYS: [&str; 48] = [
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:currenttime",
    "aws:ec2instancesourceprivateipv4",
    "aws:ec2instancesourcevpc",
    "aws:epochtime",
    "aws:federatedprovider",
    "aws:multifactorauthage",
    "aws:multifactorauthpresent",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalisawsservice",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalservicename",
    "aws:principalservicenameslist",
    "aws:principaltag/",
    "aws:principaltype",
    "aws:referer",
    "aws:requestedregion",
    "aws:requesttag/",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
    "aws:resourcetag/",
    "aws:securetransport",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceidentity",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpcarn",
    "aws:sourcevpce",
    "aws:tagkeys",
    "aws:tokenissuetime",
    "aws:useragent",
    "aws:userid",
    "aws:username",
    "aws:viaawsservice",
    "aws:vpcsourceip",
    "aws:isreplicationpolicy",
    "aws:ismfapresent",
    "aws:requestattribute/",
    "aws:chatbotsourcearn",
];

fn known_operator(op: &str) -> bool {
    let base = op
        .strip_prefix("ForAnyValue:")
        .or_else(|| op.strip_prefix("ForAllValues:"))
        .unwrap_or(op);
    let base = base.strip_suffix("IfExists").unwrap_or(base);
    OPERATORS.contains(&base)
}

fn known_global_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    GLOBAL_KEYS.iter().any(|k| {
        if k.ends_with('/') {
            key.starts_with(k) && key.len() > k.len()
        } else {
            key == *k
        }
    })
}

/// Object-level S3 actions take `bucket/key` resources; the rest take the bucket itself.
fn is_object_action(action: &str) -> Option<bool> {
    let name = action.to_ascii_lowercase();
    let name = name.strip_prefix("s3:")?;
    if name.contains(['*', '?']) {
        return None; // a pattern may cover both kinds
    }
    Some(
        name.contains("object")
            || [
                "abortmultipartupload",
                "listmultipartuploadparts",
                "restoreobject",
                "replicatedelete",
            ]
            .contains(&name)
            || name.starts_with("replicate"),
    )
}

pub fn lint(policy: &Policy, bucket: &str, partition: &str, managed_sid: &str) -> Vec<Lint> {
    let mut out = Vec::new();
    for (i, s) in policy.statements().into_iter().enumerate() {
        let owned = sid_of(s) == Some(managed_sid);
        let mut say = |message: String| {
            out.push(Lint {
                statement: statement_label(i, s),
                owned,
                message,
            })
        };
        lint_statement(s, bucket, partition, &mut say);
        if owned && !managed_sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            say(format!(
                "the managed Sid `{managed_sid}` must be letters and digits"
            ));
        }
    }
    out
}

fn lint_statement(
    s: &Map<String, Value>,
    bucket: &str,
    partition: &str,
    say: &mut dyn FnMut(String),
) {
    for (a, b) in [
        ("Principal", "NotPrincipal"),
        ("Action", "NotAction"),
        ("Resource", "NotResource"),
    ] {
        match (s.contains_key(a), s.contains_key(b)) {
            (true, true) => say(format!("has both `{a}` and `{b}`")),
            (false, false) => say(format!("has neither `{a}` nor `{b}`")),
            _ => {}
        }
    }
    match s.get("Effect").and_then(Value::as_str) {
        Some("Allow" | "Deny") => {}
        Some(other) => say(format!("`Effect` is `{other}`, not `Allow` or `Deny`")),
        None => say("has no `Effect`".into()),
    }
    if let Some(Value::Object(operators)) = s.get("Condition") {
        for (op, keys) in operators {
            if !known_operator(op) {
                say(format!("unknown condition operator `{op}`"));
            }
            if let Value::Object(keys) = keys {
                for key in keys.keys() {
                    if key.to_ascii_lowercase().starts_with("aws:") && !known_global_key(key) {
                        say(format!(
                            "unknown global condition key `{key}` (a typo makes a negated operator match every request)"
                        ));
                    }
                }
            }
        }
    }
    let resources: Vec<&str> = s
        .get("Resource")
        .and_then(|v| string_or_list(v).ok())
        .unwrap_or_default();
    let bucket_arn = format!("arn:{partition}:s3:::{bucket}");
    for r in &resources {
        let inside = *r == bucket_arn || r.starts_with(&format!("{bucket_arn}/"));
        if !inside {
            say(format!(
                "resource `{r}` is not this bucket (`{bucket_arn}`) or its objects: S3 rejects it"
            ));
        }
    }
    let actions: Vec<&str> = s
        .get("Action")
        .and_then(|v| string_or_list(v).ok())
        .unwrap_or_default();
    if !resources.is_empty() {
        let has_objects = resources
            .iter()
            .any(|r| r.contains('/') || r.ends_with('*'));
        let has_bucket = resources.iter().any(|r| wildcard::matches(r, &bucket_arn));
        for a in &actions {
            match is_object_action(a) {
                Some(true) if !has_objects => say(format!(
                    "`{a}` applies to objects, and no resource names objects"
                )),
                Some(false) if !has_bucket => say(format!(
                    "`{a}` applies to the bucket, and no resource names the bucket"
                )),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        lint(&Policy::parse(text).unwrap(), "b", "aws", "Fence")
            .into_iter()
            .map(|l| l.message)
            .collect()
    }

    #[test]
    fn findings_table() {
        let base = r#""Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*""#;
        for (extra, needle) in [
            (
                r#","Condition":{"StringNotLike":{"aws:userld":"x"}}"#,
                "unknown global condition key `aws:userld`",
            ),
            (
                r#","Condition":{"StringNotLikes":{"aws:userId":"x"}}"#,
                "unknown condition operator",
            ),
            (
                r#","NotPrincipal":{"AWS":"x"}"#,
                "both `Principal` and `NotPrincipal`",
            ),
        ] {
            let found = messages(&format!("{{\"Statement\":[{{{base}{extra}}}]}}"));
            assert!(
                found.iter().any(|m| m.contains(needle)),
                "{extra}: {found:?}"
            );
        }
        assert_eq!(
            messages(&format!("{{\"Statement\":[{{{base}}}]}}")),
            Vec::<String>::new()
        );
        let outside = messages(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"}]}"#,
        );
        assert!(
            outside.iter().any(|m| m.contains("is not this bucket")),
            "{outside:?}"
        );
        let wrong_kind = messages(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b/*"}]}"#,
        );
        assert!(
            wrong_kind
                .iter()
                .any(|m| m.contains("applies to the bucket")),
            "{wrong_kind:?}"
        );
        let tagged = messages(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"ForAnyValue:StringEqualsIfExists":{"aws:PrincipalTag/team":"x"}}}]}"#,
        );
        assert_eq!(tagged, Vec::<String>::new());
    }
}
