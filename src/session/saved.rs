//! Saved plans: `plan --out FILE` writes the reviewed plan, `apply FILE` carries out exactly that
//! plan and nothing else. The file carries a checksum of its content (an edited or truncated file
//! is rejected) and the sha256 of each stored policy it was made from (a bucket whose policy has
//! changed since is refused). The checksum guards against accidents, not against an attacker who
//! can recompute it.

use serde::{Deserialize, Serialize};

use super::backup::sha256_hex;
use crate::plan::guards::Finding;
use crate::plan::{Action, BucketPlan};

pub const FORMAT: &str = "bucketfence-plan/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Body {
    pub format: String,
    pub account: String,
    pub caller_arn: String,
    pub created: String,
    pub buckets: Vec<SavedBucket>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedBucket {
    pub bucket: String,
    pub region: Option<String>,
    pub action: Action,
    /// sha256 of the stored policy text the plan was made from; `None` for "no policy".
    pub stored_sha256: Option<String>,
    pub stored_policy: Option<String>,
    pub proposed_policy: Option<String>,
    pub reasons: Vec<String>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    #[serde(flatten)]
    body: Body,
    checksum: String,
}

fn checksum(body: &Body) -> String {
    sha256_hex(&serde_json::to_string(body).expect("a plan serializes"))
}

pub fn save(account: &str, caller_arn: &str, created: &str, plans: &[BucketPlan]) -> String {
    let body = Body {
        format: FORMAT.into(),
        account: account.into(),
        caller_arn: caller_arn.into(),
        created: created.into(),
        buckets: plans
            .iter()
            .map(|p| SavedBucket {
                bucket: p.bucket.clone(),
                region: p.region.clone(),
                action: p.action,
                stored_sha256: p.stored_policy.as_deref().map(sha256_hex),
                stored_policy: p.stored_policy.clone(),
                proposed_policy: p.proposed_policy.clone(),
                reasons: p.reasons.clone(),
                findings: p.findings.clone(),
            })
            .collect(),
    };
    let file = File {
        checksum: checksum(&body),
        body,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a plan serializes");
    text.push('\n');
    text
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LoadError {
    #[error("not a bucketfence plan file (truncated?): {0}")]
    Parse(String),
    #[error("the plan file has format `{0}`; this bucketfence reads `{FORMAT}`")]
    Format(String),
    #[error("the plan file was changed after it was made (its checksum does not match)")]
    Checksum,
    #[error("bucket {bucket}: {problem}")]
    Invalid { bucket: String, problem: String },
    #[error("the plan was made for account {planned}, but the caller is in account {actual}")]
    Account { planned: String, actual: String },
}

/// Load and check a plan file; the plans to carry out, exactly as saved.
pub fn load(text: &str, caller_account: &str) -> Result<(Body, Vec<BucketPlan>), LoadError> {
    let file: File = serde_json::from_str(text).map_err(|e| LoadError::Parse(e.to_string()))?;
    if file.body.format != FORMAT {
        return Err(LoadError::Format(file.body.format));
    }
    if checksum(&file.body) != file.checksum {
        return Err(LoadError::Checksum);
    }
    for b in &file.body.buckets {
        if b.stored_policy.as_deref().map(sha256_hex) != b.stored_sha256 {
            return Err(LoadError::Checksum);
        }
    }
    for b in &file.body.buckets {
        if let Some(problem) = invalid_entry(b) {
            return Err(LoadError::Invalid {
                bucket: b.bucket.clone(),
                problem,
            });
        }
    }
    if file.body.account != caller_account {
        return Err(LoadError::Account {
            planned: file.body.account,
            actual: caller_account.into(),
        });
    }
    let plans = file
        .body
        .buckets
        .iter()
        .map(|b| BucketPlan {
            bucket: b.bucket.clone(),
            region: b.region.clone(),
            action: b.action,
            stored_policy: b.stored_policy.clone(),
            proposed_policy: b.proposed_policy.clone(),
            kept_statements: 0,
            reasons: b.reasons.clone(),
            hints: Vec::new(),
            findings: b.findings.clone(),
            refused_by: Vec::new(),
        })
        .collect();
    Ok((file.body, plans))
}

/// Does every Resource of `policy` belong to `bucket` (in any partition)?
pub fn resources_in_bucket(policy: &crate::policy::document::Policy, bucket: &str) -> bool {
    policy.statements().iter().all(|s| {
        s.get("Resource")
            .and_then(|r| crate::policy::document::string_or_list(r).ok())
            .unwrap_or_default()
            .iter()
            .all(|r| {
                ["aws", "aws-cn", "aws-us-gov"].iter().any(|p| {
                    let arn = format!("arn:{p}:s3:::{bucket}");
                    *r == arn || r.starts_with(&format!("{arn}/"))
                })
            })
    })
}

/// What a plan file may ask for: the changes `plan` makes, each proposing a policy for that
/// bucket alone that S3 would accept. (The checksum only catches accidents.)
fn invalid_entry(b: &SavedBucket) -> Option<String> {
    let valid_name = !b.bucket.is_empty()
        && b.bucket
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'));
    if !valid_name {
        return Some("not a valid bucket name".into());
    }
    match b.action {
        Action::Restore | Action::RemovePolicy => {
            return Some("a plan file cannot restore or delete policies".into())
        }
        a if !a.is_change() => return None,
        _ => {}
    }
    let Some(text) = b.proposed_policy.as_deref() else {
        return Some("a change without a proposed policy".into());
    };
    if text.len() > crate::plan::MAX_POLICY_BYTES * 2 {
        return Some("the proposed policy is far over S3's size limit".into());
    }
    let policy = match crate::policy::document::Policy::parse(text) {
        Ok(p) => p,
        Err(e) => return Some(format!("the proposed policy is not a policy: {e}")),
    };
    let resources_ok = resources_in_bucket(&policy, &b.bucket);
    if !resources_ok {
        return Some("the proposed policy names resources outside this bucket".into());
    }
    None
}

/// Refuse each planned change whose bucket no longer holds exactly the policy the plan was made
/// from (`current` is what was read now, or why it could not be).
pub fn refuse_changed(plan: &mut BucketPlan, current: Result<Option<String>, String>) {
    if !plan.action.is_change() {
        return;
    }
    let planned = plan.stored_policy.as_deref().map(sha256_hex);
    let reason = match current {
        Ok(now) if now.as_deref().map(sha256_hex) == planned => return,
        Ok(_) => {
            "the stored policy changed since the plan was made (its sha256 differs); plan again"
                .to_string()
        }
        Err(e) => format!("reading the bucket policy: {e}"),
    };
    plan.action = Action::Refused;
    plan.reasons = vec![reason];
    plan.proposed_policy = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plans() -> Vec<BucketPlan> {
        vec![BucketPlan {
            bucket: "b".into(),
            region: Some("us-east-1".into()),
            action: Action::AddFence,
            stored_policy: Some("{\"Statement\":[]}".into()),
            proposed_policy: Some("{}".into()),
            kept_statements: 0,
            reasons: vec![],
            hints: vec![],
            findings: vec![],
            refused_by: Vec::new(),
        }]
    }

    #[test]
    fn round_trip_and_every_kind_of_damage() {
        let text = save("111122223333", "arn", "t", &plans());
        let (_, loaded) = load(&text, "111122223333").unwrap();
        assert_eq!(loaded[0].proposed_policy.as_deref(), Some("{}"));
        assert!(matches!(
            load(&text, "999988887777"),
            Err(LoadError::Account { .. })
        ));
        assert!(matches!(
            load(&text[..text.len() / 2], "111122223333"),
            Err(LoadError::Parse(_))
        ));
        let edited = text.replace(
            "\"proposed_policy\": \"{}\"",
            "\"proposed_policy\": \"{ }\"",
        );
        assert_ne!(edited, text);
        assert_eq!(
            load(&edited, "111122223333").unwrap_err(),
            LoadError::Checksum
        );
    }

    #[test]
    fn a_changed_bucket_is_refused() {
        let mut p = plans().remove(0);
        refuse_changed(&mut p, Ok(Some("{\"Statement\":[]}".into())));
        assert_eq!(p.action, Action::AddFence);
        refuse_changed(&mut p, Ok(Some("{\"Statement\": []}".into())));
        assert_eq!(p.action, Action::Refused);
        assert!(p.proposed_policy.is_none());
    }
}
