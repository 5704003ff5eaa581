//! What one bucket policy says about one request: explicit Deny, Allow, or nothing.
//!
//! Scope: a single resource policy evaluated on its own, statement by statement, following AWS's
//! documented logic (AWS-FACTS.md in the shared docs, sections 1-3 and 8): an explicit Deny
//! in any matching statement wins, an Allow needs a matching statement, and a policy with no
//! matching statement does not decide the request. Everything else that takes part in a real
//! S3 authorization (identity policies, SCPs and RCPs, permissions boundaries, session policies,
//! ACLs, Block Public Access, the bucket owner's root override) is outside this module: the answer
//! is what this one document says, which is what the fence needs to be checked against.
//!
//! The request context is derived from the principal as AWS derives it (`aws:userid` is
//! `ROLEID:session` for a role session, `aws:PrincipalArn` is the role ARN, ...); keys given in the
//! request override the derived ones, and every other key (`aws:SecureTransport`, `aws:SourceIp`,
//! ...) is present only when the caller sets it.
//!
//! Approximated or not supported:
//! - `NotPrincipal` is matched against every identity a caller carries (the session ARN, the role
//!   ARN, the account), and the statement applies unless all of them are listed, which is how the
//!   NotPrincipal page describes it. Permissions boundaries are not modelled, so the documented
//!   "NotPrincipal + Deny always denies a principal with a boundary" is not reproduced.
//! - `Federated` and `CanonicalUser` principal entries never match: the principals modelled here
//!   have no web-identity provider or canonical user ID. A unique ID (`AIDA...`, `AROA...`) in an
//!   `AWS` principal matches the user or role that has it.
//! - Partial wildcards in `AWS` principal values are not expanded (AWS rejects them on write);
//!   only a whole `"*"` is a wildcard there.
//! - `aws:userid` and the other principal keys are absent for anonymous callers; AWS may set
//!   `anonymous` there (unverified). Either way the fence's `StringNotLike` denies them.
//! - Resource and ARN matching treat `*` and `?` as IAM does; ARN operators compare the six
//!   colon-separated fields one by one, so a condition value with fewer than six fields matches
//!   nothing. Policy variables are substituted anywhere in a Resource, not only after the fifth
//!   colon. In conditions they are substituted in String and ARN operators only, the ones the
//!   variables page allows them in. A variable whose key is missing (or multi-valued) and has no
//!   default makes the whole statement not apply, as the variables page warns.
//! - Numbers are compared as `f64`; dates accept ISO 8601 (`2024-01-31`, `2024-01-31T12:00:00Z`,
//!   fractions and offsets, the basic `20240131T120000Z` form) and epoch seconds. `BinaryEquals`
//!   compares the base64 text. `IpAddress` does not treat IPv4-mapped IPv6 addresses as IPv4.
//! - A multi-valued key under an operator without `ForAnyValue:`/`ForAllValues:` behaves like
//!   `ForAnyValue` for positive operators and like "none of the request values matches" for
//!   negated ones. An empty value list in the request counts as the key being absent.
//! - Two spellings of one condition key under one operator (`aws:userId` and `aws:userid`) are
//!   merged into one value list, as `canonical.rs` does, so that equal canonical forms evaluate the
//!   same; AWS does not document this case.
//! - `Effect` is read case-insensitively and operator names exactly, like the canonical form.
//! - What AWS would refuse to store is an error here rather than a guess: an unknown operator
//!   (including `NullIfExists` and set forms of `Null`), a value that is not of the operator's
//!   type, a statement without Effect, Action/NotAction, Resource/NotResource or
//!   Principal/NotPrincipal, or with both elements of a pair.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::Serialize;
use serde_json::{Map, Value};

use super::document::{condition_values, statement_label, string_or_list, Policy};
use super::wildcard;

pub const DEFAULT_PARTITION: &str = "aws";

/// The policy language version that introduced variables; in any other, `${...}` is plain text.
pub const VARIABLES_VERSION: &str = "2012-10-17";

/// Condition keys and their values, key names lowercased (they are case-insensitive).
pub type Context = BTreeMap<String, Vec<String>>;

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Principal {
    /// An unsigned request.
    Anonymous,
    /// The account root user.
    Root { account: String },
    /// An IAM user. `path` is the IAM path (`/` or `/division/team/`).
    User {
        account: String,
        path: String,
        name: String,
        user_id: String,
    },
    /// A session of an assumed role (AssumeRole, SAML, web identity, an EC2 instance profile, a
    /// Lambda function...). On EC2 the session name is the instance ID.
    RoleSession {
        account: String,
        role_path: String,
        role_name: String,
        role_id: String,
        session: String,
    },
    /// An STS federated user (GetFederationToken).
    FederatedUser { account: String, name: String },
    /// An AWS service principal calling directly, e.g. `cloudtrail.amazonaws.com`.
    Service { name: String },
}

impl Principal {
    pub fn root(account: &str) -> Principal {
        Principal::Root {
            account: account.into(),
        }
    }

    pub fn user(account: &str, path: &str, name: &str, user_id: &str) -> Principal {
        Principal::User {
            account: account.into(),
            path: path.into(),
            name: name.into(),
            user_id: user_id.into(),
        }
    }

    pub fn role_session(
        account: &str,
        role_path: &str,
        role_name: &str,
        role_id: &str,
        session: &str,
    ) -> Principal {
        Principal::RoleSession {
            account: account.into(),
            role_path: role_path.into(),
            role_name: role_name.into(),
            role_id: role_id.into(),
            session: session.into(),
        }
    }

    pub fn federated_user(account: &str, name: &str) -> Principal {
        Principal::FederatedUser {
            account: account.into(),
            name: name.into(),
        }
    }

    pub fn service(name: &str) -> Principal {
        Principal::Service { name: name.into() }
    }

    /// The account an IAM principal belongs to; none for anonymous callers and services.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Root { account }
            | Principal::User { account, .. }
            | Principal::RoleSession { account, .. }
            | Principal::FederatedUser { account, .. } => Some(account),
            Principal::Anonymous | Principal::Service { .. } => None,
        }
    }

    /// The caller's own ARN: for a role session the session ARN
    /// `arn:P:sts::ACCT:assumed-role/ROLE/SESSION`, which never carries the role's path.
    pub fn arn(&self, partition: &str) -> Option<String> {
        match self {
            Principal::Anonymous | Principal::Service { .. } => None,
            Principal::Root { account } => Some(root_arn(partition, account)),
            Principal::User {
                account,
                path,
                name,
                ..
            } => Some(format!(
                "arn:{partition}:iam::{account}:user/{}{name}",
                path_prefix(path)
            )),
            Principal::RoleSession {
                account,
                role_name,
                session,
                ..
            } => Some(format!(
                "arn:{partition}:sts::{account}:assumed-role/{role_name}/{session}"
            )),
            Principal::FederatedUser { account, name } => Some(format!(
                "arn:{partition}:sts::{account}:federated-user/{name}"
            )),
        }
    }

    /// For a role session, the role's ARN `arn:P:iam::ACCT:role/PATH/ROLE`.
    pub fn role_arn(&self, partition: &str) -> Option<String> {
        match self {
            Principal::RoleSession {
                account,
                role_path,
                role_name,
                ..
            } => Some(format!(
                "arn:{partition}:iam::{account}:role/{}{role_name}",
                path_prefix(role_path)
            )),
            _ => None,
        }
    }

    /// The value of `aws:PrincipalArn`: the role ARN for a role session (so one condition covers
    /// every session of the role), otherwise the caller's own ARN.
    pub fn principal_arn(&self, partition: &str) -> Option<String> {
        self.role_arn(partition).or_else(|| self.arn(partition))
    }

    /// The value of `aws:userid`.
    pub fn user_id(&self) -> Option<String> {
        match self {
            Principal::Anonymous | Principal::Service { .. } => None,
            Principal::Root { account } => Some(account.clone()),
            Principal::User { user_id, .. } => Some(user_id.clone()),
            Principal::RoleSession {
                role_id, session, ..
            } => Some(format!("{role_id}:{session}")),
            Principal::FederatedUser { account, name } => Some(format!("{account}:{name}")),
        }
    }
}

pub fn root_arn(partition: &str, account: &str) -> String {
    format!("arn:{partition}:iam::{account}:root")
}

/// `/` or `` -> ``; `/a/b/` or `a/b` -> `a/b/`: the part of an IAM ARN between the type and the name.
fn path_prefix(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}/")
    }
}

/// The condition keys AWS sets from the principal alone.
pub fn derived_context(p: &Principal, partition: &str) -> Context {
    let mut ctx = Context::new();
    let mut put = |key: &str, value: String| {
        ctx.insert(key.to_string(), vec![value]);
    };
    if let Some(id) = p.user_id() {
        put("aws:userid", id);
    }
    if let Some(arn) = p.principal_arn(partition) {
        put("aws:principalarn", arn);
    }
    if let Some(account) = p.account() {
        put("aws:principalaccount", account.to_string());
    }
    let principal_type = match p {
        Principal::Anonymous => Some("Anonymous"),
        Principal::Root { .. } => Some("Account"),
        Principal::User { .. } => Some("User"),
        Principal::RoleSession { .. } => Some("AssumedRole"),
        Principal::FederatedUser { .. } => Some("FederatedUser"),
        Principal::Service { .. } => None,
    };
    if let Some(t) = principal_type {
        put("aws:principaltype", t.to_string());
    }
    match p {
        // Absent for anonymous callers: that is why the fence pairs its exemption with IfExists.
        Principal::Anonymous => {}
        Principal::Service { name } => {
            put("aws:principalisawsservice", "true".into());
            put("aws:principalservicename", name.clone());
        }
        _ => put("aws:principalisawsservice", "false".into()),
    }
    if let Principal::User { name, .. } = p {
        put("aws:username", name.clone());
    }
    ctx
}

/// One request to evaluate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub principal: Principal,
    pub action: String,
    pub resource: String,
    /// Keys set explicitly. They override the keys derived from the principal; an empty list
    /// removes a derived key. Names are matched case-insensitively.
    pub context: Context,
    pub partition: String,
}

impl Request {
    pub fn new(principal: Principal, action: &str, resource: &str) -> Request {
        Request {
            principal,
            action: action.into(),
            resource: resource.into(),
            context: Context::new(),
            partition: DEFAULT_PARTITION.into(),
        }
    }

    /// Set a context key (overriding a derived one).
    pub fn with(mut self, key: &str, values: &[&str]) -> Request {
        self.context.insert(
            key.to_ascii_lowercase(),
            values.iter().map(|v| v.to_string()).collect(),
        );
        self
    }

    pub fn in_partition(mut self, partition: &str) -> Request {
        self.partition = partition.into();
        self
    }

    /// The context the conditions see: derived keys, then the explicit ones on top.
    pub fn effective_context(&self) -> Context {
        let mut ctx = derived_context(&self.principal, &self.partition);
        for (key, values) in &self.context {
            let key = key.to_ascii_lowercase();
            if values.is_empty() {
                ctx.remove(&key);
            } else {
                ctx.insert(key, values.clone());
            }
        }
        ctx
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    ExplicitDeny,
    Allow,
    /// No statement matched: this policy neither allows nor denies.
    NotApplicable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub decision: Decision,
    /// Statements whose Principal, Action, Resource and every condition matched.
    pub matched: Vec<StatementResult>,
    /// Statements whose Principal, Action and Resource matched but a condition did not (or a
    /// variable had no value): for a Deny, the reason it did not apply.
    pub unmet: Vec<StatementResult>,
}

impl Evaluation {
    /// The statements that made the decision: the matching Denies, else the matching Allows.
    pub fn deciding(&self) -> Vec<&StatementResult> {
        let effect = match self.decision {
            Decision::ExplicitDeny => Effect::Deny,
            Decision::Allow => Effect::Allow,
            Decision::NotApplicable => return Vec::new(),
        };
        self.matched.iter().filter(|s| s.effect == effect).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementResult {
    /// Position in document order, from 0.
    pub index: usize,
    /// `#N` or `#N (Sid `X`)`, for messages.
    pub label: String,
    pub sid: Option<String>,
    pub effect: Effect,
    pub conditions: Vec<ConditionResult>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionResult {
    pub operator: String,
    pub key: String,
    pub holds: bool,
    /// E.g. `StringNotLike aws:userId: "AROAX:i-123" matches none of ["AROAY:*"] -> true`.
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// An operator this evaluator does not know. Never read as false: a Deny that silently stops
    /// applying is exactly the mistake the evaluator exists to catch.
    #[error("statement {statement}: unknown condition operator `{operator}`")]
    UnknownOperator { statement: String, operator: String },
    #[error("statement {statement}: `{operator}` `{key}`: {value:?} is not {expected}")]
    BadValue {
        statement: String,
        operator: String,
        key: String,
        value: String,
        expected: &'static str,
    },
    #[error("statement {statement}: {problem}")]
    Malformed { statement: String, problem: String },
}

/// Evaluate `policy` for `req`. Every statement is checked for shape and operators first, so an
/// error does not depend on which request happens to reach the bad statement.
pub fn evaluate(policy: &Policy, req: &Request) -> Result<Evaluation, EvalError> {
    let variables = policy.version() == Some(VARIABLES_VERSION);
    let compiled = policy
        .statements()
        .into_iter()
        .enumerate()
        .map(|(index, s)| compile(index, s, variables))
        .collect::<Result<Vec<_>, _>>()?;
    let ctx = req.effective_context();
    let mut matched = Vec::new();
    let mut unmet = Vec::new();
    for statement in &compiled {
        if !statement
            .principal
            .applies_to(&req.principal, &req.partition)
            || !statement.action.applies_to_action(&req.action)
        {
            continue;
        }
        let mut result = StatementResult {
            index: statement.index,
            label: statement.label.clone(),
            sid: statement.sid.map(String::from),
            effect: statement.effect,
            conditions: Vec::new(),
            note: None,
        };
        match statement.resource.applies_to_resource(&req.resource, &ctx) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(var) => {
                result.note = Some(unresolved_note(&var));
                unmet.push(result);
                continue;
            }
        }
        let mut all_hold = true;
        for block in &statement.conditions {
            match block.evaluate(&ctx, &statement.label) {
                Ok(c) => {
                    all_hold &= c.holds;
                    result.conditions.push(c);
                }
                Err(Fail::Unresolved(var)) => {
                    all_hold = false;
                    result.note.get_or_insert_with(|| unresolved_note(&var));
                }
                Err(Fail::Error(e)) => return Err(e),
            }
        }
        if all_hold {
            matched.push(result);
        } else {
            unmet.push(result);
        }
    }
    let decision = if matched.iter().any(|s| s.effect == Effect::Deny) {
        Decision::ExplicitDeny
    } else if matched.iter().any(|s| s.effect == Effect::Allow) {
        Decision::Allow
    } else {
        Decision::NotApplicable
    };
    Ok(Evaluation {
        decision,
        matched,
        unmet,
    })
}

fn unresolved_note(var: &str) -> String {
    format!("the policy variable ${{{var}}} has no single value in this request, so AWS treats the statement as not matching")
}

/// A statement read into the shapes evaluation needs.
struct Compiled<'a> {
    index: usize,
    label: String,
    sid: Option<&'a str>,
    effect: Effect,
    principal: PrincipalElement<'a>,
    action: Element<'a>,
    resource: Element<'a>,
    conditions: Vec<Block<'a>>,
}

fn compile(
    index: usize,
    s: &Map<String, Value>,
    variables: bool,
) -> Result<Compiled<'_>, EvalError> {
    let label = statement_label(index, s);
    let malformed = |problem: String| EvalError::Malformed {
        statement: label.clone(),
        problem,
    };
    let effect = match s.get("Effect").and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("deny") => Effect::Deny,
        Some(e) => return Err(malformed(format!("`Effect` is {e:?}, not Allow or Deny"))),
        None => return Err(malformed("has no `Effect`".into())),
    };
    let action = Element::read(s, "Action", "NotAction", false).map_err(&malformed)?;
    let resource = Element::read(s, "Resource", "NotResource", variables).map_err(&malformed)?;
    let principal = PrincipalElement::read(s).map_err(&malformed)?;
    let mut conditions = Vec::new();
    match s.get("Condition") {
        None => {}
        Some(Value::Object(operators)) => {
            for (operator, keys) in operators {
                let op = Operator::parse(operator).ok_or_else(|| EvalError::UnknownOperator {
                    statement: label.clone(),
                    operator: operator.clone(),
                })?;
                let Value::Object(keys) = keys else {
                    return Err(malformed(format!(
                        "condition operator `{operator}` must map keys to values"
                    )));
                };
                let mut blocks: Vec<Block> = Vec::new();
                for (key, values) in keys {
                    let values = condition_values(values)
                        .map_err(|p| malformed(format!("`{operator}` `{key}` {p}")))?;
                    let lower = key.to_ascii_lowercase();
                    match blocks.iter_mut().find(|b| b.key_lower == lower) {
                        Some(block) => block.raw.extend(values),
                        None => blocks.push(Block {
                            operator,
                            op,
                            key,
                            key_lower: lower,
                            raw: values,
                            values: Vec::new(),
                        }),
                    }
                }
                for block in &mut blocks {
                    block.prepare(variables, &label)?;
                }
                conditions.extend(blocks);
            }
        }
        Some(_) => return Err(malformed("`Condition` must be an object".into())),
    }
    Ok(Compiled {
        index,
        label,
        sid: s.get("Sid").and_then(Value::as_str),
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

/// Action/NotAction or Resource/NotResource.
struct Element<'a> {
    negated: bool,
    values: Vec<&'a str>,
    variables: bool,
}

impl<'a> Element<'a> {
    fn read(
        s: &'a Map<String, Value>,
        positive: &str,
        negative: &str,
        variables: bool,
    ) -> Result<Element<'a>, String> {
        let (negated, value) = match (s.get(positive), s.get(negative)) {
            (Some(_), Some(_)) => return Err(format!("has both `{positive}` and `{negative}`")),
            (Some(v), None) => (false, v),
            (None, Some(v)) => (true, v),
            (None, None) => return Err(format!("has neither `{positive}` nor `{negative}`")),
        };
        let values = string_or_list(value).map_err(|p| format!("`{positive}` {p}"))?;
        Ok(Element {
            negated,
            values,
            variables,
        })
    }

    /// Action names are case-insensitive; `*` and `?` are wildcards.
    fn applies_to_action(&self, action: &str) -> bool {
        let action = action.to_ascii_lowercase();
        let any = self
            .values
            .iter()
            .any(|p| wildcard::matches(&p.to_ascii_lowercase(), &action));
        any != self.negated
    }

    /// Resources are case-sensitive. `Err` names a variable that could not be substituted.
    fn applies_to_resource(&self, resource: &str, ctx: &Context) -> Result<bool, String> {
        let mut any = false;
        for value in &self.values {
            let pattern = if self.variables {
                substitute(value, ctx)?
            } else {
                Pattern::wild(value)
            };
            any |= pattern.matches(resource);
        }
        Ok(any != self.negated)
    }
}

/// Principal or NotPrincipal.
struct PrincipalElement<'a> {
    negated: bool,
    aws: Vec<&'a str>,
    service: Vec<&'a str>,
}

/// One of the identities a caller carries. A role session is its session, its role and its
/// account: a Principal naming any of them matches, a NotPrincipal must name all of them.
enum Identity<'a> {
    Anonymous,
    Service(&'a str),
    Account(&'a str),
    Named {
        arn: String,
        unique_id: Option<&'a str>,
    },
}

fn identities<'a>(p: &'a Principal, partition: &str) -> Vec<Identity<'a>> {
    let named = |arn: Option<String>, unique_id: Option<&'a str>| Identity::Named {
        arn: arn.expect("IAM principals have ARNs"),
        unique_id,
    };
    match p {
        Principal::Anonymous => vec![Identity::Anonymous],
        Principal::Service { name } => vec![Identity::Service(name)],
        Principal::Root { account } => vec![Identity::Account(account)],
        Principal::User {
            account, user_id, ..
        } => vec![
            named(p.arn(partition), Some(user_id)),
            Identity::Account(account),
        ],
        Principal::RoleSession {
            account, role_id, ..
        } => vec![
            named(p.arn(partition), None),
            named(p.role_arn(partition), Some(role_id)),
            Identity::Account(account),
        ],
        Principal::FederatedUser { account, .. } => {
            vec![named(p.arn(partition), None), Identity::Account(account)]
        }
    }
}

impl<'a> PrincipalElement<'a> {
    fn read(s: &'a Map<String, Value>) -> Result<PrincipalElement<'a>, String> {
        // An empty principal is read as a missing one, as the canonical form reads it.
        let principal = s.get("Principal").map(Self::entries).transpose()?.flatten();
        let not_principal = s
            .get("NotPrincipal")
            .map(Self::entries)
            .transpose()?
            .flatten();
        match (principal, not_principal) {
            (Some(_), Some(_)) => Err("has both `Principal` and `NotPrincipal`".into()),
            (Some(p), None) => Ok(p),
            (None, Some(mut p)) => {
                p.negated = true;
                Ok(p)
            }
            (None, None) => Err(
                "has neither `Principal` nor `NotPrincipal` (a bucket policy statement needs one)"
                    .into(),
            ),
        }
    }

    fn entries(value: &'a Value) -> Result<Option<PrincipalElement<'a>>, String> {
        let mut element = PrincipalElement {
            negated: false,
            aws: Vec::new(),
            service: Vec::new(),
        };
        let mut others = 0;
        match value {
            Value::String(s) => element.aws.push(s),
            Value::Object(kinds) => {
                for (kind, values) in kinds {
                    let values = string_or_list(values).map_err(|p| format!("`{kind}` {p}"))?;
                    match kind.as_str() {
                        "AWS" => element.aws.extend(values),
                        "Service" => element.service.extend(values),
                        _ => others += values.len(),
                    }
                }
            }
            _ => return Err("`Principal` must be \"*\" or an object".into()),
        }
        let empty = element.aws.is_empty() && element.service.is_empty() && others == 0;
        Ok((!empty).then_some(element))
    }

    fn names(&self, identity: &Identity, partition: &str) -> bool {
        if self.aws.contains(&"*") {
            return true;
        }
        match identity {
            Identity::Anonymous => false,
            Identity::Service(name) => self.service.contains(name),
            Identity::Account(account) => self
                .aws
                .iter()
                .any(|v| v == account || *v == root_arn(partition, account)),
            Identity::Named { arn, unique_id } => {
                self.aws.iter().any(|v| v == arn || Some(*v) == *unique_id)
            }
        }
    }

    fn applies_to(&self, p: &Principal, partition: &str) -> bool {
        let ids = identities(p, partition);
        if self.negated {
            ids.iter().any(|id| !self.names(id, partition))
        } else {
            ids.iter().any(|id| self.names(id, partition))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    ForAnyValue,
    ForAllValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Cmp::Eq => ord == Equal,
            Cmp::Lt => ord == Less,
            Cmp::Le => ord != Greater,
            Cmp::Gt => ord == Greater,
            Cmp::Ge => ord != Less,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl Kind {
    /// The variables page: variables work in string and ARN conditions only.
    fn takes_variables(self) -> bool {
        matches!(
            self,
            Kind::StringEquals | Kind::StringEqualsIgnoreCase | Kind::StringLike | Kind::Arn
        )
    }

    fn relation(self) -> &'static str {
        match self {
            Kind::StringEquals | Kind::Binary => "equals",
            Kind::StringEqualsIgnoreCase => "equals (ignoring case)",
            Kind::StringLike | Kind::Arn => "matches",
            Kind::Numeric(c) | Kind::Date(c) => c.symbol(),
            Kind::Bool => "is",
            Kind::Ip => "is in",
            Kind::Null => "is",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Operator {
    qualifier: Option<Qualifier>,
    kind: Kind,
    negated: bool,
    if_exists: bool,
}

impl Operator {
    fn parse(text: &str) -> Option<Operator> {
        let (qualifier, rest) = if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (Some(Qualifier::ForAnyValue), r)
        } else if let Some(r) = text.strip_prefix("ForAllValues:") {
            (Some(Qualifier::ForAllValues), r)
        } else {
            (None, text)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        use Cmp::*;
        let (kind, negated) = match base {
            "StringEquals" => (Kind::StringEquals, false),
            "StringNotEquals" => (Kind::StringEquals, true),
            "StringEqualsIgnoreCase" => (Kind::StringEqualsIgnoreCase, false),
            "StringNotEqualsIgnoreCase" => (Kind::StringEqualsIgnoreCase, true),
            "StringLike" => (Kind::StringLike, false),
            "StringNotLike" => (Kind::StringLike, true),
            "NumericEquals" => (Kind::Numeric(Eq), false),
            "NumericNotEquals" => (Kind::Numeric(Eq), true),
            "NumericLessThan" => (Kind::Numeric(Lt), false),
            "NumericLessThanEquals" => (Kind::Numeric(Le), false),
            "NumericGreaterThan" => (Kind::Numeric(Gt), false),
            "NumericGreaterThanEquals" => (Kind::Numeric(Ge), false),
            "DateEquals" => (Kind::Date(Eq), false),
            "DateNotEquals" => (Kind::Date(Eq), true),
            "DateLessThan" => (Kind::Date(Lt), false),
            "DateLessThanEquals" => (Kind::Date(Le), false),
            "DateGreaterThan" => (Kind::Date(Gt), false),
            "DateGreaterThanEquals" => (Kind::Date(Ge), false),
            "Bool" => (Kind::Bool, false),
            "BinaryEquals" => (Kind::Binary, false),
            "IpAddress" => (Kind::Ip, false),
            "NotIpAddress" => (Kind::Ip, true),
            // The operators page: ArnEquals and ArnLike behave identically.
            "ArnEquals" | "ArnLike" => (Kind::Arn, false),
            "ArnNotEquals" | "ArnNotLike" => (Kind::Arn, true),
            "Null" => (Kind::Null, false),
            _ => return None,
        };
        // Null tests presence itself; an IfExists or set form of it has no documented meaning.
        if kind == Kind::Null && (if_exists || qualifier.is_some()) {
            return None;
        }
        Some(Operator {
            qualifier,
            kind,
            negated,
            if_exists,
        })
    }
}

/// One key under one operator.
struct Block<'a> {
    operator: &'a str,
    op: Operator,
    /// As first written in the policy, for explanations.
    key: &'a str,
    key_lower: String,
    raw: Vec<String>,
    values: Vec<Prepared>,
}

/// A condition value ready to compare. String and ARN values in 2012-10-17 policies wait for the
/// request, because their variables are substituted from it.
#[derive(Debug, Clone)]
enum Prepared {
    Deferred(String),
    Text(Pattern),
    Number(f64),
    Date(i128),
    Bool(bool),
    Net(Net),
    Arn(Vec<Pattern>),
}

enum Fail {
    Unresolved(String),
    Error(EvalError),
}

impl Block<'_> {
    fn bad_value(&self, label: &str, value: &str, expected: &'static str) -> EvalError {
        EvalError::BadValue {
            statement: label.to_string(),
            operator: self.operator.to_string(),
            key: self.key.to_string(),
            value: value.to_string(),
            expected,
        }
    }

    /// Parse the values that do not depend on the request, so that a bad number or CIDR is an
    /// error for every request, not only for those that reach this statement.
    fn prepare(&mut self, variables: bool, label: &str) -> Result<(), EvalError> {
        let kind = self.op.kind;
        let mut values = Vec::with_capacity(self.raw.len());
        for raw in &self.raw {
            let prepared = if kind == Kind::Null {
                Prepared::Bool(
                    parse_bool(raw).ok_or_else(|| self.bad_value(label, raw, "true or false"))?,
                )
            } else if variables && kind.takes_variables() {
                Prepared::Deferred(raw.clone())
            } else {
                prepare_value(kind, Pattern::wild(raw))
                    .map_err(|expected| self.bad_value(label, raw, expected))?
            };
            values.push(prepared);
        }
        self.values = values;
        Ok(())
    }

    fn evaluate(&self, ctx: &Context, label: &str) -> Result<ConditionResult, Fail> {
        let head = format!("{} {}", self.operator, self.key);
        let request = ctx.get(&self.key_lower).filter(|v| !v.is_empty());
        let result = |holds: bool, detail: String| ConditionResult {
            operator: self.operator.to_string(),
            key: self.key.to_string(),
            holds,
            explanation: format!("{head}: {detail} -> {holds}"),
        };

        if self.op.kind == Kind::Null {
            let present = request.is_some();
            let holds = self
                .values
                .iter()
                .any(|v| matches!(v, Prepared::Bool(absent) if *absent != present));
            let state = match request {
                Some(values) => format!("key present ({})", show_list(values)),
                None => "key absent".to_string(),
            };
            return Ok(result(
                holds,
                format!("{state}, Null {}", show_list(&self.raw)),
            ));
        }

        let Some(request) = request else {
            let (holds, why) = if self.op.if_exists {
                (true, "IfExists is true")
            } else {
                match (self.op.qualifier, self.op.negated) {
                    (Some(Qualifier::ForAnyValue), _) => (false, "ForAnyValue is false"),
                    (Some(Qualifier::ForAllValues), _) => (true, "ForAllValues is true"),
                    (None, true) => (true, "a negated operator is true"),
                    (None, false) => (false, "the condition is false"),
                }
            };
            return Ok(result(holds, format!("key absent from the request; {why}")));
        };

        let mut values = Vec::with_capacity(self.values.len());
        let mut shown = Vec::with_capacity(self.values.len());
        for (v, raw) in self.values.iter().zip(&self.raw) {
            match v {
                Prepared::Deferred(raw) => {
                    let pattern = substitute(raw, ctx).map_err(Fail::Unresolved)?;
                    shown.push(pattern.display());
                    values.push(
                        prepare_value(self.op.kind, pattern)
                            .map_err(|e| Fail::Error(self.bad_value(label, raw, e)))?,
                    );
                }
                Prepared::Text(p) => {
                    shown.push(p.display());
                    values.push(v.clone());
                }
                _ => {
                    shown.push(raw.clone());
                    values.push(v.clone());
                }
            }
        }

        // For each request value, the first policy value it satisfies in the positive sense.
        let hits: Vec<Option<usize>> = request
            .iter()
            .map(|r| values.iter().position(|p| compare(self.op.kind, r, p)))
            .collect();
        let rel = self.op.kind.relation();
        let list = show_list(&shown);
        let pair = |i: usize| {
            let p = hits[i].expect("a hit");
            format!("{:?} {rel} {:?}", request[i], shown[p])
        };
        let none = |i: usize| format!("{:?} {rel} none of {list}", request[i]);
        let nobody = || {
            if request.len() == 1 {
                none(0)
            } else {
                format!("none of {} {rel} any of {list}", show_list(request))
            }
        };
        let everybody = || {
            if request.len() == 1 {
                pair(0)
            } else {
                format!("each of {} {rel} one of {list}", show_list(request))
            }
        };
        let first_hit = hits.iter().position(Option::is_some);
        let first_miss = hits.iter().position(Option::is_none);
        // The multi-value page: values for one key are ORed, and a negated operator needs the
        // request value to match none of them.
        let (holds, detail) = match (self.op.qualifier, self.op.negated) {
            (None | Some(Qualifier::ForAnyValue), false) => match first_hit {
                Some(i) => (true, pair(i)),
                None => (false, nobody()),
            },
            (None | Some(Qualifier::ForAllValues), true) => match first_hit {
                Some(i) => (false, pair(i)),
                None => (true, nobody()),
            },
            (Some(Qualifier::ForAllValues), false) => match first_miss {
                Some(i) => (false, none(i)),
                None => (true, everybody()),
            },
            (Some(Qualifier::ForAnyValue), true) => match first_miss {
                Some(i) => (true, none(i)),
                None => (false, everybody()),
            },
        };
        Ok(result(holds, detail))
    }
}

fn show_list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    format!("[{}]", items.join(", "))
}

/// A value of the operator's type, or what it should have been.
fn prepare_value(kind: Kind, pattern: Pattern) -> Result<Prepared, &'static str> {
    let text = pattern.literal();
    Ok(match kind {
        Kind::StringEquals | Kind::StringEqualsIgnoreCase | Kind::StringLike | Kind::Binary => {
            Prepared::Text(pattern)
        }
        Kind::Numeric(_) => Prepared::Number(parse_number(&text).ok_or("a number")?),
        Kind::Date(_) => {
            Prepared::Date(parse_date(&text).ok_or("an ISO 8601 date or epoch seconds")?)
        }
        Kind::Bool | Kind::Null => Prepared::Bool(parse_bool(&text).ok_or("true or false")?),
        Kind::Ip => Prepared::Net(Net::parse(&text).ok_or("an IP address or CIDR block")?),
        Kind::Arn => Prepared::Arn(pattern.split_fields(6)),
    })
}

/// Does request value `r` satisfy policy value `p` in the operator's positive sense?
/// A request value that does not parse as the operator's type satisfies nothing.
fn compare(kind: Kind, r: &str, p: &Prepared) -> bool {
    match (kind, p) {
        (Kind::StringEquals | Kind::Binary, Prepared::Text(p)) => r == p.literal(),
        (Kind::StringEqualsIgnoreCase, Prepared::Text(p)) => {
            r.to_lowercase() == p.literal().to_lowercase()
        }
        (Kind::StringLike, Prepared::Text(p)) => p.matches(r),
        (Kind::Numeric(c), Prepared::Number(n)) => parse_number(r)
            .and_then(|x| x.partial_cmp(n))
            .is_some_and(|o| c.holds(o)),
        (Kind::Date(c), Prepared::Date(d)) => parse_date(r).is_some_and(|x| c.holds(x.cmp(d))),
        (Kind::Bool, Prepared::Bool(b)) => parse_bool(r) == Some(*b),
        (Kind::Ip, Prepared::Net(net)) => r.parse::<IpAddr>().is_ok_and(|a| net.contains(a)),
        (Kind::Arn, Prepared::Arn(fields)) => {
            let parts: Vec<&str> = r.splitn(6, ':').collect();
            fields.len() == 6
                && parts.len() == 6
                && fields.iter().zip(&parts).all(|(f, t)| f.matches(t))
        }
        _ => false,
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_number(s: &str) -> Option<f64> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    // `f64::from_str` also takes `inf` and `NaN`, which no policy means.
    if !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Nanoseconds since the Unix epoch.
fn parse_date(s: &str) -> Option<i128> {
    const NANOS: i128 = 1_000_000_000;
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(s.parse::<i64>().ok()? as i128 * NANOS);
    }
    let (date, time) = match s.find(['T', 't']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let num = |t: &str| -> Option<i64> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (y, m, d) = match date.as_bytes() {
        [_, _, _, _, b'-', _, _, b'-', _, _] => {
            (num(&date[..4])?, num(&date[5..7])?, num(&date[8..])?)
        }
        [_, _, _, _, _, _, _, _] if time.is_some() => {
            (num(&date[..4])?, num(&date[4..6])?, num(&date[6..])?)
        }
        _ => return None,
    };
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let mut nanos = days_from_civil(y, m, d) as i128 * 86_400 * NANOS;
    if let Some(time) = time {
        // Split off the zone: `Z`, `+hh:mm`, `+hhmm`, `+hh`, or nothing (read as UTC).
        let (clock, offset_seconds) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
            (c, 0)
        } else if let Some(i) = time.find(['+', '-']) {
            let sign = if time.as_bytes()[i] == b'-' { -1 } else { 1 };
            let zone = time[i + 1..].replace(':', "");
            let (hh, mm) = match zone.len() {
                2 => (num(&zone)?, 0),
                4 => (num(&zone[..2])?, num(&zone[2..])?),
                _ => return None,
            };
            if hh > 23 || mm > 59 {
                return None;
            }
            (&time[..i], sign * (hh * 3600 + mm * 60))
        } else {
            (time, 0)
        };
        let (clock, fraction) = match clock.split_once(['.', ',']) {
            Some((c, f)) => (c, Some(f)),
            None => (clock, None),
        };
        let fields: Vec<&str> = if clock.contains(':') {
            clock.split(':').collect()
        } else {
            clock
                .as_bytes()
                .chunks(2)
                .map(|c| std::str::from_utf8(c).unwrap_or(""))
                .collect()
        };
        let (hh, mm, ss) = match fields.as_slice() {
            [h, m] if h.len() == 2 && m.len() == 2 => (num(h)?, num(m)?, 0),
            [h, m, s] if h.len() == 2 && m.len() == 2 && s.len() == 2 => {
                (num(h)?, num(m)?, num(s)?)
            }
            _ => return None,
        };
        if hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
        let mut frac_nanos: i128 = 0;
        if let Some(f) = fraction {
            if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            frac_nanos = format!("{f:0<9}").parse().ok()?;
        }
        nanos += ((hh * 3600 + mm * 60 + ss - offset_seconds) as i128) * NANOS + frac_nanos;
    }
    Some(nanos)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An address with a prefix length; a bare address is a /32 or /128.
#[derive(Debug, Clone, Copy)]
struct Net {
    addr: IpAddr,
    prefix: u32,
}

impl Net {
    fn parse(s: &str) -> Option<Net> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().ok().filter(|&n| n <= max)?
            }
            Some(_) => return None,
        };
        Some(Net { addr, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - self.prefix).unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - self.prefix).unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// A `StringLike`-style pattern in which some `*`/`?` may be literal characters, because they
/// came from `${*}`, `${?}` or a substituted value rather than from the policy text.
#[derive(Debug, Clone, Default)]
struct Pattern(Vec<Tok>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Any,
    One,
}

impl Pattern {
    fn wild(text: &str) -> Pattern {
        let mut p = Pattern::default();
        p.push_wild(text);
        p
    }

    fn push_wild(&mut self, text: &str) {
        self.0.extend(text.chars().map(|c| match c {
            '*' => Tok::Any,
            '?' => Tok::One,
            c => Tok::Lit(c),
        }));
    }

    fn push_literal(&mut self, text: &str) {
        self.0.extend(text.chars().map(Tok::Lit));
    }

    /// The text with wildcards as plain characters, for the exact-match operators.
    fn literal(&self) -> String {
        self.0
            .iter()
            .map(|t| match t {
                Tok::Lit(c) => *c,
                Tok::Any => '*',
                Tok::One => '?',
            })
            .collect()
    }

    /// For explanations: literal wildcard characters written back as their variables.
    fn display(&self) -> String {
        let mut out = String::new();
        for t in &self.0 {
            match t {
                Tok::Lit('*') => out.push_str("${*}"),
                Tok::Lit('?') => out.push_str("${?}"),
                Tok::Lit(c) => out.push(*c),
                Tok::Any => out.push('*'),
                Tok::One => out.push('?'),
            }
        }
        out
    }

    fn matches(&self, text: &str) -> bool {
        // The common case goes through the one matcher the rest of the tool uses.
        if !self.0.iter().any(|t| matches!(t, Tok::Lit('*' | '?'))) {
            return wildcard::matches(&self.literal(), text);
        }
        let t: Vec<char> = text.chars().collect();
        let p = &self.0;
        let (mut pi, mut ti) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            let step = pi < p.len()
                && match p[pi] {
                    Tok::One => true,
                    Tok::Lit(c) => c == t[ti],
                    Tok::Any => false,
                };
            if step {
                pi += 1;
                ti += 1;
            } else if pi < p.len() && p[pi] == Tok::Any {
                star = Some((pi, ti));
                pi += 1;
            } else if let Some((sp, st)) = star {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            } else {
                return false;
            }
        }
        p[pi..].iter().all(|&t| t == Tok::Any)
    }

    /// Split at `:` into at most `n` fields, the last keeping any further colons.
    fn split_fields(&self, n: usize) -> Vec<Pattern> {
        let mut fields = vec![Pattern::default()];
        for &t in &self.0 {
            if t == Tok::Lit(':') && fields.len() < n {
                fields.push(Pattern::default());
            } else {
                fields.last_mut().expect("never empty").0.push(t);
            }
        }
        fields
    }
}

/// Substitute `${key}`, `${key, 'default'}`, `${*}`, `${?}` and `${$}`. `Err` names a key with no
/// single value and no default. An unterminated `${` is plain text.
fn substitute(text: &str, ctx: &Context) -> Result<Pattern, String> {
    let mut p = Pattern::default();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        p.push_wild(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            p.push_wild(&rest[start..]);
            return Ok(p);
        };
        let inner = &after[..end];
        match inner {
            "*" | "?" | "$" => p.push_literal(inner),
            _ => {
                let (name, default) = match inner.split_once(',') {
                    Some((name, d)) => {
                        let d = d.trim();
                        let quoted = d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'');
                        (name.trim(), quoted.then(|| &d[1..d.len() - 1]))
                    }
                    None => (inner.trim(), None),
                };
                match (ctx.get(&name.to_ascii_lowercase()), default) {
                    (Some(values), _) if values.len() == 1 => p.push_literal(&values[0]),
                    (_, Some(d)) => p.push_literal(d),
                    _ => return Err(name.to_string()),
                }
            }
        }
        rest = &after[end + 1..];
    }
    p.push_wild(rest);
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<i128> {
        parse_date(s).map(|n| n / 1_000_000_000)
    }

    #[test]
    fn dates_in_the_forms_policies_use() {
        assert_eq!(date("1970-01-01"), Some(0));
        assert_eq!(date("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        assert_eq!(date("20240229T000000Z"), Some(1_709_164_800));
        assert_eq!(date("2024-02-29T01:00:00+01:00"), Some(1_709_164_800));
        assert_eq!(date("2024-02-28T23:00-01:00"), Some(1_709_164_800));
        assert_eq!(date("1709164800"), Some(1_709_164_800));
        assert_eq!(
            parse_date("2024-02-29T00:00:00.5Z"),
            Some(1_709_164_800_500_000_000)
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-01-01T25:00:00Z",
            "yesterday",
            "",
            "2024-1-1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn cidr_blocks() {
        let net = Net::parse("192.0.2.0/24").unwrap();
        assert!(net.contains("192.0.2.77".parse().unwrap()));
        assert!(!net.contains("192.0.3.1".parse().unwrap()));
        assert!(!net.contains("::ffff:192.0.2.1".parse().unwrap()));
        assert!(Net::parse("0.0.0.0/0")
            .unwrap()
            .contains("203.0.113.9".parse().unwrap()));
        let v6 = Net::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8:1::1".parse().unwrap()));
        assert!(!v6.contains("2001:db9::1".parse().unwrap()));
        for bad in [
            "192.0.2.0/33",
            "192.0.2.0/",
            "192.0.2.0/+8",
            "10.0.0",
            "::/129",
        ] {
            assert!(Net::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn numbers_refuse_words() {
        assert_eq!(parse_number("1.5"), Some(1.5));
        assert_eq!(parse_number("-2"), Some(-2.0));
        assert_eq!(parse_number("1e3"), Some(1000.0));
        for bad in ["inf", "NaN", "", "-", "1.2.3", "0x10"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn escaped_wildcards_are_literal() {
        let ctx = Context::new();
        let p = substitute("a${*}b*", &ctx).unwrap();
        assert!(p.matches("a*bxyz"));
        assert!(!p.matches("aXbxyz"));
        assert_eq!(p.display(), "a${*}b*");
        let q = substitute("x${?}", &ctx).unwrap();
        assert!(q.matches("x?"));
        assert!(!q.matches("xy"));
        assert_eq!(substitute("${$}{a}", &ctx).unwrap().literal(), "${a}");
        assert_eq!(
            substitute("lone ${ brace", &ctx).unwrap().literal(),
            "lone ${ brace"
        );
    }

    #[test]
    fn variables_take_values_and_defaults() {
        let mut ctx = Context::new();
        ctx.insert("aws:username".into(), vec!["alice".into()]);
        ctx.insert("multi".into(), vec!["a".into(), "b".into()]);
        assert_eq!(
            substitute("home/${aws:UserName}/*", &ctx)
                .unwrap()
                .literal(),
            "home/alice/*"
        );
        assert_eq!(
            substitute("${aws:userid, 'anonymous'}", &ctx)
                .unwrap()
                .literal(),
            "anonymous"
        );
        assert_eq!(substitute("${aws:userid}", &ctx).unwrap_err(), "aws:userid");
        assert_eq!(substitute("${multi}", &ctx).unwrap_err(), "multi");
    }

    #[test]
    fn arn_fields_split_at_the_first_five_colons() {
        let fields = Pattern::wild("arn:aws:logs:*:111122223333:log-group:a:*").split_fields(6);
        assert_eq!(fields.len(), 6);
        assert_eq!(fields[5].literal(), "log-group:a:*");
    }

    #[test]
    fn operator_names() {
        for ok in [
            "StringNotLikeIfExists",
            "ForAnyValue:StringLike",
            "ForAllValues:ArnNotEqualsIfExists",
            "BoolIfExists",
            "Null",
        ] {
            assert!(Operator::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "StringLikeX",
            "stringlike",
            "NullIfExists",
            "ForAnyValue:Null",
            "IfExists",
            "ForSomeValues:StringLike",
            "BinaryNotEquals",
        ] {
            assert!(Operator::parse(bad).is_none(), "{bad}");
        }
    }
}
