//! Every policy is saved before it is replaced: one file per bucket and a manifest, rewritten after
//! each bucket (temporary file + rename) so that an interrupted run still leaves a true manifest.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    pub account: String,
    pub caller_arn: String,
    pub created: String,
    pub buckets: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub bucket: String,
    pub region: String,
    pub time: String,
    /// False when the bucket had no policy: restoring it means deleting the policy.
    pub had_policy: bool,
    /// The old policy, byte for byte, relative to the backup directory.
    pub file: Option<String>,
    pub old_sha256: Option<String>,
    /// The policy written in its place (absent when the policy was deleted), so that a rollback
    /// can tell whether the bucket changed since: S3 rewrites what it stores, so the hash alone
    /// cannot say.
    pub new_file: Option<String>,
    pub new_sha256: Option<String>,
}

pub struct Backup {
    base: PathBuf,
    account: String,
    caller_arn: String,
    state: Mutex<Option<(PathBuf, Manifest)>>,
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// RFC 3339 in UTC, whole seconds: `2026-12-03T17:03:02Z` (directory names stay fixed-width and
/// sort in time order).
pub fn timestamp(t: SystemTime) -> String {
    let whole = aws_smithy_types::DateTime::from_secs(aws_smithy_types::DateTime::from(t).secs());
    whole
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_else(|_| "unknown-time".into())
}

/// A bucket name as a file name: anything outside `[A-Za-z0-9._-]` becomes `_`.
fn file_name(bucket: &str) -> String {
    bucket
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Write `text` to `<bucket>.<suffix>` (or `<bucket>-N.<suffix>` when taken); the file name.
fn write_unique(dir: &Path, bucket: &str, suffix: &str, text: &str) -> std::io::Result<String> {
    let mut name = format!("{}.{suffix}", file_name(bucket));
    let mut n = 1;
    while dir.join(&name).exists() {
        n += 1;
        name = format!("{}-{n}.{suffix}", file_name(bucket));
    }
    fs::write(dir.join(&name), text)?;
    Ok(name)
}

/// Read a backup's manifest.
pub fn load(dir: &Path) -> Result<Manifest, String> {
    let path = dir.join(MANIFEST);
    let text = crate::fsutil::read_capped(&path, 64 * 1024 * 1024)?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| format!("`{}` is not a bucketfence manifest: {e}", path.display()))?;
    if manifest.format != 1 {
        return Err(format!(
            "`{}` has format {}, this bucketfence reads format 1",
            path.display(),
            manifest.format
        ));
    }
    Ok(manifest)
}

/// A file named in a manifest, read from the backup directory (never from outside it).
pub fn read_file(dir: &Path, name: &str) -> Result<String, String> {
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(format!(
            "the manifest names `{name}`, which is not a file of this backup"
        ));
    }
    crate::fsutil::read_capped(
        &dir.join(name),
        crate::policy::document::MAX_TEXT_BYTES as u64,
    )
}

impl Backup {
    /// Nothing is created on disk until the first policy is saved.
    pub fn new(base: &Path, account: &str, caller_arn: &str) -> Backup {
        Backup {
            base: base.to_path_buf(),
            account: account.into(),
            caller_arn: caller_arn.into(),
            state: Mutex::new(None),
        }
    }

    /// The run's directory, once something was saved.
    pub fn dir(&self) -> Option<PathBuf> {
        self.state
            .lock()
            .expect("backup lock")
            .as_ref()
            .map(|(d, _)| d.clone())
    }

    pub fn save(
        &self,
        bucket: &str,
        region: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> std::io::Result<PathBuf> {
        let mut state = self.state.lock().expect("backup lock");
        if state.is_none() {
            let created = timestamp(SystemTime::now());
            let stamp: String = created
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            let mut dir = self
                .base
                .join(format!("{stamp}-{}", file_name(&self.account)));
            let mut n = 1;
            while dir.exists() {
                n += 1;
                dir = self
                    .base
                    .join(format!("{stamp}-{}-{n}", file_name(&self.account)));
            }
            fs::create_dir_all(&dir)?;
            let manifest = Manifest {
                format: 1,
                account: self.account.clone(),
                caller_arn: self.caller_arn.clone(),
                created,
                buckets: Vec::new(),
            };
            *state = Some((dir, manifest));
        }
        let (dir, manifest) = state.as_mut().expect("initialised above");
        let file = old
            .map(|text| write_unique(dir, bucket, "json", text))
            .transpose()?;
        let new_file = new
            .map(|text| write_unique(dir, bucket, "new.json", text))
            .transpose()?;
        manifest.buckets.push(Entry {
            bucket: bucket.into(),
            region: region.into(),
            time: timestamp(SystemTime::now()),
            had_policy: old.is_some(),
            file,
            old_sha256: old.map(sha256_hex),
            new_file,
            new_sha256: new.map(sha256_hex),
        });
        let temp = dir.join(".manifest.json.tmp");
        fs::write(
            &temp,
            serde_json::to_string_pretty(manifest).expect("manifest serializes"),
        )?;
        fs::rename(&temp, dir.join(MANIFEST))?;
        Ok(dir.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_whole_seconds() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1_764_781_382_793);
        assert_eq!(timestamp(t), "2025-12-03T17:03:02Z");
    }

    #[test]
    fn saves_old_text_verbatim_and_records_absence() {
        let base = tempfile::tempdir().unwrap();
        let backup = Backup::new(
            base.path(),
            "111122223333",
            "arn:aws:iam::111122223333:user/a",
        );
        assert!(backup.dir().is_none());
        let dir = backup
            .save("b1", "us-east-1", Some(" {\"x\":1} "), Some("new"))
            .unwrap();
        backup.save("b/2", "eu-west-1", None, Some("new2")).unwrap();
        assert_eq!(read_file(&dir, "b1.new.json").unwrap(), "new");
        assert!(read_file(&dir, "../x").is_err());
        assert_eq!(
            fs::read_to_string(dir.join("b1.json")).unwrap(),
            " {\"x\":1} "
        );
        let manifest: Manifest =
            serde_json::from_str(&fs::read_to_string(dir.join(MANIFEST)).unwrap()).unwrap();
        assert_eq!(manifest.buckets.len(), 2);
        assert!(!manifest.buckets[1].had_policy);
        assert_eq!(manifest.buckets[1].file, None);
        assert_eq!(
            manifest.buckets[0].old_sha256.as_deref(),
            Some(sha256_hex(" {\"x\":1} ").as_str())
        );
    }
}
