//! `bucketfence check`: what a bucket policy (stored, proposed, or any file) decides for one
//! request, and which statements and conditions decided it.

use serde::Serialize;

use crate::backend::{Account, Caller, Directory};
use crate::cli::{CheckArgs, Format};
use crate::policy::document::Policy;
use crate::policy::eval::{evaluate, Decision, Evaluation, Principal, Request};
use crate::principal::spec::{iam_path as path_of, parse_iam_arn};
use crate::render::sanitize::sanitize;

/// A role's unique ID stands in when it cannot be looked up (a policy file checked without an
/// account); `--role-id` or `--context aws:userid=...` give the real one.
pub const UNKNOWN_ROLE_ID: &str = "AROAUNKNOWNROLEID";

/// Who `--as` names. Lookups go through the directory when there is one.
pub async fn principal_of(
    written: &str,
    session: &str,
    role_id: Option<&str>,
    directory: Option<&dyn Directory>,
    default_account: Option<&str>,
) -> Result<(Principal, Vec<String>), String> {
    let mut notes = Vec::new();
    let w = written.trim();
    if w.eq_ignore_ascii_case("anonymous") {
        return Ok((Principal::Anonymous, notes));
    }
    if w.ends_with(".amazonaws.com") || w.ends_with(".amazonaws.com.cn") {
        return Ok((Principal::service(w), notes));
    }
    if let Some(account) = crate::policy::canonical::account_of_root_arn(w)
        .or_else(|| (w.len() == 12 && w.bytes().all(|b| b.is_ascii_digit())).then_some(w))
    {
        return Ok((Principal::root(account), notes));
    }
    // arn:P:sts::ACCT:assumed-role/ROLE/SESSION and arn:P:sts::ACCT:federated-user/NAME
    if let Some(rest) = w
        .strip_prefix("arn:")
        .and_then(|r| r.split_once(":sts::"))
        .map(|(_, r)| r)
    {
        let (account, resource) = rest.split_once(':').ok_or("not an STS ARN")?;
        if let Some(name) = resource.strip_prefix("federated-user/") {
            return Ok((Principal::federated_user(account, name), notes));
        }
        let (role, sess) = resource
            .strip_prefix("assumed-role/")
            .and_then(|r| r.split_once('/'))
            .ok_or_else(|| format!("`{w}` is not an assumed-role session ARN"))?;
        if role.is_empty() || sess.is_empty() {
            return Err(format!("`{w}` has no role name or no session name"));
        }
        // Another account's role cannot be looked up here: never borrow this account's namesake.
        let directory = directory.filter(|_| default_account == Some(account));
        let (path, id) = role_details(role, None, role_id, directory, &mut notes).await?;
        return Ok((
            Principal::role_session(account, &path, role, &id, sess),
            notes,
        ));
    }
    let (kind, name, account) = match parse_iam_arn(w) {
        Some(arn) => (Some(arn.resource_type), arn.name, arn.account.to_string()),
        None => {
            let account = default_account.ok_or_else(|| {
                format!("`{w}` is a name; without an account (`--account-dir` or AWS credentials) give an ARN")
            })?;
            (None, w, account.to_string())
        }
    };
    let foreign = default_account != Some(account.as_str());
    let directory = directory.filter(|_| !foreign);
    if foreign && kind == Some("user") {
        notes.push(format!(
            "user `{name}` is in another account; its unique ID is unknown here, so aws:userId is a placeholder (pass --context aws:userid=...)"
        ));
        return Ok((
            Principal::user(&account, &path_of(w, "user"), name, "AIDAUNKNOWNUSERID"),
            notes,
        ));
    }
    if kind.is_none() || kind == Some("role") {
        let lookup = match directory {
            Some(d) => d.role(name).await.map_err(|e| e.to_string())?,
            None => None,
        };
        if let Some(role) = lookup {
            let path = path_of(&role.arn, "role");
            return Ok((
                Principal::role_session(&account, &path, name, &role.id, session),
                notes,
            ));
        }
        if kind == Some("role") {
            let (path, id) = role_details(name, Some(w), role_id, directory, &mut notes).await?;
            return Ok((
                Principal::role_session(&account, &path, name, &id, session),
                notes,
            ));
        }
    }
    let user = match directory {
        Some(d) => d.user(name).await.map_err(|e| e.to_string())?,
        None => None,
    };
    match user {
        Some(user) => Ok((
            Principal::user(&account, &path_of(&user.arn, "user"), name, &user.id),
            notes,
        )),
        None => Err(format!("no role or user `{w}` in account {account}")),
    }
}

async fn role_details(
    role: &str,
    arn: Option<&str>,
    role_id: Option<&str>,
    directory: Option<&dyn Directory>,
    notes: &mut Vec<String>,
) -> Result<(String, String), String> {
    if let Some(id) = role_id {
        return Ok((
            arn.map(|a| path_of(a, "role"))
                .unwrap_or_else(|| "/".into()),
            id.to_string(),
        ));
    }
    if let Some(d) = directory {
        if let Some(found) = d.role(role).await.map_err(|e| e.to_string())? {
            return Ok((path_of(&found.arn, "role"), found.id));
        }
    }
    notes.push(format!(
        "the unique ID of role `{role}` is unknown here; aws:userId uses the placeholder {UNKNOWN_ROLE_ID} (pass --role-id)"
    ));
    Ok((
        arn.map(|a| path_of(a, "role"))
            .unwrap_or_else(|| "/".into()),
        UNKNOWN_ROLE_ID.to_string(),
    ))
}

#[derive(Serialize)]
pub struct CheckReport<'a> {
    pub policy_source: String,
    pub request: &'a Request,
    pub effective_context: std::collections::BTreeMap<String, Vec<String>>,
    pub evaluation: &'a Evaluation,
    pub notes: &'a [String],
}

pub fn render_text(report: &CheckReport<'_>) -> String {
    let eval = report.evaluation;
    let decision = match eval.decision {
        Decision::ExplicitDeny => "DENIED (explicit Deny)",
        Decision::Allow => "ALLOWED by this policy",
        Decision::NotApplicable => "NOT DECIDED by this policy (no statement matches)",
    };
    let mut out = format!("{decision}\n");
    let ctx = &report.effective_context;
    let get = |k: &str| {
        ctx.get(k)
            .map(|v| v.join(", "))
            .unwrap_or_else(|| "(absent)".into())
    };
    out.push_str(&format!(
        "  request: {} on {}\n  policy:  {}\n  aws:userId = {}, aws:PrincipalArn = {}, aws:PrincipalIsAWSService = {}\n",
        sanitize(&report.request.action),
        sanitize(&report.request.resource),
        sanitize(&report.policy_source),
        sanitize(&get("aws:userid")),
        sanitize(&get("aws:principalarn")),
        sanitize(&get("aws:principalisawsservice")),
    ));
    let deciding = eval.deciding();
    if !deciding.is_empty() {
        out.push_str("decided by:\n");
    }
    for s in deciding {
        out.push_str(&format!(
            "  statement {} ({:?})\n",
            sanitize(&s.label),
            s.effect
        ));
        for c in &s.conditions {
            out.push_str(&format!("    {}\n", sanitize(&c.explanation)));
        }
    }
    let unmet: Vec<_> = eval.unmet.iter().collect();
    if !unmet.is_empty() {
        out.push_str("matched, but a condition did not hold:\n");
    }
    for s in unmet {
        out.push_str(&format!(
            "  statement {} ({:?})\n",
            sanitize(&s.label),
            s.effect
        ));
        for c in s.conditions.iter().filter(|c| !c.holds) {
            out.push_str(&format!("    {}\n", sanitize(&c.explanation)));
        }
        if let Some(note) = &s.note {
            out.push_str(&format!("    {}\n", sanitize(note)));
        }
    }
    for note in report.notes {
        out.push_str(&format!("note: {}\n", sanitize(note)));
    }
    out
}

/// The resource a request names: `--resource`, else the object `--key` or, for bucket-level
/// actions, the bucket.
pub fn resource_of(args: &CheckArgs, partition: &str, bucket: &str) -> String {
    if let Some(r) = &args.resource {
        return r.clone();
    }
    match &args.key {
        Some(key) => format!("arn:{partition}:s3:::{bucket}/{key}"),
        None => {
            let name = args.action.to_ascii_lowercase();
            if name.contains("object") || name.contains("multipart") {
                format!("arn:{partition}:s3:::{bucket}/example-key")
            } else {
                format!("arn:{partition}:s3:::{bucket}")
            }
        }
    }
}

pub fn parse_context(pairs: &[String]) -> Result<Vec<(String, String)>, String> {
    pairs
        .iter()
        .map(|p| {
            p.split_once('=')
                .filter(|(k, _)| !k.trim().is_empty())
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                .ok_or_else(|| format!("`--context {p}` is not KEY=VALUE"))
        })
        .collect()
}

pub fn evaluate_request(policy: &Policy, request: &Request) -> Result<Evaluation, String> {
    evaluate(policy, request).map_err(|e| e.to_string())
}

pub fn format_is_json(args: &CheckArgs) -> bool {
    args.format == Format::Json
}

/// The bucket's name from a policy's first S3 resource, for `--policy` without `--bucket`.
pub fn bucket_from_policy(policy: &Policy) -> Option<String> {
    policy.statements().iter().find_map(|s| {
        let r = s.get("Resource")?;
        let values = crate::policy::document::string_or_list(r).ok()?;
        values.iter().find_map(|v| {
            let rest = v.split_once(":s3:::")?.1;
            let name = rest.split('/').next()?;
            (!name.is_empty() && !name.contains('*')).then(|| name.to_string())
        })
    })
}

/// For `--bucket`: the caller's account and the partition, when connected.
pub fn account_defaults(caller: Option<&Caller>) -> (Option<String>, String) {
    match caller {
        Some(c) => (Some(c.account.clone()), c.partition().to_string()),
        None => (None, "aws".into()),
    }
}

pub type Connected<'a> = Option<(&'a Account, &'a Caller)>;
