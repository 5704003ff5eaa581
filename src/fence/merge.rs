//! stored policy + fence -> proposed policy. Pure.
//!
//! Only the statement carrying the managed Sid is ever touched: statements are never keyed by Sid,
//! so statements without a Sid or sharing one (both legal in bucket policies, both seen in real
//! responses) survive in place (corpus bug 12).

use serde_json::{Map, Value};

use crate::policy::canonical::{self, Canonical};
use crate::policy::document::{sid_of, statement_label, Policy};

pub const NEW_POLICY_VERSION: &str = "2012-10-17";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MergeKind {
    /// The bucket had no policy: a new document holding only the fence.
    NewPolicy,
    /// The fence is appended after the existing statements.
    AddFence,
    /// The managed statement exists and is replaced where it stands.
    UpdateFence,
    /// The stored policy is already, semantically, the proposed one.
    Unchanged,
}

#[derive(Debug, Clone)]
pub struct Merged {
    pub kind: MergeKind,
    pub proposed: Policy,
    /// Statements of the stored policy carried over untouched.
    pub kept: usize,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    #[error("statements {first} and {second} both carry the managed Sid `{sid}`")]
    DuplicateManagedSid {
        sid: String,
        first: String,
        second: String,
    },
}

pub fn merge(stored: Option<&Policy>, fence: Map<String, Value>) -> Result<Merged, MergeError> {
    let sid = sid_of(&fence).unwrap_or_default().to_string();
    let Some(stored) = stored else {
        let mut proposed = Policy::new_empty(NEW_POLICY_VERSION);
        proposed.push_statement(fence);
        return Ok(Merged {
            kind: MergeKind::NewPolicy,
            proposed,
            kept: 0,
        });
    };
    let statements = stored.statements();
    let owned: Vec<usize> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| sid_of(s) == Some(sid.as_str()))
        .map(|(i, _)| i)
        .collect();
    let mut proposed = stored.clone();
    let kind = match owned.as_slice() {
        [] => {
            proposed.push_statement(fence);
            MergeKind::AddFence
        }
        [at] => {
            let unchanged = canonical::statement(statements[*at]) == canonical::statement(&fence);
            proposed.replace_statement(*at, fence);
            if unchanged {
                MergeKind::Unchanged
            } else {
                MergeKind::UpdateFence
            }
        }
        [a, b, ..] => {
            return Err(MergeError::DuplicateManagedSid {
                sid,
                first: statement_label(*a, statements[*a]),
                second: statement_label(*b, statements[*b]),
            })
        }
    };
    // Keep the stored text when nothing changes semantically: no write, no diff.
    let kind = if kind != MergeKind::Unchanged && Canonical::of(stored) == Canonical::of(&proposed)
    {
        MergeKind::Unchanged
    } else {
        kind
    };
    let proposed = if kind == MergeKind::Unchanged {
        stored.clone()
    } else {
        proposed
    };
    let kept = statements.len() - owned.len();
    Ok(Merged {
        kind,
        proposed,
        kept,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fence::statement::FenceSpec;

    fn fence(values: &[&str]) -> Map<String, Value> {
        let values: Vec<String> = values.iter().map(|s| s.to_string()).collect();
        FenceSpec::default().statement("aws", "b", &values)
    }

    #[test]
    fn no_policy_gets_a_versioned_document() {
        let m = merge(None, fence(&["1"])).unwrap();
        assert_eq!(m.kind, MergeKind::NewPolicy);
        assert_eq!(m.proposed.version(), Some("2012-10-17"));
        assert_eq!(m.proposed.statements().len(), 1);
    }

    #[test]
    fn fence_is_replaced_where_it_stands() {
        let first = merge(
            Some(&Policy::parse(r#"{"Statement":[{"Sid":"a"},{"Sid":"z"}]}"#).unwrap()),
            fence(&["1"]),
        )
        .unwrap();
        let mut stored = first.proposed.clone();
        // Move the fence to the front, as a human editor might.
        let statements: Vec<Value> = stored
            .statements()
            .into_iter()
            .map(|s| Value::Object(s.clone()))
            .collect();
        let reordered =
            serde_json::json!({"Statement": [statements[2], statements[0], statements[1]]});
        stored = Policy::from_value(reordered).unwrap();
        let m = merge(Some(&stored), fence(&["1", "2"])).unwrap();
        assert_eq!(m.kind, MergeKind::UpdateFence);
        assert_eq!(
            sid_of(m.proposed.statements()[0]),
            Some("BucketFenceDenyUnlisted")
        );
        assert_eq!(m.kept, 2);
    }

    #[test]
    fn merging_twice_is_merging_once() {
        let stored = Policy::parse(r#"{"Statement":{"Sid":"a","Effect":"Allow"}}"#).unwrap();
        let once = merge(Some(&stored), fence(&["1"])).unwrap();
        let twice = merge(Some(&once.proposed), fence(&["1"])).unwrap();
        assert_eq!(twice.kind, MergeKind::Unchanged);
        assert_eq!(twice.proposed, once.proposed);
    }

    #[test]
    fn two_managed_sids_are_refused_with_both_named() {
        let stored = Policy::parse(
            r#"{"Statement":[{"Sid":"BucketFenceDenyUnlisted"},{"Sid":"x"},{"Sid":"BucketFenceDenyUnlisted"}]}"#,
        )
        .unwrap();
        let err = merge(Some(&stored), fence(&["1"])).unwrap_err().to_string();
        assert!(err.contains("#1") && err.contains("#3"), "{err}");
    }
}
