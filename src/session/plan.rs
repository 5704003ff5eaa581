//! Reading the selected buckets (concurrently, bounded) and planning each one.

use futures::stream::{self, StreamExt};

use std::collections::BTreeMap;

use crate::backend::{BackendError, BucketInfo, BucketStore, Caller, Directory};
use crate::plan::{guards, plan_bucket, BucketPlan, BucketRead, PlanContext};
use crate::policy::canonical::account_of_root_arn;
use crate::policy::document::Policy;
use crate::policy::wildcard;
use crate::principal::spec::parse_iam_arn;

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

/// Read every bucket (bounded concurrency), ordered by name whatever order reads finish in.
pub async fn read_all(
    store: &dyn BucketStore,
    buckets: Vec<BucketInfo>,
    concurrency: usize,
) -> Vec<BucketRead> {
    let mut reads: Vec<BucketRead> = stream::iter(buckets)
        .map(|b| read_bucket(store, b))
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    reads.sort_by(|a, b| a.bucket.cmp(&b.bucket));
    reads
}

/// Read and plan every bucket; the result is ordered by bucket name.
pub async fn plan_all(
    store: &dyn BucketStore,
    buckets: Vec<BucketInfo>,
    ctx: &PlanContext<'_>,
    concurrency: usize,
) -> Vec<BucketPlan> {
    read_all(store, buckets, concurrency)
        .await
        .into_iter()
        .map(|r| plan_bucket(r, ctx))
        .collect()
}

/// For `--replace-notprincipal`: the `aws:userId` value of every principal named in a stored
/// Deny + NotPrincipal statement that can be resolved (roles and users of this account through
/// IAM, sessions as `ROLEID:session`, accounts as their ID). Unresolvable ones are left out; the
/// plan refuses a bucket that names one.
pub async fn resolve_notprincipals(
    reads: &[BucketRead],
    directory: &dyn Directory,
    caller: &Caller,
) -> Result<BTreeMap<String, String>, BackendError> {
    let mut values = BTreeMap::new();
    let mut arns = std::collections::BTreeSet::new();
    for read in reads {
        let Ok(Some(text)) = &read.stored else {
            continue;
        };
        let Ok(policy) = Policy::parse(text) else {
            continue;
        };
        arns.extend(guards::notprincipal_arns(&policy));
    }
    for arn in arns {
        let value = if let Some(account) =
            account_of_root_arn(&arn).or_else(|| is_account(&arn).then_some(arn.as_str()))
        {
            Some(account.to_string())
        } else if let Some((role, session)) = arn
            .split_once(":assumed-role/")
            .and_then(|(_, r)| r.split_once('/'))
        {
            directory
                .role(role)
                .await?
                .map(|r| format!("{}:{session}", r.id))
        } else {
            match parse_iam_arn(&arn) {
                Some(p) if p.account == caller.account && p.resource_type == "role" => directory
                    .role(p.name)
                    .await?
                    .filter(|r| r.arn == arn)
                    .map(|r| format!("{}:*", r.id)),
                Some(p) if p.account == caller.account && p.resource_type == "user" => directory
                    .user(p.name)
                    .await?
                    .filter(|u| u.arn == arn)
                    .map(|u| u.id),
                _ => None,
            }
        };
        if let Some(value) = value {
            values.insert(arn, value);
        }
    }
    Ok(values)
}

fn is_account(v: &str) -> bool {
    v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit())
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
