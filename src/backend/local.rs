//! An AWS account as a directory of files, for trying the tool without AWS and for teams that keep
//! their bucket policies in git. Format (docs/formats.md):
//!
//! ```text
//! DIR/account.toml          account_id, partition, [caller] arn, user_id
//! DIR/iam.toml              [[roles]] name, path, id   [[users]] name, path, id   [[groups]] name, members
//! DIR/buckets/NAME/bucket.toml   region (default us-east-1)
//! DIR/buckets/NAME/policy.json   the stored policy text, byte for byte; absent = no policy
//! ```
//!
//! Writes go to a temporary file in the same directory and are renamed into place, so a policy file
//! is always either the old text or the new one.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use serde::Deserialize;

use super::{
    BackendError, BucketInfo, BucketStore, Caller, Directory, Group, IamEntity, PublicAccess,
};

#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    #[error("reading `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{path}` is not valid: {message}")]
    Format { path: PathBuf, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountFile {
    account_id: String,
    #[serde(default = "default_partition")]
    partition: String,
    caller: CallerFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallerFile {
    arn: String,
    user_id: String,
}

fn default_partition() -> String {
    "aws".into()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct IamFile {
    #[serde(default)]
    roles: Vec<EntityFile>,
    #[serde(default)]
    users: Vec<EntityFile>,
    #[serde(default)]
    groups: Vec<GroupFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityFile {
    name: String,
    #[serde(default = "default_path")]
    path: String,
    id: String,
}

fn default_path() -> String {
    "/".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    name: String,
    #[serde(default = "default_path")]
    path: String,
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct BucketFile {
    region: Option<String>,
    /// The bucket's Block Public Access `BlockPublicPolicy` setting.
    #[serde(default)]
    block_public_policy: bool,
}

pub struct LocalAccount {
    root: PathBuf,
    account_id: String,
    partition: String,
    caller: Caller,
    iam: IamFile,
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>, LocalError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(LocalError::Io {
                path: path.into(),
                source,
            })
        }
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| LocalError::Format {
            path: path.into(),
            message: e.message().to_string(),
        })
}

impl LocalAccount {
    pub fn open(root: &Path) -> Result<LocalAccount, LocalError> {
        let account_path = root.join("account.toml");
        let account: AccountFile = read_toml(&account_path)?.ok_or_else(|| LocalError::Io {
            path: account_path.clone(),
            source: std::io::Error::new(
                ErrorKind::NotFound,
                "no such file (is this an account directory?)",
            ),
        })?;
        let iam: IamFile = read_toml(&root.join("iam.toml"))?.unwrap_or_default();
        Ok(LocalAccount {
            root: root.to_path_buf(),
            caller: Caller {
                account: account.account_id.clone(),
                arn: account.caller.arn,
                user_id: account.caller.user_id,
            },
            account_id: account.account_id,
            partition: account.partition,
            iam,
        })
    }

    fn bucket_dir(&self, bucket: &str) -> Result<PathBuf, BackendError> {
        // A bucket name is one path component; anything else could escape the directory.
        if bucket.is_empty() || bucket.contains(['/', '\\']) || bucket == "." || bucket == ".." {
            return Err(BackendError::NoSuchBucket);
        }
        let dir = self.root.join("buckets").join(bucket);
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.file_type().is_symlink() => Err(symlink_refused(&dir)),
            Ok(meta) if meta.is_dir() => Ok(dir),
            _ => Err(BackendError::NoSuchBucket),
        }
    }

    fn bucket_file(&self, bucket: &str) -> Result<BucketFile, BackendError> {
        let path = self.bucket_dir(bucket)?.join("bucket.toml");
        if is_symlink(&path) {
            return Err(symlink_refused(&path));
        }
        Ok(read_toml(&path)
            .map_err(|e| BackendError::Local(e.to_string()))?
            .unwrap_or_default())
    }

    fn arn(&self, kind: &str, path: &str, name: &str) -> String {
        let path = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        format!(
            "arn:{}:iam::{}:{kind}{path}{name}",
            self.partition, self.account_id
        )
    }

    fn entity(&self, kind: &str, e: &EntityFile) -> IamEntity {
        IamEntity {
            name: e.name.clone(),
            arn: self.arn(kind, &e.path, &e.name),
            id: e.id.clone(),
        }
    }
}

/// An account directory may come from a repository someone else controls: never follow a link
/// out of it, for reading or for writing.
fn symlink_refused(path: &Path) -> BackendError {
    BackendError::Local(format!(
        "`{}` is a symbolic link; bucketfence does not follow links in an account directory",
        path.display()
    ))
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn io_error(path: &Path, e: std::io::Error) -> BackendError {
    if e.kind() == ErrorKind::PermissionDenied {
        BackendError::AccessDenied(format!("`{}`", path.display()))
    } else {
        BackendError::Local(format!("`{}`: {e}", path.display()))
    }
}

#[async_trait]
impl BucketStore for LocalAccount {
    async fn caller(&self) -> Result<Caller, BackendError> {
        Ok(self.caller.clone())
    }

    async fn list_buckets(&self) -> Result<Vec<BucketInfo>, BackendError> {
        let dir = self.root.join("buckets");
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&dir, e)),
        };
        let mut buckets = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&dir, e))?;
            let kind = entry.file_type().map_err(|e| io_error(&entry.path(), e))?;
            // Links are listed so that reading them reports the refusal instead of hiding them.
            if kind.is_dir() || kind.is_symlink() {
                buckets.push(BucketInfo {
                    name: entry.file_name().to_string_lossy().into_owned(),
                    region: None,
                });
            }
        }
        buckets.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(buckets)
    }

    async fn region_of(&self, bucket: &str) -> Result<String, BackendError> {
        Ok(self
            .bucket_file(bucket)?
            .region
            .unwrap_or_else(|| "us-east-1".into()))
    }

    async fn public_access(
        &self,
        bucket: &str,
        _region: &str,
    ) -> Result<PublicAccess, BackendError> {
        Ok(PublicAccess {
            block_public_policy: self.bucket_file(bucket)?.block_public_policy,
            policy_is_public: None,
        })
    }

    async fn get_policy(
        &self,
        bucket: &str,
        _region: &str,
    ) -> Result<Option<String>, BackendError> {
        let path = self.bucket_dir(bucket)?.join("policy.json");
        if is_symlink(&path) {
            return Err(symlink_refused(&path));
        }
        if !path.exists() {
            return Ok(None);
        }
        // Far larger than any policy S3 accepts: refused before it is read whole.
        let limit = crate::policy::document::MAX_TEXT_BYTES as u64;
        crate::fsutil::read_capped(&path, limit)
            .map(Some)
            .map_err(BackendError::Local)
    }

    async fn put_policy(
        &self,
        bucket: &str,
        _region: &str,
        text: &str,
    ) -> Result<(), BackendError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dir = self.bucket_dir(bucket)?;
        let path = dir.join("policy.json");
        if is_symlink(&path) {
            return Err(symlink_refused(&path));
        }
        // A fresh name, created exclusively: a planted file or link at that name makes this fail
        // instead of writing through it.
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(
            ".policy.json.{}.{n}.bucketfence-tmp",
            std::process::id()
        ));
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(io_error(&temp, e));
        }
        fs::rename(&temp, &path).map_err(|e| {
            let _ = fs::remove_file(&temp);
            io_error(&path, e)
        })
    }

    async fn delete_policy(&self, bucket: &str, _region: &str) -> Result<(), BackendError> {
        let path = self.bucket_dir(bucket)?.join("policy.json");
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error(&path, e)),
        }
    }
}

#[async_trait]
impl Directory for LocalAccount {
    async fn role(&self, name: &str) -> Result<Option<IamEntity>, BackendError> {
        Ok(self
            .iam
            .roles
            .iter()
            .find(|r| r.name == name)
            .map(|r| self.entity("role", r)))
    }

    async fn user(&self, name: &str) -> Result<Option<IamEntity>, BackendError> {
        Ok(self
            .iam
            .users
            .iter()
            .find(|u| u.name == name)
            .map(|u| self.entity("user", u)))
    }

    async fn group(&self, name: &str) -> Result<Option<Group>, BackendError> {
        let Some(group) = self.iam.groups.iter().find(|g| g.name == name) else {
            return Ok(None);
        };
        let mut members = Vec::new();
        for member in &group.members {
            let user = self
                .iam
                .users
                .iter()
                .find(|u| &u.name == member)
                .ok_or_else(|| {
                    BackendError::Local(format!(
                        "group `{name}` lists `{member}`, which is not a user in iam.toml"
                    ))
                })?;
            members.push(self.entity("user", user));
        }
        Ok(Some(Group {
            arn: self.arn("group", &group.path, &group.name),
            members,
        }))
    }
}
