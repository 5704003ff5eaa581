//! The two edges the tool talks to, behind narrow traits: the buckets (`BucketStore`) and the IAM
//! identities (`Directory`). One implementation talks to AWS (`aws`), one reads and writes an account
//! directory on disk (`local`). Everything else in the crate takes plain data.

pub mod aws;
pub mod local;

use std::sync::Arc;

use async_trait::async_trait;

/// Who is making the calls: STS GetCallerIdentity, or the account directory's `caller`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Caller {
    pub account: String,
    pub arn: String,
    /// The value AWS puts in `aws:userid` for this caller's requests.
    pub user_id: String,
}

impl Caller {
    /// `aws`, `aws-cn`, `aws-us-gov`, ... taken from the caller's ARN.
    pub fn partition(&self) -> &str {
        self.arn
            .split(':')
            .nth(1)
            .filter(|p| !p.is_empty())
            .unwrap_or("aws")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketInfo {
    pub name: String,
    /// Known from the listing when the API returned it; otherwise looked up per bucket.
    pub region: Option<String>,
}

/// An IAM role or user: its ARN and its unique ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamEntity {
    pub name: String,
    pub arn: String,
    pub id: String,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub arn: String,
    pub members: Vec<IamEntity>,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum BackendError {
    #[error("the bucket does not exist")]
    NoSuchBucket,
    #[error("access denied: {0}")]
    AccessDenied(String),
    #[error("the bucket is in region {0}, not the one asked")]
    WrongRegion(String),
    #[error("throttled: {0}")]
    Throttled(String),
    #[error("{code}: {message}")]
    Service { code: String, message: String },
    #[error("{0}")]
    Transport(String),
    #[error("{0}")]
    Local(String),
}

impl BackendError {
    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            BackendError::NoSuchBucket => {
                Some("check the name given to `--bucket`; a listed bucket may have been deleted since")
            }
            BackendError::AccessDenied(_) => Some(
                "the caller needs s3:GetBucketPolicy and s3:PutBucketPolicy on this bucket; \
                 an existing Deny in its policy may block it (only the account's root user can remove it then)",
            ),
            BackendError::Throttled(_) => Some("run the command again later, or lower `--concurrency`"),
            BackendError::Transport(_) => Some("check the network, `--endpoint-url` and `--region`"),
            _ => None,
        }
    }
}

#[async_trait]
pub trait BucketStore: Send + Sync {
    async fn caller(&self) -> Result<Caller, BackendError>;
    async fn list_buckets(&self) -> Result<Vec<BucketInfo>, BackendError>;
    async fn region_of(&self, bucket: &str) -> Result<String, BackendError>;
    /// The stored policy text, byte for byte; `None` when the bucket has no policy.
    async fn get_policy(&self, bucket: &str, region: &str) -> Result<Option<String>, BackendError>;
    async fn put_policy(&self, bucket: &str, region: &str, text: &str) -> Result<(), BackendError>;
    async fn delete_policy(&self, bucket: &str, region: &str) -> Result<(), BackendError>;
    /// The bucket's Block Public Access settings, as far as they concern bucket policies.
    async fn public_access(&self, bucket: &str, region: &str)
        -> Result<PublicAccess, BackendError>;
}

/// What decides whether S3 accepts writing back a public policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct PublicAccess {
    /// The bucket's `BlockPublicPolicy` setting: S3 then rejects any public bucket policy.
    pub block_public_policy: bool,
    /// S3's own verdict on the stored policy (GetBucketPolicyStatus), when the backend has one.
    pub policy_is_public: Option<bool>,
}

#[async_trait]
pub trait Directory: Send + Sync {
    /// `Ok(None)` when no such role exists.
    async fn role(&self, name: &str) -> Result<Option<IamEntity>, BackendError>;
    async fn user(&self, name: &str) -> Result<Option<IamEntity>, BackendError>;
    async fn group(&self, name: &str) -> Result<Option<Group>, BackendError>;
}

/// One account, reached through both traits.
#[derive(Clone)]
pub struct Account {
    pub buckets: Arc<dyn BucketStore>,
    pub directory: Arc<dyn Directory>,
}
