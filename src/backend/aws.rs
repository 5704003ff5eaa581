//! The AWS implementation of the backend traits.
//!
//! Configuration is loaded once (aws-config's default chain: environment, profiles, SSO, IMDS).
//! S3 clients are built per region and shared: the Rust SDK does not follow region redirects, so
//! each bucket is read and written through a client of its own region (AWS-FACTS.md gotcha 12).

use std::collections::HashMap;
use std::sync::Mutex;

use std::time::Duration;

use async_trait::async_trait;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::{
    BackendError, BucketInfo, BucketStore, Caller, Directory, Group, IamEntity, PublicAccess,
};

/// Where and as whom to talk to AWS: the flags `--profile`, `--region`, `--endpoint-url`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// Attempts per AWS call, the first included.
pub const MAX_ATTEMPTS: u32 = 5;

/// Region used for account-wide calls (ListBuckets, IAM, STS) when none is configured.
const DEFAULT_REGION: &str = "us-east-1";

pub struct AwsAccount {
    config: SdkConfig,
    path_style: bool,
    home_region: String,
    s3_clients: Mutex<HashMap<String, aws_sdk_s3::Client>>,
    iam: aws_sdk_iam::Client,
    sts: aws_sdk_sts::Client,
}

impl AwsAccount {
    pub async fn connect(options: &AwsOptions) -> AwsAccount {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &options.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        // Throttling (SlowDown, 503) and transient failures (500, timeouts, dropped connections)
        // are retried with exponential backoff and jitter; AccessDenied or MalformedPolicy are not.
        loader = loader
            .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(10))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .build(),
            );
        let mut config = loader.load().await;
        let home_region = config
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| DEFAULT_REGION.into());
        if config.region().is_none() {
            config = config
                .into_builder()
                .region(Region::new(home_region.clone()))
                .build();
        }
        AwsAccount {
            iam: aws_sdk_iam::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            // S3-compatible endpoints (moto, MinIO, ...) do not serve virtual-hosted bucket names.
            path_style: options.endpoint_url.is_some(),
            home_region,
            s3_clients: Mutex::new(HashMap::new()),
            config,
        }
    }

    fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let mut clients = self.s3_clients.lock().expect("client cache lock");
        clients
            .entry(region.to_string())
            .or_insert_with(|| {
                let conf = aws_sdk_s3::config::Builder::from(&self.config)
                    .region(Region::new(region.to_string()))
                    .force_path_style(self.path_style)
                    .build();
                aws_sdk_s3::Client::from_conf(conf)
            })
            .clone()
    }
}

fn classify<E>(err: SdkError<E, HttpResponse>) -> BackendError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let SdkError::ServiceError(ctx) = &err {
        let code = ctx.err().code().unwrap_or("").to_string();
        let message = ctx.err().message().unwrap_or("").to_string();
        let status = ctx.raw().status().as_u16();
        return match code.as_str() {
            "NoSuchBucket" => BackendError::NoSuchBucket,
            "AccessDenied" | "AllAccessDisabled" | "AccessDeniedException" => {
                BackendError::AccessDenied(if message.is_empty() { code } else { message })
            }
            "PermanentRedirect"
            | "AuthorizationHeaderMalformed"
            | "IllegalLocationConstraintException" => {
                match ctx.raw().headers().get("x-amz-bucket-region") {
                    Some(region) => BackendError::WrongRegion(region.to_string()),
                    None => BackendError::Service { code, message },
                }
            }
            "SlowDown"
            | "Throttling"
            | "ThrottlingException"
            | "RequestLimitExceeded"
            | "TooManyRequestsException" => BackendError::Throttled(message),
            "" if status == 301 => match ctx.raw().headers().get("x-amz-bucket-region") {
                Some(region) => BackendError::WrongRegion(region.to_string()),
                None => BackendError::Service {
                    code: "301".into(),
                    message: "moved permanently".into(),
                },
            },
            "" if status == 403 => BackendError::AccessDenied(format!("HTTP {status}")),
            "" if status == 404 => BackendError::NoSuchBucket,
            "" => BackendError::Service {
                code: format!("HTTP {status}"),
                message,
            },
            _ => BackendError::Service { code, message },
        };
    }
    BackendError::Transport(DisplayErrorContext(&err).to_string())
}

fn is_code<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>, wanted: &str) -> bool {
    matches!(err, SdkError::ServiceError(ctx) if ctx.err().code() == Some(wanted))
}

/// `GetBucketLocation`'s answer as a region name (AWS-FACTS.md 6: empty means us-east-1, EU eu-west-1).
pub fn location_to_region(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".into(),
        Some("EU") => "eu-west-1".into(),
        Some(other) => other.into(),
    }
}

impl AwsAccount {
    /// Run an S3 call in the bucket's region, once more in the region S3 names if it redirects.
    async fn in_region<T, F, Fut>(&self, region: &str, call: F) -> Result<T, BackendError>
    where
        F: Fn(aws_sdk_s3::Client) -> Fut,
        Fut: std::future::Future<Output = Result<T, BackendError>>,
    {
        match call(self.s3(region)).await {
            Err(BackendError::WrongRegion(actual)) if actual != region => {
                call(self.s3(&actual)).await
            }
            other => other,
        }
    }
}

#[async_trait]
impl BucketStore for AwsAccount {
    async fn caller(&self) -> Result<Caller, BackendError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(classify)?;
        Ok(Caller {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            user_id: out.user_id().unwrap_or_default().to_string(),
        })
    }

    async fn list_buckets(&self) -> Result<Vec<BucketInfo>, BackendError> {
        // Sending a parameter (max_buckets) is what makes S3 return each bucket's region.
        let mut pages = self
            .s3(&self.home_region)
            .list_buckets()
            .max_buckets(1000)
            .into_paginator()
            .send();
        let mut buckets = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(classify)?;
            for bucket in page.buckets() {
                if let Some(name) = bucket.name() {
                    buckets.push(BucketInfo {
                        name: name.to_string(),
                        region: bucket.bucket_region().map(str::to_string),
                    });
                }
            }
        }
        buckets.sort_by(|a, b| a.name.cmp(&b.name));
        buckets.dedup_by(|a, b| a.name == b.name);
        Ok(buckets)
    }

    async fn region_of(&self, bucket: &str) -> Result<String, BackendError> {
        let out = self
            .s3(&self.home_region)
            .get_bucket_location()
            .bucket(bucket)
            .send()
            .await
            .map_err(classify)?;
        Ok(location_to_region(
            out.location_constraint().map(|c| c.as_str()),
        ))
    }

    async fn get_policy(&self, bucket: &str, region: &str) -> Result<Option<String>, BackendError> {
        self.in_region(region, |client| async move {
            match client.get_bucket_policy().bucket(bucket).send().await {
                Ok(out) => Ok(out.policy().map(str::to_string)),
                Err(err) if is_code(&err, "NoSuchBucketPolicy") => Ok(None),
                Err(err) => Err(classify(err)),
            }
        })
        .await
    }

    async fn put_policy(&self, bucket: &str, region: &str, text: &str) -> Result<(), BackendError> {
        // ConfirmRemoveSelfBucketAccess is never set (AWS-FACTS.md 6).
        self.in_region(region, |client| async move {
            client
                .put_bucket_policy()
                .bucket(bucket)
                .policy(text)
                .send()
                .await
                .map(|_| ())
                .map_err(classify)
        })
        .await
    }

    async fn delete_policy(&self, bucket: &str, region: &str) -> Result<(), BackendError> {
        self.in_region(region, |client| async move {
            client
                .delete_bucket_policy()
                .bucket(bucket)
                .send()
                .await
                .map(|_| ())
                .map_err(classify)
        })
        .await
    }

    async fn public_access(
        &self,
        bucket: &str,
        region: &str,
    ) -> Result<PublicAccess, BackendError> {
        self.in_region(region, |client| async move {
            let block_public_policy =
                match client.get_public_access_block().bucket(bucket).send().await {
                    Ok(out) => out
                        .public_access_block_configuration()
                        .and_then(|c| c.block_public_policy())
                        .unwrap_or(false),
                    Err(err) if is_code(&err, "NoSuchPublicAccessBlockConfiguration") => false,
                    Err(err) => return Err(classify(err)),
                };
            // S3's verdict is better than ours when we can have it; when the call fails (no
            // permission, or a server without it, such as moto) the guard falls back to its own
            // reading of the policy.
            let policy_is_public = match client
                .get_bucket_policy_status()
                .bucket(bucket)
                .send()
                .await
            {
                Ok(out) => out.policy_status().and_then(|s| s.is_public()),
                Err(_) => None,
            };
            Ok(PublicAccess {
                block_public_policy,
                policy_is_public,
            })
        })
        .await
    }
}

#[async_trait]
impl Directory for AwsAccount {
    async fn role(&self, name: &str) -> Result<Option<IamEntity>, BackendError> {
        match self.iam.get_role().role_name(name).send().await {
            Ok(out) => Ok(out.role().map(|r| IamEntity {
                name: r.role_name().to_string(),
                arn: r.arn().to_string(),
                id: r.role_id().to_string(),
            })),
            Err(err) if is_code(&err, "NoSuchEntity") => Ok(None),
            Err(err) => Err(classify(err)),
        }
    }

    async fn user(&self, name: &str) -> Result<Option<IamEntity>, BackendError> {
        match self.iam.get_user().user_name(name).send().await {
            Ok(out) => Ok(out.user().map(|u| IamEntity {
                name: u.user_name().to_string(),
                arn: u.arn().to_string(),
                id: u.user_id().to_string(),
            })),
            Err(err) if is_code(&err, "NoSuchEntity") => Ok(None),
            Err(err) => Err(classify(err)),
        }
    }

    async fn group(&self, name: &str) -> Result<Option<Group>, BackendError> {
        let mut marker: Option<String> = None;
        let mut arn = String::new();
        let mut members = Vec::new();
        loop {
            let out = match self
                .iam
                .get_group()
                .group_name(name)
                .set_marker(marker.clone())
                .send()
                .await
            {
                Ok(out) => out,
                Err(err) if is_code(&err, "NoSuchEntity") => return Ok(None),
                Err(err) => return Err(classify(err)),
            };
            if let Some(group) = out.group() {
                arn = group.arn().to_string();
            }
            members.extend(out.users().iter().map(|u| IamEntity {
                name: u.user_name().to_string(),
                arn: u.arn().to_string(),
                id: u.user_id().to_string(),
            }));
            match (out.is_truncated(), out.marker()) {
                (true, Some(next)) => marker = Some(next.to_string()),
                _ => break,
            }
        }
        Ok(Some(Group { arn, members }))
    }
}

#[cfg(test)]
mod tests {
    use super::location_to_region;

    #[test]
    fn location_constraints_map_to_regions() {
        assert_eq!(location_to_region(None), "us-east-1");
        assert_eq!(location_to_region(Some("")), "us-east-1");
        assert_eq!(location_to_region(Some("EU")), "eu-west-1");
        assert_eq!(location_to_region(Some("ap-south-2")), "ap-south-2");
    }
}
