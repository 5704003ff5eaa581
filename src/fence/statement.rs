//! The one statement bucketfence owns in each bucket policy.

use serde_json::{json, Map, Value};

pub const DEFAULT_SID: &str = "BucketFenceDenyUnlisted";

/// The object and listing actions AmazonEC2RoleforSSM opens on `"Resource": "*"`, with their
/// siblings (`GetObjectVersion`, `PutObjectAcl`, `ListBucketVersions`, ...), so that the fence closes
/// what that policy opens without touching bucket-configuration actions.
pub const DEFAULT_ACTIONS: [&str; 7] = [
    "s3:AbortMultipartUpload",
    "s3:DeleteObject*",
    "s3:GetObject*",
    "s3:ListBucket*",
    "s3:ListMultipartUploadParts",
    "s3:PutObject*",
    "s3:RestoreObject",
];

/// What the fence looks like, apart from the bucket it protects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FenceSpec {
    pub sid: String,
    pub actions: Vec<String>,
    /// Adds `BoolIfExists aws:PrincipalIsAWSService "false"`, so that service principals delivering
    /// logs (CloudTrail, S3 access logs, VPC flow logs) are not denied.
    pub exempt_aws_services: bool,
}

impl Default for FenceSpec {
    fn default() -> Self {
        FenceSpec {
            sid: DEFAULT_SID.into(),
            actions: DEFAULT_ACTIONS.iter().map(|a| a.to_string()).collect(),
            exempt_aws_services: true,
        }
    }
}

impl FenceSpec {
    /// The Deny for one bucket. `allowed` are the `aws:userId` patterns, already sorted and unique.
    pub fn statement(
        &self,
        partition: &str,
        bucket: &str,
        allowed: &[String],
    ) -> Map<String, Value> {
        self.statement_with(partition, bucket, allowed, &Exemptions::default())
    }

    /// The Deny with extra exemptions for principals the stored policy grants access to
    /// (`--keep-grantees`). Condition operators are ANDed, so each one narrows whom the Deny hits.
    pub fn statement_with(
        &self,
        partition: &str,
        bucket: &str,
        allowed: &[String],
        exemptions: &Exemptions,
    ) -> Map<String, Value> {
        let mut condition = Map::new();
        condition.insert("StringNotLike".into(), json!({ "aws:userId": allowed }));
        if !exemptions.principal_arns.is_empty() {
            condition.insert(
                "ArnNotLike".into(),
                json!({ "aws:PrincipalArn": exemptions.principal_arns }),
            );
        }
        if !exemptions.accounts.is_empty() {
            condition.insert(
                "StringNotEquals".into(),
                json!({ "aws:PrincipalAccount": exemptions.accounts }),
            );
        }
        if self.exempt_aws_services {
            condition.insert(
                "BoolIfExists".into(),
                json!({ "aws:PrincipalIsAWSService": "false" }),
            );
        }
        let value = json!({
            "Sid": self.sid,
            "Effect": "Deny",
            "Principal": "*",
            "Action": self.actions,
            "Resource": [
                format!("arn:{partition}:s3:::{bucket}"),
                format!("arn:{partition}:s3:::{bucket}/*"),
            ],
            "Condition": condition,
        });
        match value {
            Value::Object(map) => map,
            _ => unreachable!("json! object literal"),
        }
    }
}

/// Principals kept out of the Deny by something other than their unique ID: principals of other
/// accounts (their IDs cannot be looked up here) and principals the stored policy names by ARN.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exemptions {
    /// For `ArnNotLike aws:PrincipalArn`: role ARNs cover every session of the role.
    pub principal_arns: Vec<String>,
    /// For `StringNotEquals aws:PrincipalAccount`: never the bucket owner's own account.
    pub accounts: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_fence_has_the_documented_shape() {
        let s = FenceSpec::default().statement(
            "aws-cn",
            "b",
            &["AROAX:*".into(), "111122223333".into()],
        );
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(
            text,
            r#"{"Sid":"BucketFenceDenyUnlisted","Effect":"Deny","Principal":"*","Action":["s3:AbortMultipartUpload","s3:DeleteObject*","s3:GetObject*","s3:ListBucket*","s3:ListMultipartUploadParts","s3:PutObject*","s3:RestoreObject"],"Resource":["arn:aws-cn:s3:::b","arn:aws-cn:s3:::b/*"],"Condition":{"StringNotLike":{"aws:userId":["AROAX:*","111122223333"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}"#
        );
    }

    #[test]
    fn service_exemption_can_be_switched_off() {
        let spec = FenceSpec {
            exempt_aws_services: false,
            ..FenceSpec::default()
        };
        let s = spec.statement("aws", "b", &["1".into()]);
        assert!(s["Condition"].get("BoolIfExists").is_none());
    }
}
