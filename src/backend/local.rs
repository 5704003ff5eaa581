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
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde::Deserialize;

use super::{BackendError, BucketInfo, BucketStore, Caller, Directory, Group, IamEntity};

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
        if dir.is_dir() {
            Ok(dir)
        } else {
            Err(BackendError::NoSuchBucket)
        }
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
            if entry.path().is_dir() {
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
        let path = self.bucket_dir(bucket)?.join("bucket.toml");
        let file: BucketFile = read_toml(&path)
            .map_err(|e| BackendError::Local(e.to_string()))?
            .unwrap_or_default();
        Ok(file.region.unwrap_or_else(|| "us-east-1".into()))
    }

    async fn get_policy(
        &self,
        bucket: &str,
        _region: &str,
    ) -> Result<Option<String>, BackendError> {
        let path = self.bucket_dir(bucket)?.join("policy.json");
        match fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
                BackendError::Local(format!("`{}` is not UTF-8 text", path.display()))
            }),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(&path, e)),
        }
    }

    async fn put_policy(
        &self,
        bucket: &str,
        _region: &str,
        text: &str,
    ) -> Result<(), BackendError> {
        let dir = self.bucket_dir(bucket)?;
        let path = dir.join("policy.json");
        let temp = dir.join(".policy.json.bucketfence-tmp");
        fs::write(&temp, text).map_err(|e| io_error(&temp, e))?;
        fs::rename(&temp, &path).map_err(|e| io_error(&path, e))
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
