//! Principals, requests and policy skeletons shared by the cases.

use bucketfence::policy::eval::{Principal, Request};

pub const ACCT: &str = "111122223333";
pub const OTHER: &str = "444455556666";
/// ELB's log-delivery account in us-east-1: an account principal, not a service one.
pub const ELB_US_EAST_1: &str = "127311923021";

pub const DEPLOY_ID: &str = "AROADEPLOYEXAMPLE0001";
pub const SSM_ID: &str = "AROASSMINSTANCEROLE01";
pub const SSO_ID: &str = "AROASSOADMINEXAMPLE01";
pub const PARTNER_ID: &str = "AROAPARTNEREXAMPLE001";
pub const CONFIG_ROLE_ID: &str = "AROACONFIGROLEEXAMPL1";
pub const ALICE_ID: &str = "AIDAALICEEXAMPLE00001";
pub const BOB_ID: &str = "AIDABOBEXAMPLE0000001";

pub const BUCKET: &str = "arn:aws:s3:::b";
pub const OBJECT: &str = "arn:aws:s3:::b/k";

/// A session of the allowlisted deploy role.
pub fn deploy() -> Principal {
    deploy_as("ci-run-42")
}

pub fn deploy_as(session: &str) -> Principal {
    Principal::role_session(ACCT, "/", "deploy", DEPLOY_ID, session)
}

/// The EC2 instance role that AmazonEC2RoleforSSM opens S3 to; the session is the instance ID.
pub fn ssm() -> Principal {
    Principal::role_session(
        ACCT,
        "/service-role/",
        "ec2-ssm",
        SSM_ID,
        "i-0abc123def4567890",
    )
}

/// An IAM Identity Center role, with the path those roles live under.
pub fn sso() -> Principal {
    Principal::role_session(
        ACCT,
        "/aws-reserved/sso.amazonaws.com/eu-west-1/",
        "AWSReservedSSO_Admin_0123456789abcdef",
        SSO_ID,
        "alice@example.com",
    )
}

pub fn partner() -> Principal {
    Principal::role_session(OTHER, "/", "partner", PARTNER_ID, "s1")
}

/// AWS Config's custom delivery role: a role, not a service principal.
pub fn config_role() -> Principal {
    Principal::role_session(
        ACCT,
        "/",
        "config-delivery",
        CONFIG_ROLE_ID,
        "AWSConfig-Delivery",
    )
}

pub fn alice() -> Principal {
    Principal::user(ACCT, "/", "alice", ALICE_ID)
}

pub fn bob() -> Principal {
    Principal::user(ACCT, "/ops/", "bob", BOB_ID)
}

pub fn root() -> Principal {
    Principal::root(ACCT)
}

pub fn carol() -> Principal {
    Principal::federated_user(ACCT, "carol")
}

pub fn anon() -> Principal {
    Principal::Anonymous
}

pub fn cloudtrail() -> Principal {
    Principal::service("cloudtrail.amazonaws.com")
}

pub fn s3_logging() -> Principal {
    Principal::service("logging.s3.amazonaws.com")
}

pub fn get(p: Principal) -> Request {
    Request::new(p, "s3:GetObject", OBJECT)
}

pub fn put(p: Principal) -> Request {
    Request::new(p, "s3:PutObject", OBJECT)
}

pub fn req(p: Principal, action: &str, resource: &str) -> Request {
    Request::new(p, action, resource)
}

/// A 2012-10-17 policy holding the given statements (JSON text, comma-separated).
pub fn v12(statements: &str) -> String {
    format!("{{\"Version\":\"2012-10-17\",\"Statement\":[{statements}]}}")
}

pub fn v08(statements: &str) -> String {
    format!("{{\"Version\":\"2008-10-17\",\"Statement\":[{statements}]}}")
}

pub fn unversioned(statements: &str) -> String {
    format!("{{\"Statement\":[{statements}]}}")
}

/// Allow everything to everyone when `condition` (a Condition object's JSON) holds.
pub fn allow_if(condition: &str) -> String {
    v12(&format!(
        "{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{condition}}}"
    ))
}

/// Deny everything to everyone when `condition` holds.
pub fn deny_if(condition: &str) -> String {
    v12(&format!(
        "{{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{condition}}}"
    ))
}

/// Allow s3:* on everything to the given Principal element (JSON).
pub fn allow_to(principal: &str) -> String {
    v12(&format!(
        "{{\"Effect\":\"Allow\",\"Principal\":{principal},\"Action\":\"s3:*\",\"Resource\":\"*\"}}"
    ))
}

/// Deny s3:* on everything to everyone except the given NotPrincipal element (JSON).
pub fn deny_except(not_principal: &str) -> String {
    v12(&format!(
        "{{\"Effect\":\"Deny\",\"NotPrincipal\":{not_principal},\"Action\":\"s3:*\",\"Resource\":\"*\"}}"
    ))
}

/// The fence exactly as `FenceSpec::default()` writes it for bucket `b` (a test checks this),
/// allowlisting the deploy role, alice and the account root.
pub const FENCE: &str = r#"{"Sid":"BucketFenceDenyUnlisted","Effect":"Deny","Principal":"*",
 "Action":["s3:AbortMultipartUpload","s3:DeleteObject*","s3:GetObject*","s3:ListBucket*","s3:ListMultipartUploadParts","s3:PutObject*","s3:RestoreObject"],
 "Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
 "Condition":{"StringNotLike":{"aws:userId":["AIDAALICEEXAMPLE00001","AROADEPLOYEXAMPLE0001:*","111122223333"]},
              "BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}"#;

pub fn fenced() -> String {
    v12(FENCE)
}

/// The fence with other text in place of its conditions (JSON object members, without braces).
pub fn fence_with_conditions(members: &str) -> String {
    v12(&format!(
        r#"{{"Sid":"F","Effect":"Deny","Principal":"*","Action":["s3:GetObject*","s3:PutObject*","s3:ListBucket*"],
            "Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{{{members}}}}}"#
    ))
}

/// The fence plus further statements (JSON, comma-separated).
pub fn fenced_with(statements: &str) -> String {
    v12(&format!("{FENCE},{statements}"))
}
