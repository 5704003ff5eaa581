//! Rollback: put back exactly the policies a backup holds, through the same plan -> diff ->
//! confirm -> apply path as any other change. A bucket whose policy changed since the backup was
//! made (it is neither what bucketfence wrote nor what it replaced) is refused unless forced.

use std::path::Path;

use futures::stream::{self, StreamExt};

use super::backup::{read_file, sha256_hex, Entry, Manifest};
use crate::backend::{BackendError, BucketStore};
use crate::plan::{Action, BucketPlan};
use crate::policy::canonical::same_policy;

/// Both absent, or the same policy (S3 may have reformatted what was written).
fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || same_policy(a, b).unwrap_or(false),
        _ => false,
    }
}

fn empty_plan(entry: &Entry) -> BucketPlan {
    BucketPlan::undecided(entry.bucket.clone(), Some(entry.region.clone()))
}

/// The saved old and new texts of one entry, checked against the manifest's hashes.
fn saved_texts(dir: &Path, entry: &Entry) -> Result<(Option<String>, Option<String>), String> {
    let read = |file: &Option<String>,
                hash: &Option<String>,
                what: &str|
     -> Result<Option<String>, String> {
        match (file, hash) {
            (Some(file), Some(hash)) => {
                let text = read_file(dir, file)?;
                if &sha256_hex(&text) != hash {
                    return Err(format!("the saved {what} policy `{file}` does not match the manifest's sha256 (edited?)"));
                }
                Ok(Some(text))
            }
            (None, None) => Ok(None),
            _ => Err(format!(
                "the manifest entry's {what} file and hash disagree"
            )),
        }
    };
    if entry.had_policy != entry.file.is_some() {
        return Err("the manifest entry says the bucket had a policy but names no file".into());
    }
    Ok((
        read(&entry.file, &entry.old_sha256, "old")?,
        read(&entry.new_file, &entry.new_sha256, "new")?,
    ))
}

/// Pure: what restoring one bucket means, given what it holds now.
pub fn plan_restore(
    entry: &Entry,
    saved: Result<(Option<String>, Option<String>), String>,
    current: Result<Option<String>, BackendError>,
    force: bool,
) -> BucketPlan {
    let mut plan = empty_plan(entry);
    let (old, new) = match saved {
        Ok(texts) => texts,
        Err(e) => {
            plan.reasons.push(e);
            plan.hints.push("use an unmodified backup directory".into());
            return plan;
        }
    };
    let current = match current {
        Ok(current) => current,
        Err(e) => {
            plan.reasons.push(format!("reading the bucket policy: {e}"));
            plan.hints.extend(e.hint().map(String::from));
            return plan;
        }
    };
    plan.stored_policy = current.clone();
    // A backup is a file anyone could have edited: restore only a policy for this bucket.
    if let Some(text) = old.as_deref() {
        let fits = crate::policy::document::Policy::parse(text)
            .map(|p| super::saved::resources_in_bucket(&p, &entry.bucket))
            .unwrap_or(false);
        if !fits {
            plan.action = Action::Refused;
            plan.reasons.push(
                "the saved policy is not a valid policy for this bucket; nothing restored".into(),
            );
            return plan;
        }
    }
    if same(current.as_deref(), old.as_deref()) {
        plan.action = Action::Unchanged;
        return plan;
    }
    if !same(current.as_deref(), new.as_deref()) && !force {
        plan.action = Action::Refused;
        plan.reasons.push(
            "the policy changed since the backup: it is neither the policy bucketfence wrote nor the one it replaced".into(),
        );
        plan.hints.push("compare with the diff below in `plan`, then pass `--force` to restore the saved policy anyway".into());
        return plan;
    }
    plan.action = if old.is_some() {
        Action::Restore
    } else {
        Action::RemovePolicy
    };
    plan.proposed_policy = old;
    plan
}

/// Read every bucket of the backup and plan its restoration. A bucket saved twice in one backup
/// is restored to its first (oldest) saved state.
pub async fn plan_rollback(
    store: &dyn BucketStore,
    dir: &Path,
    manifest: &Manifest,
    force: bool,
    concurrency: usize,
) -> Vec<BucketPlan> {
    let mut seen = std::collections::HashSet::new();
    let entries: Vec<&Entry> = manifest
        .buckets
        .iter()
        .filter(|e| seen.insert(e.bucket.clone()))
        .collect();
    let mut plans: Vec<BucketPlan> = stream::iter(entries)
        .map(|entry| async move {
            let current = store.get_policy(&entry.bucket, &entry.region).await;
            plan_restore(entry, saved_texts(dir, entry), current, force)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    plans.sort_by(|a, b| a.bucket.cmp(&b.bucket));
    plans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            bucket: "b".into(),
            region: "us-east-1".into(),
            time: "t".into(),
            had_policy: true,
            file: Some("b.json".into()),
            old_sha256: None,
            new_file: None,
            new_sha256: None,
        }
    }

    const OLD: &str = r#"{"Statement":[{"Sid":"old"}]}"#;
    const NEW: &str = r#"{"Statement":[{"Sid":"old"},{"Sid":"fence"}]}"#;

    #[test]
    fn restore_table() {
        let saved = || Ok((Some(OLD.to_string()), Some(NEW.to_string())));
        let cases = [
            (Some(NEW), false, Action::Restore),
            (Some(OLD), false, Action::Unchanged),
            (
                Some(r#"{"Statement":[{"Sid":"someone else"}]}"#),
                false,
                Action::Refused,
            ),
            (
                Some(r#"{"Statement":[{"Sid":"someone else"}]}"#),
                true,
                Action::Restore,
            ),
            // S3's reformatting of what bucketfence wrote is still "what bucketfence wrote".
            (
                Some(r#"{"Statement":[{"Sid":"fence"},{"Sid":"old"}]}"#),
                false,
                Action::Restore,
            ),
        ];
        for (current, force, want) in cases {
            let plan = plan_restore(&entry(), saved(), Ok(current.map(String::from)), force);
            assert_eq!(plan.action, want, "{current:?} force={force}");
        }
        let none_before = plan_restore(
            &entry(),
            Ok((None, Some(NEW.into()))),
            Ok(Some(NEW.into())),
            false,
        );
        assert_eq!(none_before.action, Action::RemovePolicy);
        assert_eq!(none_before.proposed_policy, None);
    }
}
