//! Carrying out a plan: for each bucket to change, re-read, back up, write, read back.
//! Nothing here decides what to write; the plan did.

use futures::stream::{self, StreamExt};
use serde::Serialize;

use super::backup::Backup;
use crate::backend::BucketStore;
use crate::plan::BucketPlan;
use crate::policy::canonical::same_policy;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    Applied,
    Unchanged,
    Skipped,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct BucketOutcome {
    pub bucket: String,
    pub kind: OutcomeKind,
    pub detail: Option<String>,
}

/// Is the policy read now the one the plan was made from? Same text, or the same policy as AWS
/// may have reformatted it.
fn still_as_planned(now: Option<&str>, planned: Option<&str>) -> bool {
    match (now, planned) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || same_policy(a, b).unwrap_or(false),
        _ => false,
    }
}

pub async fn apply_one(
    store: &dyn BucketStore,
    plan: &BucketPlan,
    backup: &Backup,
) -> BucketOutcome {
    let outcome = |kind, detail: Option<String>| BucketOutcome {
        bucket: plan.bucket.clone(),
        kind,
        detail,
    };
    if !plan.action.is_change() {
        return if plan.action.is_skip() {
            outcome(OutcomeKind::Skipped, plan.reasons.first().cloned())
        } else {
            outcome(OutcomeKind::Unchanged, None)
        };
    }
    let Some(region) = plan.region.as_deref() else {
        return outcome(
            OutcomeKind::Failed,
            Some("the plan for this bucket has no region".into()),
        );
    };
    // `None` means: the bucket should end with no policy (a rollback to "there was none").
    let proposed = plan.proposed_policy.as_deref();
    // Plans can come from files: whatever they say, never write something that is not a policy.
    if let Some(Err(e)) = proposed.map(crate::policy::document::Policy::parse) {
        return outcome(
            OutcomeKind::Failed,
            Some(format!(
                "the proposed policy is not a valid policy ({e}); nothing written"
            )),
        );
    }
    let current = match store.get_policy(&plan.bucket, region).await {
        Ok(current) => current,
        Err(e) => {
            return outcome(
                OutcomeKind::Failed,
                Some(format!("re-reading the policy: {e}")),
            )
        }
    };
    if !still_as_planned(current.as_deref(), plan.stored_policy.as_deref()) {
        return outcome(
            OutcomeKind::Failed,
            Some("the policy changed since it was planned; nothing written (plan again)".into()),
        );
    }
    if let Err(e) = backup.save(&plan.bucket, region, current.as_deref(), proposed) {
        return outcome(
            OutcomeKind::Failed,
            Some(format!("saving the backup: {e}; nothing written")),
        );
    }
    let written = match proposed {
        Some(text) => store.put_policy(&plan.bucket, region, text).await,
        None => store.delete_policy(&plan.bucket, region).await,
    };
    if let Err(e) = written {
        return outcome(
            OutcomeKind::Failed,
            Some(format!("writing the policy: {e}; the policy is as it was")),
        );
    }
    match (store.get_policy(&plan.bucket, region).await, proposed) {
        (Ok(None), None) => outcome(OutcomeKind::Applied, None),
        (Ok(Some(back)), Some(text)) if same_policy(&back, text).unwrap_or(false) => {
            outcome(OutcomeKind::Applied, None)
        }
        (Ok(Some(_)), _) => outcome(
            OutcomeKind::Failed,
            Some(
                "written, but the policy read back is not the one written (another writer?)".into(),
            ),
        ),
        (Ok(None), Some(_)) => outcome(
            OutcomeKind::Failed,
            Some("written, but the bucket has no policy when read back".into()),
        ),
        (Err(e), _) => outcome(
            OutcomeKind::Failed,
            Some(format!("written, but reading it back failed: {e}")),
        ),
    }
}

/// Apply every plan (bounded concurrency); one bucket's failure never stops the others.
pub async fn apply_all(
    store: &dyn BucketStore,
    plans: &[BucketPlan],
    backup: &Backup,
    concurrency: usize,
) -> Vec<BucketOutcome> {
    let mut outcomes: Vec<BucketOutcome> = stream::iter(plans)
        .map(|p| apply_one(store, p, backup))
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    outcomes.sort_by(|a, b| a.bucket.cmp(&b.bucket));
    outcomes
}

#[cfg(test)]
mod tests {
    use super::still_as_planned;

    #[test]
    fn reformatting_by_aws_is_not_a_change_but_an_edit_is() {
        assert!(still_as_planned(None, None));
        assert!(still_as_planned(
            Some(r#"{"Statement":{"Action":"s3:a"}}"#),
            Some(r#"{"Statement":[{"Action":["s3:a"]}]}"#)
        ));
        assert!(!still_as_planned(Some(r#"{"Statement":[]}"#), None));
        assert!(!still_as_planned(
            Some(r#"{"Statement":{"Action":"s3:b"}}"#),
            Some(r#"{"Statement":{"Action":"s3:a"}}"#)
        ));
    }
}
