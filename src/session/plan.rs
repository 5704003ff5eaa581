//! Reading the selected buckets (concurrently, bounded) and planning each one.

use futures::stream::{self, StreamExt};

use crate::backend::{BackendError, BucketInfo, BucketStore};
use crate::plan::{guards, plan_bucket, BucketPlan, BucketRead, PlanContext};
use crate::policy::wildcard;

/// Which buckets a run looks at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Exact names from `--bucket`; when given, the account's listing is not consulted.
    pub names: Vec<String>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl Selection {
    pub fn wants(&self, name: &str) -> bool {
        let included =
            self.include.is_empty() || self.include.iter().any(|p| wildcard::matches(p, name));
        included && !self.exclude.iter().any(|p| wildcard::matches(p, name))
    }
}

pub async fn select_buckets(
    store: &dyn BucketStore,
    selection: &Selection,
) -> Result<Vec<BucketInfo>, BackendError> {
    if !selection.names.is_empty() {
        let mut names = selection.names.clone();
        names.sort();
        names.dedup();
        return Ok(names
            .into_iter()
            .map(|name| BucketInfo { name, region: None })
            .collect());
    }
    let listed = store.list_buckets().await?;
    Ok(listed
        .into_iter()
        .filter(|b| selection.wants(&b.name))
        .collect())
}

pub async fn read_bucket(store: &dyn BucketStore, bucket: BucketInfo) -> BucketRead {
    let region = match bucket.region {
        Some(region) => Ok(region),
        None => store.region_of(&bucket.name).await,
    };
    let stored = match &region {
        Ok(region) => store.get_policy(&bucket.name, region).await,
        Err(e) => Err(e.clone()),
    };
    let public_access = match (&region, &stored) {
        (Ok(region), Ok(Some(text))) if guards::may_be_public(text) => {
            Some(store.public_access(&bucket.name, region).await)
        }
        _ => None,
    };
    BucketRead {
        bucket: bucket.name,
        region,
        stored,
        public_access,
    }
}

/// Read and plan every bucket; the result is ordered by bucket name whatever order reads finish in.
pub async fn plan_all(
    store: &dyn BucketStore,
    buckets: Vec<BucketInfo>,
    ctx: &PlanContext<'_>,
    concurrency: usize,
) -> Vec<BucketPlan> {
    let mut plans: Vec<BucketPlan> = stream::iter(buckets)
        .map(|b| async move { plan_bucket(read_bucket(store, b).await, ctx) })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    plans.sort_by(|a, b| a.bucket.cmp(&b.bucket));
    plans
}

#[cfg(test)]
mod tests {
    use super::Selection;

    #[test]
    fn include_then_exclude() {
        let s = Selection {
            names: vec![],
            include: vec!["prod-*".into()],
            exclude: vec!["*-logs".into()],
        };
        assert!(s.wants("prod-data"));
        assert!(!s.wants("prod-logs"));
        assert!(!s.wants("dev-data"));
        assert!(Selection::default().wants("anything"));
    }
}
