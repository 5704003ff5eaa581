//! The table: a policy, a request, the decision AWS's documented rules give, and the rule.

use bucketfence::fence::statement::FenceSpec;
use bucketfence::policy::canonical::Canonical;
use bucketfence::policy::document::Policy;
use bucketfence::policy::eval::{evaluate, Decision, Principal, Request};

use crate::fixtures::*;

const DENY: Decision = Decision::ExplicitDeny;
const ALLOW: Decision = Decision::Allow;
const NA: Decision = Decision::NotApplicable;

pub struct Case {
    pub rule: &'static str,
    pub policy: String,
    pub request: Request,
    pub expect: Decision,
}

fn case(rule: &'static str, policy: impl Into<String>, request: Request, expect: Decision) -> Case {
    Case {
        rule,
        policy: policy.into(),
        request,
        expect,
    }
}

/// Source keys of AWS-FACTS.md a rule may cite, plus EV (evaluation logic) and API (this module's
/// own contract for explicit context keys).
const TAGS: [&str; 18] = [
    "EV", "PR", "NP", "EL", "GR", "OP", "MV", "COND", "VAR", "VER", "CK", "ID", "BSVC", "B16",
    "KC", "DP", "XP", "API",
];

pub fn cases() -> Vec<Case> {
    let mut c = Vec::new();
    evaluation_logic(&mut c);
    principals(&mut c);
    not_principal(&mut c);
    actions_and_resources(&mut c);
    string_operators(&mut c);
    missing_keys(&mut c);
    numeric_date_bool_binary(&mut c);
    ip_and_arn(&mut c);
    set_qualifiers(&mut c);
    variables(&mut c);
    derived_context(&mut c);
    fence(&mut c);
    c
}

fn evaluation_logic(c: &mut Vec<Case>) {
    let allow_get = r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;
    let deny_get = r#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;
    c.push(case(
        "[EV] a matching Allow statement allows",
        v12(allow_get),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[EV] an explicit Deny overrides any Allow",
        v12(&format!("{allow_get},{deny_get}")),
        get(alice()),
        DENY,
    ));
    c.push(case(
        "[EV] statement order does not matter: Deny before Allow still denies",
        v12(&format!("{deny_get},{allow_get}")),
        get(alice()),
        DENY,
    ));
    c.push(case(
        "[EV] no matching statement: the policy neither allows nor denies",
        v12(allow_get),
        put(alice()),
        NA,
    ));
    c.push(case(
        "[EV] an empty statement list decides nothing",
        v12(""),
        get(alice()),
        NA,
    ));
    c.push(case(
        "[EV] a Deny whose condition is false does not apply, so the Allow stands",
        v12(&format!(
            r#"{allow_get},{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}"#
        )),
        get(alice()).with("aws:SecureTransport", &["true"]),
        ALLOW,
    ));
    c.push(case(
        "[GR] Statement may be a single object instead of a list",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}"#,
        get(alice()),
        DENY,
    ));
    c.push(case(
        "[EV] one matching Allow among non-matching statements allows",
        v12(&format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}},{allow_get}"#
        )),
        get(alice()),
        ALLOW,
    ));
}

fn principals(c: &mut Vec<Case>) {
    c.push(case(
        "[PR] \"*\" includes anonymous callers",
        allow_to(r#""*""#),
        get(anon()),
        ALLOW,
    ));
    c.push(case(
        "[GR] {\"AWS\":\"*\"} is equivalent to \"*\" and includes anonymous callers",
        allow_to(r#"{"AWS":"*"}"#),
        get(anon()),
        ALLOW,
    ));
    c.push(case(
        "[PR] \"*\" includes service principals",
        allow_to(r#""*""#),
        put(cloudtrail()),
        ALLOW,
    ));
    c.push(case(
        "[PR] {\"AWS\":\"*\"} includes role sessions",
        allow_to(r#"{"AWS":"*"}"#),
        get(ssm()),
        ALLOW,
    ));
    c.push(case(
        "[PR] \"*\" includes STS federated users",
        allow_to(r#""*""#),
        get(carol()),
        ALLOW,
    ));
    c.push(case(
        "[GR] a principal list may hold \"*\"",
        allow_to(r#"{"AWS":["*"]}"#),
        get(bob()),
        ALLOW,
    ));
    c.push(case(
        "[PR] an account ID in a resource policy covers that account's role sessions",
        allow_to(r#"{"AWS":"111122223333"}"#),
        get(deploy()),
        ALLOW,
    ));
    c.push(case(
        "[PR] an account ID covers that account's IAM users",
        allow_to(r#"{"AWS":"111122223333"}"#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[PR] an account ID covers its root user",
        allow_to(r#"{"AWS":"111122223333"}"#),
        get(root()),
        ALLOW,
    ));
    c.push(case(
        "[PR] an account ID covers that account's federated users",
        allow_to(r#"{"AWS":"111122223333"}"#),
        get(carol()),
        ALLOW,
    ));
    c.push(case(
        "[PR] the root ARN is the account principal: it covers role sessions",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:root"}"#),
        get(ssm()),
        ALLOW,
    ));
    c.push(case(
        "[PR] the root ARN covers IAM users",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:root"}"#),
        get(bob()),
        ALLOW,
    ));
    c.push(case(
        "[PR] the root ARN matches the root user",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:root"}"#),
        get(root()),
        ALLOW,
    ));
    c.push(case(
        "[PR] an account principal does not cover another account",
        allow_to(r#"{"AWS":"111122223333"}"#),
        get(partner()),
        NA,
    ));
    c.push(case(
        "[PR] an account principal does not cover anonymous callers",
        allow_to(r#"{"AWS":"111122223333"}"#),
        get(anon()),
        NA,
    ));
    c.push(case(
        "[PR] an account principal does not cover service principals",
        allow_to(r#"{"AWS":"111122223333"}"#),
        put(cloudtrail()),
        NA,
    ));
    c.push(case(
        "[PR] a role ARN in Principal matches its sessions",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:role/deploy"}"#),
        get(deploy()),
        ALLOW,
    ));
    c.push(case(
        "[PR] a role ARN matches every session name of the role",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:role/deploy"}"#),
        get(deploy_as("i-0fedcba9876543210")),
        ALLOW,
    ));
    c.push(case(
        "[PR] a role ARN with its IAM path matches the role's sessions (Identity Center roles)",
        allow_to(
            r#"{"AWS":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef"}"#,
        ),
        get(sso()),
        ALLOW,
    ));
    c.push(case(
        "[ID] a role ARN without the role's path names a different role",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:role/ec2-ssm"}"#),
        get(ssm()),
        NA,
    ));
    c.push(case(
        "[PR] a role ARN does not match another role's sessions",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:role/deploy"}"#),
        get(ssm()),
        NA,
    ));
    c.push(case(
        "[PR] an assumed-role session ARN matches that session",
        allow_to(r#"{"AWS":"arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42"}"#),
        get(deploy()),
        ALLOW,
    ));
    c.push(case(
        "[PR] a session ARN does not match other sessions of the role",
        allow_to(r#"{"AWS":"arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42"}"#),
        get(deploy_as("other")),
        NA,
    ));
    c.push(case(
        "[ID] the session ARN never carries the role's path",
        allow_to(r#"{"AWS":"arn:aws:sts::111122223333:assumed-role/ec2-ssm/i-0abc123def4567890"}"#),
        get(ssm()),
        ALLOW,
    ));
    c.push(case(
        "[PR] session wildcards are not allowed: a partial wildcard is not expanded",
        allow_to(r#"{"AWS":"arn:aws:sts::111122223333:assumed-role/deploy/*"}"#),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[PR] no partial wildcards in an AWS principal: role/* names no role",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:role/*"}"#),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[PR] a user ARN matches that user",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[ID] a user ARN includes the user's path",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:user/ops/bob"}"#),
        get(bob()),
        ALLOW,
    ));
    c.push(case(
        "[PR] a user ARN does not match another user",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#),
        get(bob()),
        NA,
    ));
    c.push(case(
        "[PR] a user ARN does not match role sessions",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[PR] a federated-user ARN matches that federated user",
        allow_to(r#"{"AWS":"arn:aws:sts::111122223333:federated-user/carol"}"#),
        get(carol()),
        ALLOW,
    ));
    c.push(case(
        "[PR] a principal list matches any of its entries",
        allow_to(
            r#"{"AWS":["arn:aws:iam::444455556666:root","arn:aws:iam::111122223333:user/alice"]}"#,
        ),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[GR] AWS principal values may be unique IDs: a user ID names that user",
        allow_to(r#"{"AWS":"AIDAALICEEXAMPLE00001"}"#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[GR] a role's unique ID names the role, covering its sessions",
        allow_to(r#"{"AWS":"AROADEPLOYEXAMPLE0001"}"#),
        get(deploy()),
        ALLOW,
    ));
    c.push(case(
        "[PR] a Service principal matches that service",
        allow_to(r#"{"Service":"cloudtrail.amazonaws.com"}"#),
        put(cloudtrail()),
        ALLOW,
    ));
    c.push(case(
        "[PR] a Service principal does not match another service",
        allow_to(r#"{"Service":"cloudtrail.amazonaws.com"}"#),
        put(s3_logging()),
        NA,
    ));
    c.push(case(
        "[PR] a Service principal matches service principals only, not roles",
        allow_to(r#"{"Service":"config.amazonaws.com"}"#),
        put(config_role()),
        NA,
    ));
    c.push(case(
        "[ID] ARNs carry the partition: an aws-cn ARN does not name an aws principal",
        allow_to(r#"{"AWS":"arn:aws-cn:iam::111122223333:role/deploy"}"#),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[ID] in the aws-cn partition the aws-cn role ARN matches",
        allow_to(r#"{"AWS":"arn:aws-cn:iam::111122223333:role/deploy"}"#),
        Request::new(deploy(), "s3:GetObject", "arn:aws-cn:s3:::b/k").in_partition("aws-cn"),
        ALLOW,
    ));
    c.push(case(
        "[PR] Principal element kinds combine: AWS or Service",
        allow_to(r#"{"AWS":"arn:aws:iam::111122223333:role/deploy","Service":"logging.s3.amazonaws.com"}"#),
        put(s3_logging()),
        ALLOW,
    ));
}

fn not_principal(c: &mut Vec<Case>) {
    c.push(case(
        "[NP] NotPrincipal Deny naming a user and its account exempts the user",
        deny_except(
            r#"{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:root"]}"#,
        ),
        get(alice()),
        NA,
    ));
    c.push(case(
        "[NP] NotPrincipal Deny naming a user without its account denies the user",
        deny_except(r#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#),
        get(alice()),
        DENY,
    ));
    c.push(case(
        "[NP] a role ARN in NotPrincipal does not exempt that role's sessions",
        deny_except(
            r#"{"AWS":["arn:aws:iam::111122223333:role/deploy","arn:aws:iam::111122223333:root"]}"#,
        ),
        get(deploy()),
        DENY,
    ));
    c.push(case(
        "[NP] session ARN, role ARN and account ARN together exempt the session",
        deny_except(
            r#"{"AWS":["arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42","arn:aws:iam::111122223333:role/deploy","arn:aws:iam::111122223333:root"]}"#,
        ),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[NP] a listed session does not exempt other sessions of the role",
        deny_except(
            r#"{"AWS":["arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42","arn:aws:iam::111122223333:role/deploy","arn:aws:iam::111122223333:root"]}"#,
        ),
        get(deploy_as("ci-run-43")),
        DENY,
    ));
    c.push(case(
        "[NP] without the role ARN the session is still denied",
        deny_except(r#"{"AWS":["arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42","arn:aws:iam::111122223333:root"]}"#),
        get(deploy()),
        DENY,
    ));
    c.push(case(
        "[NP] the account alone exempts the root user",
        deny_except(r#"{"AWS":"111122223333"}"#),
        get(root()),
        NA,
    ));
    c.push(case(
        "[NP] the account alone does not exempt the account's users",
        deny_except(r#"{"AWS":"arn:aws:iam::111122223333:root"}"#),
        get(bob()),
        DENY,
    ));
    c.push(case(
        "[NP] NotPrincipal Deny denies anonymous callers",
        deny_except(r#"{"AWS":["arn:aws:iam::111122223333:user/alice","111122223333"]}"#),
        get(anon()),
        DENY,
    ));
    c.push(case(
        "[NP] NotPrincipal Deny on AWS principals denies service principals",
        deny_except(r#"{"AWS":"111122223333"}"#),
        put(cloudtrail()),
        DENY,
    ));
    c.push(case(
        "[NP] a Service entry in NotPrincipal exempts that service",
        deny_except(r#"{"Service":"cloudtrail.amazonaws.com"}"#),
        put(cloudtrail()),
        NA,
    ));
    c.push(case(
        "[NP] NotPrincipal with Allow grants everyone else, anonymous included",
        v12(r#"{"Effect":"Allow","NotPrincipal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"*"}"#),
        get(anon()),
        ALLOW,
    ));
    c.push(case(
        "[NP] NotPrincipal \"*\" leaves no one for the statement",
        deny_except(r#""*""#),
        get(anon()),
        NA,
    ));
    c.push(case(
        "[NP] NotPrincipal naming another account's role denies this account",
        deny_except(r#"{"AWS":["arn:aws:iam::444455556666:role/partner","444455556666"]}"#),
        get(deploy()),
        DENY,
    ));
}

fn actions_and_resources(c: &mut Vec<Case>) {
    let allow = |action: &str, resource: &str| {
        v12(&format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":{action},"Resource":{resource}}}"#
        ))
    };
    c.push(case(
        "[EL] s3:* matches every S3 action",
        allow(r#""s3:*""#, r#""*""#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[EL] a prefix wildcard matches the actions it names",
        allow(r#""s3:Get*""#, r#""*""#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[EL] a prefix wildcard does not match other actions",
        allow(r#""s3:Get*""#, r#""*""#),
        put(alice()),
        NA,
    ));
    c.push(case(
        "[EL] action names are case-insensitive (policy side)",
        allow(r#""S3:getobject""#, r#""*""#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[EL] action names are case-insensitive (request side)",
        allow(r#""s3:GetObject""#, r#""*""#),
        req(alice(), "S3:GETOBJECT", OBJECT),
        ALLOW,
    ));
    c.push(case(
        "[EL] \"*\" matches every action of every service",
        allow(r#""*""#, r#""*""#),
        req(alice(), "s3:DeleteBucket", BUCKET),
        ALLOW,
    ));
    c.push(case(
        "[EL] ? matches exactly one character in an action",
        allow(r#""s3:?etObject""#, r#""*""#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[EL] partial action names need an explicit wildcard",
        allow(r#""s3:GetObject""#, r#""*""#),
        req(alice(), "s3:GetObjectAcl", OBJECT),
        NA,
    ));
    c.push(case(
        "[EL] s3:GetObject* also matches GetObjectVersion",
        allow(r#""s3:GetObject*""#, r#""*""#),
        req(alice(), "s3:GetObjectVersion", OBJECT),
        ALLOW,
    ));
    c.push(case(
        "[EL] an action list matches any of its entries",
        allow(r#"["s3:PutObject","s3:GetObject"]"#, r#""*""#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[EL] actions of another service do not match",
        allow(r#""iam:*""#, r#""*""#),
        get(alice()),
        NA,
    ));
    c.push(case(
        "[EL] NotAction Deny covers every action not listed",
        v12(r#"{"Effect":"Deny","Principal":"*","NotAction":"s3:DeleteObject","Resource":"*"}"#),
        get(alice()),
        DENY,
    ));
    c.push(case(
        "[EL] NotAction Deny does not cover the listed action",
        v12(r#"{"Effect":"Deny","Principal":"*","NotAction":"s3:DeleteObject","Resource":"*"}"#),
        req(alice(), "s3:DeleteObject", OBJECT),
        NA,
    ));
    c.push(case(
        "[EL] NotAction takes wildcards too",
        v12(r#"{"Effect":"Allow","Principal":"*","NotAction":"s3:Get*","Resource":"*"}"#),
        put(alice()),
        ALLOW,
    ));
    c.push(case(
        "[EL] bucket/* matches objects",
        allow(r#""s3:*""#, r#""arn:aws:s3:::b/*""#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[EL] bucket/* does not match the bucket itself",
        allow(r#""s3:*""#, r#""arn:aws:s3:::b/*""#),
        req(alice(), "s3:ListBucket", BUCKET),
        NA,
    ));
    c.push(case(
        "[EL] the bucket ARN does not match its objects",
        allow(r#""s3:*""#, r#""arn:aws:s3:::b""#),
        get(alice()),
        NA,
    ));
    c.push(case(
        "[EL] resource ARNs are case-sensitive",
        allow(r#""s3:*""#, r#""arn:aws:s3:::B/*""#),
        get(alice()),
        NA,
    ));
    c.push(case(
        "[EL] Resource \"*\" matches every resource",
        allow(r#""s3:*""#, r#""*""#),
        req(alice(), "s3:ListBucket", BUCKET),
        ALLOW,
    ));
    c.push(case(
        "[EL] ? in a resource matches one character",
        allow(r#""s3:*""#, r#""arn:aws:s3:::b/?""#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[EL] ? in a resource matches exactly one character",
        allow(r#""s3:*""#, r#""arn:aws:s3:::b/?""#),
        req(alice(), "s3:GetObject", "arn:aws:s3:::b/kk"),
        NA,
    ));
    c.push(case(
        "[EL] a bucket-name prefix with * also matches other buckets sharing the prefix",
        allow(r#""s3:*""#, r#""arn:aws:s3:::b*""#),
        req(alice(), "s3:GetObject", "arn:aws:s3:::b-other/k"),
        ALLOW,
    ));
    c.push(case(
        "[EL] a resource list matches any of its entries",
        allow(r#""s3:*""#, r#"["arn:aws:s3:::b","arn:aws:s3:::b/*"]"#),
        req(alice(), "s3:ListBucket", BUCKET),
        ALLOW,
    ));
    c.push(case(
        "[EL] NotResource Deny covers resources outside the list",
        v12(r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::b/public/*"}"#),
        get(alice()),
        DENY,
    ));
    c.push(case(
        "[EL] NotResource Deny does not cover listed resources",
        v12(r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::b/public/*"}"#),
        req(alice(), "s3:GetObject", "arn:aws:s3:::b/public/logo.png"),
        NA,
    ));
}

fn string_operators(c: &mut Vec<Case>) {
    let user = |p: Principal| get(p);
    c.push(case(
        "[OP] StringEquals matches an equal value",
        allow_if(r#"{"StringEquals":{"aws:username":"alice"}}"#),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[OP] StringEquals does not match another value",
        allow_if(r#"{"StringEquals":{"aws:username":"alice"}}"#),
        user(bob()),
        NA,
    ));
    c.push(case(
        "[OP] StringEquals is case-sensitive",
        allow_if(r#"{"StringEquals":{"aws:username":"Alice"}}"#),
        user(alice()),
        NA,
    ));
    c.push(case(
        "[OP] StringEquals does not expand wildcards",
        allow_if(r#"{"StringEquals":{"aws:username":"ali*"}}"#),
        user(alice()),
        NA,
    ));
    c.push(case(
        "[OP] StringNotEquals is true for another value",
        allow_if(r#"{"StringNotEquals":{"aws:username":"bob"}}"#),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[OP] StringNotEquals is false for the same value",
        allow_if(r#"{"StringNotEquals":{"aws:username":"alice"}}"#),
        user(alice()),
        NA,
    ));
    c.push(case(
        "[OP] StringEqualsIgnoreCase ignores case",
        allow_if(r#"{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}"#),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[OP] StringNotEqualsIgnoreCase is false for a value differing only in case",
        allow_if(r#"{"StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}}"#),
        user(alice()),
        NA,
    ));
    c.push(case(
        "[OP] StringLike: * matches any run of characters",
        allow_if(r#"{"StringLike":{"aws:username":"al*"}}"#),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[OP] StringLike: ? matches one character",
        allow_if(r#"{"StringLike":{"aws:username":"a?ice"}}"#),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[OP] StringLike is case-sensitive",
        allow_if(r#"{"StringLike":{"aws:username":"AL*"}}"#),
        user(alice()),
        NA,
    ));
    c.push(case(
        "[OP] StringLike: partial matches need explicit wildcards",
        allow_if(r#"{"StringLike":{"aws:username":"lic"}}"#),
        user(alice()),
        NA,
    ));
    c.push(case(
        "[OP] StringLike: * may match the empty string",
        allow_if(r#"{"StringLike":{"aws:username":"alice*"}}"#),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[OP] StringNotLike is false when a pattern matches",
        allow_if(r#"{"StringNotLike":{"aws:username":"a*"}}"#),
        user(alice()),
        NA,
    ));
    c.push(case(
        "[OP] StringNotLike is true when no pattern matches",
        allow_if(r#"{"StringNotLike":{"aws:username":"b*"}}"#),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[MV] several values for one key are ORed",
        allow_if(r#"{"StringEquals":{"aws:username":["carol","alice"]}}"#),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[MV] with a negated operator the value must match none of the values",
        allow_if(r#"{"StringNotEquals":{"aws:username":["carol","alice"]}}"#),
        user(alice()),
        NA,
    ));
    c.push(case(
        "[MV] several keys under one operator are ANDed",
        allow_if(
            r#"{"StringEquals":{"aws:username":"alice","aws:PrincipalAccount":"444455556666"}}"#,
        ),
        user(alice()),
        NA,
    ));
    c.push(case(
        "[MV] several keys under one operator all holding: true",
        allow_if(
            r#"{"StringEquals":{"aws:username":"alice","aws:PrincipalAccount":"111122223333"}}"#,
        ),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[MV] several operators are ANDed",
        allow_if(
            r#"{"StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"}}"#,
        ),
        user(alice()).with("aws:SecureTransport", &["false"]),
        NA,
    ));
    c.push(case(
        "[COND] condition key names are case-insensitive (policy side)",
        allow_if(r#"{"StringEquals":{"AWS:USERNAME":"alice"}}"#),
        user(alice()),
        ALLOW,
    ));
    c.push(case(
        "[COND] condition key names are case-insensitive (request side)",
        allow_if(r#"{"StringLike":{"s3:prefix":"home/*"}}"#),
        req(alice(), "s3:ListBucket", BUCKET).with("S3:Prefix", &["home/alice"]),
        ALLOW,
    ));
    c.push(case(
        "[OP] String operators compare values case-sensitively even when keys are not",
        allow_if(r#"{"StringEquals":{"aws:userid":"aidaaliceexample00001"}}"#),
        user(alice()),
        NA,
    ));
}

fn missing_keys(c: &mut Vec<Case>) {
    let a = || get(alice());
    c.push(case(
        "[OP] an ordinary operator on a missing key is false",
        allow_if(r#"{"StringEquals":{"aws:SourceVpce":"vpce-1"}}"#),
        a(),
        NA,
    ));
    c.push(case(
        "[OP] StringLike on a missing key is false",
        allow_if(r#"{"StringLike":{"s3:prefix":"*"}}"#),
        a(),
        NA,
    ));
    c.push(case(
        "[OP] a negated operator on a missing key is true (StringNotEquals)",
        allow_if(r#"{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}"#),
        a(),
        ALLOW,
    ));
    c.push(case(
        "[OP] a negated operator on a missing key is true (StringNotLike)",
        allow_if(r#"{"StringNotLike":{"aws:SourceVpce":"vpce-*"}}"#),
        a(),
        ALLOW,
    ));
    c.push(case(
        "[OP] a negated operator on a missing key is true (StringNotEqualsIgnoreCase)",
        allow_if(r#"{"StringNotEqualsIgnoreCase":{"aws:SourceVpce":"VPCE-1"}}"#),
        a(),
        ALLOW,
    ));
    c.push(case(
        "[OP] a negated operator on a missing key is true (ArnNotLike)",
        allow_if(r#"{"ArnNotLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:*:trail/*"}}"#),
        a(),
        ALLOW,
    ));
    c.push(case(
        "[OP] a negated operator on a missing key is true (NotIpAddress)",
        allow_if(r#"{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#),
        a(),
        ALLOW,
    ));
    c.push(case(
        "[OP] a negated operator on a missing key is true (NumericNotEquals)",
        allow_if(r#"{"NumericNotEquals":{"s3:max-keys":"10"}}"#),
        a(),
        ALLOW,
    ));
    c.push(case(
        "[OP] a negated operator on a missing key is true (DateNotEquals)",
        allow_if(r#"{"DateNotEquals":{"aws:TokenIssueTime":"2024-01-01T00:00:00Z"}}"#),
        a(),
        ALLOW,
    ));
    c.push(case(
        "[OP] IfExists is true when the key is missing",
        allow_if(r#"{"StringLikeIfExists":{"s3:prefix":"home/*"}}"#),
        a(),
        ALLOW,
    ));
    c.push(case(
        "[OP] IfExists evaluates normally when the key is present",
        allow_if(r#"{"StringLikeIfExists":{"s3:prefix":"home/*"}}"#),
        a().with("s3:prefix", &["tmp/x"]),
        NA,
    ));
    c.push(case(
        "[OP] a Deny with a negated IfExists operator still denies when the key is missing",
        deny_if(r#"{"StringNotLikeIfExists":{"aws:SourceVpce":"vpce-1"}}"#),
        a(),
        DENY,
    ));
    c.push(case(
        "[OP] BoolIfExists is true when the key is missing",
        deny_if(r#"{"BoolIfExists":{"aws:SecureTransport":"false"}}"#),
        a(),
        DENY,
    ));
    c.push(case(
        "[OP] Bool on a missing key is false",
        deny_if(r#"{"Bool":{"aws:SecureTransport":"false"}}"#),
        a(),
        NA,
    ));
    c.push(case(
        "[OP] NumericLessThanIfExists on a present key compares normally",
        allow_if(r#"{"NumericLessThanIfExists":{"s3:max-keys":"10"}}"#),
        a().with("s3:max-keys", &["50"]),
        NA,
    ));
    c.push(case(
        "[OP] Null \"true\" holds when the key is absent",
        allow_if(r#"{"Null":{"aws:SourceVpce":"true"}}"#),
        a(),
        ALLOW,
    ));
    c.push(case(
        "[OP] Null \"true\" does not hold when the key is present",
        allow_if(r#"{"Null":{"aws:SourceVpce":"true"}}"#),
        a().with("aws:SourceVpce", &["vpce-1"]),
        NA,
    ));
    c.push(case(
        "[OP] Null \"false\" holds when the key is present",
        allow_if(r#"{"Null":{"aws:SourceVpce":"false"}}"#),
        a().with("aws:SourceVpce", &["vpce-1"]),
        ALLOW,
    ));
    c.push(case(
        "[OP] Null \"false\" does not hold when the key is absent",
        allow_if(r#"{"Null":{"aws:SourceVpce":false}}"#),
        a(),
        NA,
    ));
    c.push(case(
        "[VAR] anonymous callers have no aws:userid: Null is true",
        allow_if(r#"{"Null":{"aws:userid":"true"}}"#),
        get(anon()),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:PrincipalIsAWSService is absent for anonymous requests",
        allow_if(r#"{"Null":{"aws:PrincipalIsAWSService":"true"}}"#),
        get(anon()),
        ALLOW,
    ));
}

fn numeric_date_bool_binary(c: &mut Vec<Case>) {
    let k = |v: &str| get(alice()).with("s3:max-keys", &[v]);
    c.push(case(
        "[OP] NumericEquals matches an equal number",
        allow_if(r#"{"NumericEquals":{"s3:max-keys":"10"}}"#),
        k("10"),
        ALLOW,
    ));
    c.push(case(
        "[OP] NumericEquals compares numbers, not text",
        allow_if(r#"{"NumericEquals":{"s3:max-keys":"10"}}"#),
        k("10.0"),
        ALLOW,
    ));
    c.push(case(
        "[XP] numeric condition values may be JSON numbers",
        allow_if(r#"{"NumericEquals":{"s3:max-keys":10}}"#),
        k("10"),
        ALLOW,
    ));
    c.push(case(
        "[OP] NumericNotEquals is true for another number",
        allow_if(r#"{"NumericNotEquals":{"s3:max-keys":"10"}}"#),
        k("5"),
        ALLOW,
    ));
    c.push(case(
        "[OP] NumericLessThan: smaller holds",
        allow_if(r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#),
        k("5"),
        ALLOW,
    ));
    c.push(case(
        "[OP] NumericLessThan: equal does not hold",
        allow_if(r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#),
        k("10"),
        NA,
    ));
    c.push(case(
        "[OP] NumericLessThanEquals: equal holds",
        allow_if(r#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#),
        k("10"),
        ALLOW,
    ));
    c.push(case(
        "[OP] NumericGreaterThan: larger holds",
        allow_if(r#"{"NumericGreaterThan":{"s3:max-keys":"10"}}"#),
        k("11"),
        ALLOW,
    ));
    c.push(case(
        "[OP] NumericGreaterThanEquals: smaller does not hold",
        allow_if(r#"{"NumericGreaterThanEquals":{"s3:max-keys":"10"}}"#),
        k("9"),
        NA,
    ));
    c.push(case(
        "[OP] a request value that is not a number matches no number",
        allow_if(r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#),
        k("ten"),
        NA,
    ));
    c.push(case(
        "[OP] NumericLessThan on s3:TlsVersion denies old TLS",
        deny_if(r#"{"NumericLessThan":{"s3:TlsVersion":1.2}}"#),
        get(alice()).with("s3:TlsVersion", &["1.0"]),
        DENY,
    ));
    let now = |v: &str| get(alice()).with("aws:CurrentTime", &[v]);
    c.push(case(
        "[OP] DateGreaterThan: a later time holds",
        allow_if(r#"{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}"#),
        now("2024-06-01T00:00:00Z"),
        ALLOW,
    ));
    c.push(case(
        "[OP] DateLessThan: a later time does not hold",
        allow_if(r#"{"DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}"#),
        now("2024-06-01T00:00:00Z"),
        NA,
    ));
    c.push(case(
        "[OP] dates may be written as ISO 8601 or epoch seconds",
        allow_if(r#"{"DateEquals":{"aws:CurrentTime":"1704067200"}}"#),
        now("2024-01-01T00:00:00Z"),
        ALLOW,
    ));
    c.push(case(
        "[OP] DateNotEquals is true for another time",
        allow_if(r#"{"DateNotEquals":{"aws:CurrentTime":"2024-01-01"}}"#),
        now("2024-01-02T00:00:00Z"),
        ALLOW,
    ));
    c.push(case(
        "[OP] DateLessThanEquals: the same instant holds",
        allow_if(r#"{"DateLessThanEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}"#),
        now("2024-01-01T00:00:00Z"),
        ALLOW,
    ));
    c.push(case(
        "[OP] DateGreaterThanEquals: an earlier time does not hold",
        allow_if(r#"{"DateGreaterThanEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}"#),
        now("2023-12-31T23:59:59Z"),
        NA,
    ));
    c.push(case(
        "[OP] dates with UTC offsets compare as instants",
        allow_if(r#"{"DateEquals":{"aws:CurrentTime":"2024-01-01T02:00:00+02:00"}}"#),
        now("2024-01-01T00:00:00Z"),
        ALLOW,
    ));
    c.push(case(
        "[OP] Date operators on aws:EpochTime take epoch values",
        allow_if(r#"{"DateLessThan":{"aws:EpochTime":"1704067200"}}"#),
        get(alice()).with("aws:EpochTime", &["1700000000"]),
        ALLOW,
    ));
    let tls = |v: &str| get(anon()).with("aws:SecureTransport", &[v]);
    c.push(case(
        "[OP] Bool matches the same truth value",
        deny_if(r#"{"Bool":{"aws:SecureTransport":"false"}}"#),
        tls("false"),
        DENY,
    ));
    c.push(case(
        "[OP] Bool does not match the other truth value",
        deny_if(r#"{"Bool":{"aws:SecureTransport":"false"}}"#),
        tls("true"),
        NA,
    ));
    c.push(case(
        "[XP] a JSON boolean equals its string form",
        deny_if(r#"{"Bool":{"aws:SecureTransport":false}}"#),
        tls("false"),
        DENY,
    ));
    c.push(case(
        "[OP] BinaryEquals matches equal base64 values",
        allow_if(r#"{"BinaryEquals":{"s3:x-amz-meta-blob":"QmluYXJ5VmFsdWU="}}"#),
        get(alice()).with("s3:x-amz-meta-blob", &["QmluYXJ5VmFsdWU="]),
        ALLOW,
    ));
    c.push(case(
        "[OP] BinaryEquals does not match other values",
        allow_if(r#"{"BinaryEquals":{"s3:x-amz-meta-blob":"QmluYXJ5VmFsdWU="}}"#),
        get(alice()).with("s3:x-amz-meta-blob", &["T3RoZXI="]),
        NA,
    ));
}

fn ip_and_arn(c: &mut Vec<Case>) {
    let ip = |v: &str| get(alice()).with("aws:SourceIp", &[v]);
    c.push(case(
        "[OP] IpAddress matches an address inside the CIDR block",
        allow_if(r#"{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#),
        ip("192.0.2.10"),
        ALLOW,
    ));
    c.push(case(
        "[OP] IpAddress does not match an address outside",
        allow_if(r#"{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#),
        ip("198.51.100.1"),
        NA,
    ));
    c.push(case(
        "[OP] NotIpAddress Deny denies addresses outside the block",
        deny_if(r#"{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#),
        ip("198.51.100.1"),
        DENY,
    ));
    c.push(case(
        "[OP] NotIpAddress Deny spares addresses inside the block",
        deny_if(r#"{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#),
        ip("192.0.2.99"),
        NA,
    ));
    c.push(case(
        "[OP] IpAddress takes IPv6 CIDR blocks",
        allow_if(r#"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#),
        ip("2001:db8:1234::1"),
        ALLOW,
    ));
    c.push(case(
        "[OP] an IPv4 block does not match an IPv6 address",
        allow_if(r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#),
        ip("2001:db8::1"),
        NA,
    ));
    c.push(case(
        "[MV] IPv4 and IPv6 blocks in one list are ORed",
        allow_if(r#"{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}"#),
        ip("2001:db8::7"),
        ALLOW,
    ));
    c.push(case(
        "[OP] a bare address is a single-address block",
        allow_if(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}"#),
        ip("203.0.113.5"),
        ALLOW,
    ));
    c.push(case(
        "[OP] 0.0.0.0/0 matches every IPv4 address",
        allow_if(r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#),
        ip("203.0.113.77"),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:PrincipalArn of a role session is the role ARN",
        allow_if(r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/deploy"}}"#),
        get(deploy()),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:PrincipalArn of a role session is not the session ARN",
        allow_if(r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42"}}"#),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[OP] ArnEquals takes wildcards, like ArnLike",
        allow_if(r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::*:role/deploy"}}"#),
        get(deploy()),
        ALLOW,
    ));
    c.push(case(
        "[OP] a * in the resource field of an ARN matches across slashes (role paths)",
        allow_if(
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/aws-reserved/*"}}"#,
        ),
        get(sso()),
        ALLOW,
    ));
    c.push(case(
        "[OP] ArnNotLike is true for a non-matching ARN",
        allow_if(r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/deploy"}}"#),
        get(ssm()),
        ALLOW,
    ));
    c.push(case(
        "[OP] ARN fields are matched case-sensitively",
        allow_if(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/DEPLOY"}}"#),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[OP] each of the six ARN fields is matched separately: a * does not span fields",
        allow_if(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam:*:role/deploy"}}"#),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[OP] a wildcard account field matches any account",
        allow_if(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/alice"}}"#),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:SourceArn scoping for a service principal (CloudTrail)",
        v12(
            r#"{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/AWSLogs/111122223333/*",
                "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}"#,
        ),
        req(cloudtrail(), "s3:PutObject", "arn:aws:s3:::b/AWSLogs/111122223333/x.json.gz")
            .with("aws:SourceArn", &["arn:aws:cloudtrail:us-east-1:111122223333:trail/main"]),
        ALLOW,
    ));
}

fn set_qualifiers(c: &mut Vec<Case>) {
    let tags = |v: &[&str]| put(alice()).with("aws:TagKeys", v);
    c.push(case(
        "[MV] ForAnyValue: one request value matching one policy value is enough",
        allow_if(r#"{"ForAnyValue:StringLike":{"aws:TagKeys":["team","cost*"]}}"#),
        tags(&["owner", "costcenter"]),
        ALLOW,
    ));
    c.push(case(
        "[MV] ForAnyValue: no request value matching is false",
        allow_if(r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}"#),
        tags(&["owner", "project"]),
        NA,
    ));
    c.push(case(
        "[MV] ForAnyValue on an absent key is false",
        allow_if(r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}"#),
        put(alice()),
        NA,
    ));
    c.push(case(
        "[MV] ForAnyValue with a negated operator on an absent key is still false",
        allow_if(r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["team"]}}"#),
        put(alice()),
        NA,
    ));
    c.push(case(
        "[MV] ForAnyValue with a negated operator: one value outside the list is enough",
        allow_if(r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["team"]}}"#),
        tags(&["team", "owner"]),
        ALLOW,
    ));
    c.push(case(
        "[MV] ForAllValues: every request value matches some policy value",
        allow_if(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["team","owner"]}}"#),
        tags(&["owner", "team"]),
        ALLOW,
    ));
    c.push(case(
        "[MV] ForAllValues: one request value outside the list is false",
        allow_if(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["team","owner"]}}"#),
        tags(&["owner", "secret"]),
        NA,
    ));
    c.push(case(
        "[MV] ForAllValues on an absent key is true",
        allow_if(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}"#),
        put(alice()),
        ALLOW,
    ));
    c.push(case(
        "[MV] ForAllValues with a negated operator: no request value may be listed",
        allow_if(r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"#),
        tags(&["owner", "secret"]),
        NA,
    ));
    c.push(case(
        "[MV] ForAllValues with a negated operator: none listed holds",
        allow_if(r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"#),
        tags(&["owner", "team"]),
        ALLOW,
    ));
    c.push(case(
        "[MV] ForAnyValue with IfExists is true on an absent key",
        allow_if(r#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["team"]}}"#),
        put(alice()),
        ALLOW,
    ));
}

fn variables(c: &mut Vec<Case>) {
    let home = r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}"#;
    let obj = |p: Principal, key: &str| req(p, "s3:GetObject", &format!("arn:aws:s3:::b/{key}"));
    c.push(case(
        "[VAR] ${aws:username} in Resource is the caller's user name",
        v12(home),
        obj(alice(), "home/alice/x"),
        ALLOW,
    ));
    c.push(case(
        "[VAR] ${aws:username} does not match another user's prefix",
        v12(home),
        obj(alice(), "home/bob/x"),
        NA,
    ));
    c.push(case(
        "[VER] 2008-10-17 treats ${...} as literal text",
        v08(home),
        obj(alice(), "home/alice/x"),
        NA,
    ));
    c.push(case(
        "[VER] 2008-10-17: the literal text matches itself",
        v08(home),
        obj(alice(), "home/${aws:username}/x"),
        ALLOW,
    ));
    c.push(case(
        "[VER] a policy without Version defaults to 2008-10-17: no variables",
        unversioned(home),
        obj(alice(), "home/alice/x"),
        NA,
    ));
    c.push(case(
        "[VAR] variables in StringLike condition values",
        allow_if(r#"{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}"#),
        req(alice(), "s3:ListBucket", BUCKET).with("s3:prefix", &["home/alice/docs"]),
        ALLOW,
    ));
    c.push(case(
        "[VAR] ${aws:userid} of a role session is ROLEID:session",
        v12(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:userid}/*"}"#),
        obj(deploy(), "AROADEPLOYEXAMPLE0001:ci-run-42/x"),
        ALLOW,
    ));
    c.push(case(
        "[VAR] ${*} is a literal asterisk, not a wildcard",
        v12(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}"}"#),
        obj(alice(), "k"),
        NA,
    ));
    c.push(case(
        "[VAR] ${*} matches a literal asterisk",
        v12(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}"}"#),
        obj(alice(), "*"),
        ALLOW,
    ));
    c.push(case(
        "[VAR] ${?} is a literal question mark",
        allow_if(r#"{"StringEquals":{"s3:prefix":"what${?}"}}"#),
        req(alice(), "s3:ListBucket", BUCKET).with("s3:prefix", &["what?"]),
        ALLOW,
    ));
    c.push(case(
        "[VAR] ${?} in StringLike matches only a literal question mark",
        allow_if(r#"{"StringLike":{"s3:prefix":"what${?}"}}"#),
        req(alice(), "s3:ListBucket", BUCKET).with("s3:prefix", &["whatX"]),
        NA,
    ));
    c.push(case(
        "[VAR] ${$} is a literal dollar sign",
        allow_if(r#"{"StringEquals":{"s3:prefix":"${$}HOME"}}"#),
        req(alice(), "s3:ListBucket", BUCKET).with("s3:prefix", &["$HOME"]),
        ALLOW,
    ));
    c.push(case(
        "[VAR] a variable with no value makes the statement not match (Allow)",
        v12(home),
        obj(deploy(), "home/deploy/x"),
        NA,
    ));
    c.push(case(
        "[VAR] a variable with no value makes the statement not match (Deny)",
        v12(r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}"#),
        obj(deploy(), "home/x/y"),
        NA,
    ));
    c.push(case(
        "[VAR] a default value stands in for a missing key",
        v12(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username, 'nobody'}/*"}"#),
        obj(deploy(), "home/nobody/x"),
        ALLOW,
    ));
    c.push(case(
        "[VAR] variables are substituted in ARN condition values",
        allow_if(
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:user/*"}}"#,
        ),
        get(alice()),
        ALLOW,
    ));
}

fn derived_context(c: &mut Vec<Case>) {
    let userid = |v: &str| allow_if(&format!(r#"{{"StringEquals":{{"aws:userid":"{v}"}}}}"#));
    c.push(case(
        "[ID] aws:userid of a role session is ROLEID:session",
        userid("AROADEPLOYEXAMPLE0001:ci-run-42"),
        get(deploy()),
        ALLOW,
    ));
    c.push(case(
        "[ID] on EC2 the session name in aws:userid is the instance ID",
        userid("AROASSMINSTANCEROLE01:i-0abc123def4567890"),
        get(ssm()),
        ALLOW,
    ));
    c.push(case(
        "[ID] aws:userid of an IAM user is the user's unique ID",
        userid("AIDAALICEEXAMPLE00001"),
        get(alice()),
        ALLOW,
    ));
    c.push(case(
        "[ID] aws:userid of the root user is the account ID",
        userid("111122223333"),
        get(root()),
        ALLOW,
    ));
    c.push(case(
        "[ID] aws:userid of a federated user is ACCOUNT:name",
        userid("111122223333:carol"),
        get(carol()),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:PrincipalAccount is the caller's account",
        allow_if(r#"{"StringEquals":{"aws:PrincipalAccount":"444455556666"}}"#),
        get(partner()),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:PrincipalArn of the root user is the root ARN",
        allow_if(r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:root"}}"#),
        get(root()),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:PrincipalIsAWSService is true for a service principal",
        allow_if(r#"{"Bool":{"aws:PrincipalIsAWSService":"true"}}"#),
        put(cloudtrail()),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:PrincipalIsAWSService is false for IAM principals",
        allow_if(r#"{"Bool":{"aws:PrincipalIsAWSService":"false"}}"#),
        get(deploy()),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:PrincipalServiceName names the calling service",
        allow_if(r#"{"StringEquals":{"aws:PrincipalServiceName":"logging.s3.amazonaws.com"}}"#),
        put(s3_logging()),
        ALLOW,
    ));
    c.push(case(
        "[CK] aws:PrincipalServiceName is present only for service principals",
        allow_if(r#"{"StringLike":{"aws:PrincipalServiceName":"*"}}"#),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[VAR] aws:username is present for IAM users only",
        allow_if(r#"{"Null":{"aws:username":"false"}}"#),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[API] a key given in the request overrides the derived one",
        allow_if(r#"{"StringEquals":{"aws:userid":"AROAOVERRIDE:x"}}"#),
        get(deploy()).with("aws:userId", &["AROAOVERRIDE:x"]),
        ALLOW,
    ));
    c.push(case(
        "[API] an empty list in the request removes a derived key",
        deny_if(r#"{"StringNotLike":{"aws:userid":"AROADEPLOYEXAMPLE0001:*"}}"#),
        get(deploy()).with("aws:userid", &[]),
        DENY,
    ));
}

fn fence(c: &mut Vec<Case>) {
    c.push(case(
        "[B16] an allowlisted role's session is not denied",
        fenced(),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[B16] every session of an allowlisted role (ROLEID:*) is not denied",
        fenced(),
        put(deploy_as("i-0123456789abcdef0")),
        NA,
    ));
    c.push(case(
        "[B16] a non-allowlisted EC2 instance role session (session = instance ID) is denied",
        fenced(),
        get(ssm()),
        DENY,
    ));
    c.push(case(
        "[B16] the instance role is denied bucket listing too",
        fenced(),
        req(ssm(), "s3:ListBucket", BUCKET),
        DENY,
    ));
    c.push(case(
        "[B16] ListBucket* covers ListBucketVersions",
        fenced(),
        req(ssm(), "s3:ListBucketVersions", BUCKET),
        DENY,
    ));
    c.push(case(
        "[B16] GetObject* covers GetObjectVersion",
        fenced(),
        req(ssm(), "s3:GetObjectVersion", OBJECT),
        DENY,
    ));
    c.push(case(
        "[B16] PutObject* covers PutObjectAcl",
        fenced(),
        req(ssm(), "s3:PutObjectAcl", OBJECT),
        DENY,
    ));
    c.push(case(
        "[B16] DeleteObject* covers DeleteObjectVersion",
        fenced(),
        req(ssm(), "s3:DeleteObjectVersion", OBJECT),
        DENY,
    ));
    c.push(case(
        "[EL] actions outside the fence are not denied (bucket configuration)",
        fenced(),
        req(ssm(), "s3:GetBucketPolicy", BUCKET),
        NA,
    ));
    c.push(case(
        "[EL] the fence covers only its own bucket",
        fenced(),
        req(ssm(), "s3:GetObject", "arn:aws:s3:::other/k"),
        NA,
    ));
    c.push(case(
        "[KC] the account ID in the allowlist keeps the root user out of the Deny",
        fenced(),
        get(root()),
        NA,
    ));
    c.push(case(
        "[B16] an allowlisted user (by unique ID) is not denied",
        fenced(),
        put(alice()),
        NA,
    ));
    c.push(case(
        "[B16] a user not on the allowlist is denied",
        fenced(),
        get(bob()),
        DENY,
    ));
    c.push(case(
        "[BSVC] the CloudTrail service principal is not denied (PrincipalIsAWSService true)",
        fenced(),
        put(cloudtrail()),
        NA,
    ));
    c.push(case(
        "[BSVC] the S3 log delivery service principal is not denied",
        fenced(),
        put(s3_logging()),
        NA,
    ));
    c.push(case(
        "[CK] anonymous callers are denied: no aws:userid, and BoolIfExists is true on the absent key",
        fenced(),
        get(anon()),
        DENY,
    ));
    c.push(case(
        "[ID] a federated user's aws:userid is ACCOUNT:name, so the bare account ID does not cover it",
        fenced(),
        get(carol()),
        DENY,
    ));
    c.push(case(
        "[B16] a role session of another account is denied",
        fenced(),
        get(partner()),
        DENY,
    ));
    c.push(case(
        "[BSVC] a service role (AWS Config's custom role) is not a service principal: denied",
        fenced(),
        put(config_role()),
        DENY,
    ));
    c.push(case(
        "[DP] ELB's legacy log-delivery account is not a service principal: denied",
        fenced(),
        put(Principal::root(ELB_US_EAST_1)),
        DENY,
    ));
    let allowlist = |values: &str| {
        fence_with_conditions(&format!(
            r#""StringNotLike":{{"aws:userId":{values}}},"BoolIfExists":{{"aws:PrincipalIsAWSService":"false"}}"#
        ))
    };
    c.push(case(
        "[ID] a bare role ID never matches a session (the :* is needed)",
        allowlist(r#"["AROASSMINSTANCEROLE01","111122223333"]"#),
        get(ssm()),
        DENY,
    ));
    c.push(case(
        "[ID] the instance profile ID (AIPA) is not the role ID",
        allowlist(r#"["AIPASSMINSTANCEPROF1:*","111122223333"]"#),
        get(ssm()),
        DENY,
    ));
    c.push(case(
        "[OP] StringNotLike is case-sensitive: a lower-cased role ID does not allowlist",
        allowlist(r#"["aroassminstancerole01:*","111122223333"]"#),
        get(ssm()),
        DENY,
    ));
    c.push(case(
        "[ID] ACCOUNT* in the allowlist also matches the account's federated users",
        allowlist(r#"["AROADEPLOYEXAMPLE0001:*","111122223333*"]"#),
        get(carol()),
        NA,
    ));
    c.push(case(
        "[ID] a federated user listed as ACCOUNT:name is not denied",
        allowlist(r#"["111122223333:carol","111122223333"]"#),
        get(carol()),
        NA,
    ));
    c.push(case(
        "[ID] an Identity Center role session is allowlisted by its role ID",
        allowlist(r#"["AROASSOADMINEXAMPLE01:*","111122223333"]"#),
        get(sso()),
        NA,
    ));
    c.push(case(
        "[PR] a recreated role gets a new role ID and falls out of an aws:userid allowlist",
        allowlist(r#"["AROADEPLOYEXAMPLE0001:*","111122223333"]"#),
        get(Principal::role_session(
            ACCT,
            "/",
            "deploy",
            "AROANEWDEPLOYEXAMPLE1",
            "ci-run-43",
        )),
        DENY,
    ));
    c.push(case(
        "[OP] a typo in the key (aws:userld) is a missing key: the negated operator is true, everyone is denied",
        fence_with_conditions(
            r#""StringNotLike":{"aws:userld":["AROADEPLOYEXAMPLE0001:*","111122223333"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}"#,
        ),
        get(deploy()),
        DENY,
    ));
    c.push(case(
        "[OP] the typo'd fence denies root as well",
        fence_with_conditions(
            r#""StringNotLike":{"aws:userld":["AROADEPLOYEXAMPLE0001:*","111122223333"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}"#,
        ),
        get(root()),
        DENY,
    ));
    c.push(case(
        "[COND] a differently cased key (aws:USERID) is the same key: the fence still works",
        fence_with_conditions(
            r#""StringNotLike":{"aws:USERID":["AROADEPLOYEXAMPLE0001:*","111122223333"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}"#,
        ),
        get(deploy()),
        NA,
    ));
    c.push(case(
        "[BSVC] without the service exemption a Deny on * blocks CloudTrail delivery",
        fence_with_conditions(
            r#""StringNotLike":{"aws:userId":["AROADEPLOYEXAMPLE0001:*","111122223333"]}"#,
        ),
        put(cloudtrail()),
        DENY,
    ));
    c.push(case(
        "[B16] the 2016 blog's shape (StringNotLike alone) keeps root out",
        fence_with_conditions(
            r#""StringNotLike":{"aws:userId":["AROADEPLOYEXAMPLE0001:*","111122223333"]}"#,
        ),
        get(root()),
        NA,
    ));
    c.push(case(
        "[CK] Bool (without IfExists) on aws:PrincipalIsAWSService lets anonymous callers escape the Deny",
        fence_with_conditions(
            r#""StringNotLike":{"aws:userId":["AROADEPLOYEXAMPLE0001:*","111122223333"]},"Bool":{"aws:PrincipalIsAWSService":"false"}"#,
        ),
        get(anon()),
        NA,
    ));
    c.push(case(
        "[BSVC] the exemption is a separate ANDed operator: it exempts services, not allowlisted IDs",
        fence_with_conditions(
            r#""StringNotLike":{"aws:userId":["AROADEPLOYEXAMPLE0001:*","111122223333"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}"#,
        ),
        get(ssm()),
        DENY,
    ));
    c.push(case(
        "[CK] aws:PrincipalArn (ArnNotLike) exempts every session of a kept grantee role",
        fence_with_conditions(
            r#""StringNotLike":{"aws:userId":["AROADEPLOYEXAMPLE0001:*","111122223333"]},"ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::111122223333:role/service-role/ec2-ssm"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}"#,
        ),
        get(ssm()),
        NA,
    ));
    c.push(case(
        "[CK] a role recreated under the same name stays exempt by aws:PrincipalArn",
        fence_with_conditions(
            r#""StringNotLike":{"aws:userId":["111122223333"]},"ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::111122223333:role/deploy"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}"#,
        ),
        get(Principal::role_session(ACCT, "/", "deploy", "AROANEWDEPLOYEXAMPLE1", "x")),
        NA,
    ));
    c.push(case(
        "[CK] an aws:PrincipalArn exemption does not cover other roles",
        fence_with_conditions(
            r#""StringNotLike":{"aws:userId":["AROADEPLOYEXAMPLE0001:*","111122223333"]},"ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::111122223333:role/deploy"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}"#,
        ),
        get(ssm()),
        DENY,
    ));
    let partner_exempt = fence_with_conditions(
        r#""StringNotLike":{"aws:userId":["AROADEPLOYEXAMPLE0001:*","111122223333"]},"StringNotEquals":{"aws:PrincipalAccount":["444455556666","127311923021"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}"#,
    );
    c.push(case(
        "[DP] an aws:PrincipalAccount exemption spares the other account's roles",
        partner_exempt.clone(),
        get(partner()),
        NA,
    ));
    c.push(case(
        "[DP] an aws:PrincipalAccount exemption spares ELB's log-delivery account",
        partner_exempt.clone(),
        put(Principal::root(ELB_US_EAST_1)),
        NA,
    ));
    c.push(case(
        "[OP] StringNotEquals aws:PrincipalAccount on anonymous (key absent) is true: still denied",
        partner_exempt.clone(),
        get(anon()),
        DENY,
    ));
    c.push(case(
        "[DP] the account exemption does not spare this account's unlisted roles",
        partner_exempt,
        get(ssm()),
        DENY,
    ));
    let perimeter = fence_with_conditions(
        r#""StringNotEqualsIfExists":{"aws:PrincipalAccount":["111122223333"]},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}"#,
    );
    c.push(case(
        "[DP] data perimeter shape: another account is denied",
        perimeter.clone(),
        get(partner()),
        DENY,
    ));
    c.push(case(
        "[DP] data perimeter shape: the own account is not denied",
        perimeter.clone(),
        get(ssm()),
        NA,
    ));
    c.push(case(
        "[DP] data perimeter shape: service principals are not denied",
        perimeter.clone(),
        put(cloudtrail()),
        NA,
    ));
    c.push(case(
        "[DP] data perimeter shape: anonymous callers are denied (IfExists on the absent account key)",
        perimeter,
        get(anon()),
        DENY,
    ));
    c.push(case(
        "[CK] aws:PrincipalOrgID alone blocks CloudTrail (the key is absent for service principals)",
        fence_with_conditions(r#""StringNotEquals":{"aws:PrincipalOrgID":"o-exampleorgid"}"#),
        put(cloudtrail()),
        DENY,
    ));
    c.push(case(
        "[EV] the fence overrides a public-read Allow for anonymous callers",
        fenced_with(r#"{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#),
        get(anon()),
        DENY,
    ));
    c.push(case(
        "[EV] the fence leaves CloudTrail's own Allow standing",
        fenced_with(
            r#"{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}"#,
        ),
        req(cloudtrail(), "s3:PutObject", "arn:aws:s3:::b/AWSLogs/111122223333/x").with("s3:x-amz-acl", &["bucket-owner-full-control"]),
        ALLOW,
    ));
    c.push(case(
        "[EV] an Allow for an allowlisted role stands under the fence",
        fenced_with(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/deploy"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}"#),
        get(deploy()),
        ALLOW,
    ));
    c.push(case(
        "[EV] an Allow for the instance role is overridden by the fence",
        fenced_with(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/service-role/ec2-ssm"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}"#),
        get(ssm()),
        DENY,
    ));
    c.push(case(
        "[EV] the fence and a TLS-only Deny: an allowlisted role over plain HTTP is denied by the other Deny",
        fenced_with(r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#),
        get(deploy()).with("aws:SecureTransport", &["false"]),
        DENY,
    ));
}

#[test]
fn table() {
    let cases = cases();
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let tag = c
            .rule
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(t, _)| t);
        assert!(
            tag.is_some_and(|t| TAGS.contains(&t)),
            "case {i}: rule {:?} must start with a known [TAG]",
            c.rule
        );
        let policy = Policy::parse(&c.policy)
            .unwrap_or_else(|e| panic!("case {i} ({}): bad policy: {e}\n{}", c.rule, c.policy));
        match evaluate(&policy, &c.request) {
            Ok(e) if e.decision == c.expect => {}
            Ok(e) => failures.push(format!(
                "case {i}: {}\n  expected {:?}, got {:?}\n  matched: {:#?}\n  unmet: {:#?}",
                c.rule, c.expect, e.decision, e.matched, e.unmet
            )),
            Err(e) => failures.push(format!("case {i}: {}\n  error: {e}", c.rule)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rules_are_not_repeated() {
    let mut seen = std::collections::BTreeSet::new();
    for c in cases() {
        assert!(seen.insert(c.rule), "rule used twice: {}", c.rule);
    }
}

#[test]
fn the_table_fence_is_the_one_bucketfence_writes() {
    let written = FenceSpec::default().statement(
        "aws",
        "b",
        &[
            "111122223333".into(),
            "AIDAALICEEXAMPLE00001".into(),
            "AROADEPLOYEXAMPLE0001:*".into(),
        ],
    );
    let written = Policy::parse(&v12(&serde_json::to_string(&written).unwrap())).unwrap();
    let table = Policy::parse(&fenced()).unwrap();
    assert_eq!(Canonical::of(&written), Canonical::of(&table));
}
