//! Safety guards, evaluated while planning. A blocking finding refuses the write for that bucket
//! unless the user passes the flag that names that guard; a warning never blocks.
//!
//! The checks are deliberately conservative approximations of IAM evaluation: an action pattern
//! "covers" another when either matches the other as a wildcard, so `s3:*`, `s3:Put*` and
//! `s3:*Policy` all count as covering `s3:PutBucketPolicy`.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::fence::statement::Exemptions;
use crate::policy::canonical::account_of_root_arn;
use crate::policy::document::{sid_of, statement_label, string_or_list, Policy};
use crate::policy::wildcard;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Guard {
    Lockout,
    Grantees,
    PublicReaders,
    DanglingPrincipals,
    Conflicts,
    BlockPublicAccess,
    Validation,
    Verification,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Finding {
    pub guard: Guard,
    pub blocks: bool,
    pub message: String,
    pub hint: Option<String>,
}

impl Finding {
    pub fn block(guard: Guard, message: String, hint: impl Into<String>) -> Finding {
        Finding {
            guard,
            blocks: true,
            message,
            hint: Some(hint.into()),
        }
    }
    pub fn warn(guard: Guard, message: String) -> Finding {
        Finding {
            guard,
            blocks: false,
            message,
            hint: None,
        }
    }
}

/// The flags that override guards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GuardOptions {
    pub allow_lockout: bool,
    pub keep_grantees: bool,
    pub revoke_grantees: bool,
    pub drop_dangling_principals: bool,
    pub replace_notprincipal: bool,
}

pub const POLICY_ACTIONS: [&str; 3] = [
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
];

/// Does one of `patterns` cover `action` (or the other way round, for wildcard grants)?
pub fn covers(patterns: &[String], action: &str) -> bool {
    let action = action.to_ascii_lowercase();
    patterns.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        wildcard::matches(&p, &action) || wildcard::matches(&action, &p)
    })
}

/// The fence covers policy management and the caller is not exempted: writing it locks the caller
/// (and everyone else not on the list) out of this bucket's policy.
pub fn lockout(
    fence_actions: &[String],
    allowed: &[String],
    caller_user_id: &str,
    opts: GuardOptions,
) -> Option<Finding> {
    let covered: Vec<&str> = POLICY_ACTIONS
        .iter()
        .copied()
        .filter(|a| covers(fence_actions, a))
        .collect();
    if covered.is_empty() || allowed.iter().any(|p| wildcard::matches(p, caller_user_id)) {
        return None;
    }
    let message = format!(
        "the fence denies {} to the caller `{caller_user_id}`, who is not on the allowlist: only the account's root user could change this policy afterwards",
        covered.join(", ")
    );
    Some(if opts.allow_lockout {
        Finding::warn(Guard::Lockout, message)
    } else {
        Finding::block(
            Guard::Lockout,
            message,
            "add the caller's role or user to `[allow]`, or leave policy actions out of `[fence] actions`; `--allow-lockout` writes it anyway",
        )
    })
}

/// The stored policy already denies `s3:PutBucketPolicy` to everyone, unconditionally: the write
/// would fail with AccessDenied (corpus bug 07). Root is never blocked by a bucket policy.
///
/// A `NotPrincipal` Deny counts too unless it names the caller's own ARN: a role ARN there does
/// not exempt the role's sessions (corpus bug 10).
pub fn stored_blocks_policy_writes(
    stored: &Policy,
    caller_user_id: &str,
    caller_arn: &str,
    account: &str,
) -> Option<Finding> {
    if caller_user_id == account {
        return None;
    }
    for (i, s) in stored.statements().into_iter().enumerate() {
        let deny = s
            .get("Effect")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("deny"));
        let exempted = s
            .get("NotPrincipal")
            .and_then(Value::as_object)
            .map(|m| list(m.get("AWS")))
            .is_some_and(|arns| arns.iter().any(|a| a == caller_arn));
        let everyone = s.get("Principal").is_some_and(is_everyone)
            || (s.contains_key("NotPrincipal") && !exempted);
        if !deny || !everyone || s.contains_key("Condition") || s.contains_key("NotAction") {
            continue;
        }
        let actions = list(s.get("Action"));
        if covers(&actions, "s3:PutBucketPolicy") {
            return Some(Finding::block(
                Guard::Lockout,
                format!(
                    "statement {} of the stored policy denies s3:PutBucketPolicy to the caller: only the account's root user can write this policy",
                    statement_label(i, s)
                ),
                "sign in as the account's root user and remove that statement, then plan again",
            ));
        }
    }
    None
}

fn is_everyone(principal: &Value) -> bool {
    match principal {
        Value::String(s) => s == "*",
        Value::Object(m) => m
            .get("AWS")
            .is_some_and(|v| list(Some(v)).iter().any(|x| x == "*")),
        _ => false,
    }
}

fn list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(|v| string_or_list(v).ok())
        .unwrap_or_default()
        .into_iter()
        .map(String::from)
        .collect()
}

/// A principal the stored policy allows, whom the fence would also deny.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Grantee {
    Service(String),
    /// Anonymous or public readers: an Allow to `*` without any condition.
    Public,
    /// Another account: its requests carry user IDs the allowlist cannot know.
    Account(String),
    /// A role, user or other principal named by ARN (this account's or another's).
    Arn(String),
    Other(String),
}

/// What the grantee analysis concludes for one bucket.
#[derive(Debug, Default)]
pub struct GranteeReport {
    pub findings: Vec<Finding>,
    /// Filled with `--keep-grantees`: exemptions to add to the fence.
    pub exemptions: Exemptions,
}

/// Who does the stored policy let in, and would the fence keep them out?
pub fn grantees(
    stored: &Policy,
    managed_sid: &str,
    account: &str,
    fence_actions: &[String],
    exempt_services: bool,
    allowed_arns: &[String],
    opts: GuardOptions,
) -> GranteeReport {
    let mut report = GranteeReport::default();
    let mut losing: Vec<(Grantee, String)> = Vec::new();
    for (i, s) in stored.statements().into_iter().enumerate() {
        if sid_of(s) == Some(managed_sid) {
            continue;
        }
        let allow = s
            .get("Effect")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("allow"));
        if !allow {
            continue;
        }
        let granted: Vec<String> = if s.contains_key("NotAction") {
            vec!["*".into()]
        } else {
            list(s.get("Action"))
        };
        let lost: Vec<String> = granted
            .iter()
            .filter(|a| covers(fence_actions, a))
            .cloned()
            .collect();
        if lost.is_empty() {
            continue;
        }
        let what = format!("{} by statement {}", lost.join(", "), statement_label(i, s));
        for grantee in principals_of(s, account) {
            match &grantee {
                Grantee::Service(_) if exempt_services => {}
                Grantee::Arn(arn) if allowed_arns.contains(arn) => {}
                Grantee::Public if s.contains_key("Condition") => report.findings.push(Finding::warn(
                    Guard::Grantees,
                    format!("principals admitted by the condition of statement {} lose {} unless they are on the allowlist", statement_label(i, s), lost.join(", ")),
                )),
                _ => losing.push((grantee, what.clone())),
            }
        }
    }
    for (grantee, what) in losing {
        let finding = match grantee {
            Grantee::Public => {
                let message = format!("anonymous readers lose {what}: their requests carry no aws:userId, so the fence denies them (a website goes dark)");
                if opts.revoke_grantees {
                    Finding::warn(Guard::PublicReaders, message)
                } else {
                    Finding::block(
                        Guard::PublicReaders,
                        message,
                        "exclude the bucket under `[buckets] exclude`, or narrow `[fence] actions`; `--revoke-grantees` writes the fence anyway",
                    )
                }
            }
            Grantee::Service(service) => {
                let message = format!("service principal {service} loses {what}: the aws:PrincipalIsAWSService exemption is switched off");
                if opts.revoke_grantees {
                    Finding::warn(Guard::Grantees, message)
                } else {
                    Finding::block(Guard::Grantees, message, "set `[fence] exempt_aws_services = true`; `--revoke-grantees` writes the fence anyway")
                }
            }
            Grantee::Account(id) | Grantee::Arn(id) | Grantee::Other(id) if opts.keep_grantees => {
                let exemptions = &mut report.exemptions;
                if id.starts_with("arn:") {
                    exemptions.principal_arns.push(id.clone());
                } else if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
                    exemptions.accounts.push(id.clone());
                } else {
                    report.findings.push(Finding::block(
                        Guard::Grantees,
                        format!("{id} loses {what}, and cannot be exempted by ARN or account"),
                        "add its unique ID under `[allow] ids`, or pass `--revoke-grantees`",
                    ));
                    continue;
                }
                Finding::warn(
                    Guard::Grantees,
                    format!("{id} keeps {what}: exempted in the fence (--keep-grantees)"),
                )
            }
            Grantee::Account(id) | Grantee::Arn(id) | Grantee::Other(id) => {
                let message = format!("{id} loses {what}");
                if opts.revoke_grantees {
                    Finding::warn(Guard::Grantees, message)
                } else {
                    let own = id.split(':').nth(4) == Some(account);
                    let hint = if own {
                        "add it to `[allow]` (roles or users), or pass `--keep-grantees` to exempt it by ARN, or `--revoke-grantees` to deny it"
                    } else {
                        "pass `--keep-grantees` to exempt it by ARN or account in the fence, or `--revoke-grantees` to deny it"
                    };
                    Finding::block(Guard::Grantees, message, hint)
                }
            }
        };
        report.findings.push(finding);
    }
    for list in [
        &mut report.exemptions.principal_arns,
        &mut report.exemptions.accounts,
    ] {
        list.sort();
        list.dedup();
    }
    report
}

fn principals_of(statement: &Map<String, Value>, account: &str) -> Vec<Grantee> {
    let Some(principal) = statement.get("Principal") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let entries: Vec<(String, Vec<String>)> = match principal {
        Value::String(s) => vec![("AWS".into(), vec![s.clone()])],
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), list(Some(v))))
            .collect(),
        _ => Vec::new(),
    };
    for (kind, values) in entries {
        for value in values {
            out.push(match kind.as_str() {
                "Service" => Grantee::Service(value),
                "AWS" if value == "*" => Grantee::Public,
                "AWS" => {
                    let id = account_of_root_arn(&value).unwrap_or(&value);
                    if id == account {
                        continue; // the owner account: access is delegated to its IAM policies
                    } else if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
                        Grantee::Account(id.to_string())
                    } else if value.starts_with("arn:") {
                        Grantee::Arn(value)
                    } else {
                        continue; // a bare unique ID: the dangling-principal guard reports it
                    }
                }
                other => Grantee::Other(format!("{other} principal {value}")),
            });
        }
    }
    out
}

/// An `AWS` principal value that is not `*`, an account ID or an ARN: S3 shows a deleted principal
/// as its unique ID, and rejects the policy when it is written back (corpus bug 06).
pub fn is_dangling(value: &str) -> bool {
    value != "*"
        && !value.starts_with("arn:")
        && !(value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()))
}

/// Report dangling principals in statements the tool does not own.
pub fn dangling(stored: &Policy, managed_sid: &str, opts: GuardOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, s) in stored.statements().into_iter().enumerate() {
        if sid_of(s) == Some(managed_sid) {
            continue;
        }
        for field in ["Principal", "NotPrincipal"] {
            let Some(Value::Object(map)) = s.get(field) else {
                continue;
            };
            for value in list(map.get("AWS")).into_iter().filter(|v| is_dangling(v)) {
                let message = format!(
                    "statement {} names `{value}` in {field}, the unique ID of a deleted principal: S3 rejects such a policy (\"Invalid principal in policy\")",
                    statement_label(i, s)
                );
                findings.push(if opts.drop_dangling_principals {
                    Finding::warn(Guard::DanglingPrincipals, format!("{message}; removed (--drop-dangling-principals)"))
                } else {
                    Finding::block(
                        Guard::DanglingPrincipals,
                        message,
                        "pass `--drop-dangling-principals` to remove it from that statement (shown in the diff)",
                    )
                });
            }
        }
    }
    findings
}

/// Remove dangling principals from statements the tool does not own; a statement left without
/// any principal is removed whole (a statement with an empty Principal is not a valid policy).
pub fn drop_dangling(policy: &mut Policy, managed_sid: &str) {
    policy.retain_statements(|s| {
        if sid_of(s) == Some(managed_sid) {
            return true;
        }
        for field in ["Principal", "NotPrincipal"] {
            let Some(Value::Object(map)) = s.get_mut(field) else {
                continue;
            };
            let Some(aws) = map.get("AWS") else { continue };
            let values = list(Some(aws));
            if !values.iter().any(|v| is_dangling(v)) {
                continue;
            }
            let kept: Vec<Value> = values
                .into_iter()
                .filter(|v| !is_dangling(v))
                .map(Value::String)
                .collect();
            match kept.len() {
                0 => {
                    map.remove("AWS");
                }
                1 => {
                    map.insert("AWS".into(), kept.into_iter().next().expect("one"));
                }
                _ => {
                    map.insert("AWS".into(), Value::Array(kept));
                }
            }
            if map.is_empty() {
                return false;
            }
        }
        true
    });
}

/// Could this policy text be public? Only a policy that allows `*` can be; this keeps the two extra
/// API calls of the Block Public Access check off every other bucket.
pub fn may_be_public(text: &str) -> bool {
    Policy::parse(text).is_ok_and(|p| p.statements().iter().any(|s| allows_everyone(s)))
}

fn allows_everyone(s: &Map<String, Value>) -> bool {
    let allow = s
        .get("Effect")
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("allow"));
    allow && (s.get("Principal").is_some_and(is_everyone) || s.contains_key("NotPrincipal"))
}

/// S3 rejects writing back a public policy when the bucket's Block Public Access setting
/// `BlockPublicPolicy` is on; say so before trying. The account-wide setting is not read.
pub fn block_public_access(
    stored: &Policy,
    access: Option<&Result<crate::backend::PublicAccess, crate::backend::BackendError>>,
) -> Option<Finding> {
    match access? {
        Err(e) => Some(Finding::warn(
            Guard::BlockPublicAccess,
            format!("could not read the bucket's Block Public Access settings: {e}"),
        )),
        Ok(access) if access.block_public_policy => {
            let public = access.policy_is_public.unwrap_or_else(|| {
                stored
                    .statements()
                    .iter()
                    .any(|s| allows_everyone(s) && !s.contains_key("Condition"))
            });
            public.then(|| {
                Finding::block(
                    Guard::BlockPublicAccess,
                    "the stored policy is public and the bucket's Block Public Access setting BlockPublicPolicy is on: S3 would reject writing it back".into(),
                    "make the public statement non-public first, or turn BlockPublicPolicy off for this bucket if the public access is intended",
                )
            })
        }
        Ok(_) => None,
    }
}

/// Duplicate Sids among the statements the tool does not own: legal in S3, but a sign of trouble.
pub fn conflicts(stored: &Policy, managed_sid: &str) -> Vec<Finding> {
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for s in stored.statements() {
        if let Some(sid) = sid_of(s).filter(|s| !s.is_empty() && *s != managed_sid) {
            *seen.entry(sid).or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(sid, n)| {
            Finding::warn(
                Guard::Conflicts,
                format!("{n} statements share the Sid `{sid}` (kept as they are)"),
            )
        })
        .collect()
}

/// Explain, with the evaluator, what a stored `Deny` + `NotPrincipal` statement really does (the
/// 2015-era way of allowlisting): a role ARN there does not exempt the role's sessions, the account
/// must be listed too, and principals with a permissions boundary are always denied.
pub fn explain_notprincipal(stored: &Policy, managed_sid: &str, partition: &str) -> Vec<Finding> {
    use crate::policy::eval::{evaluate, Decision, Principal, Request};
    let mut findings = Vec::new();
    for (i, s) in stored.statements().into_iter().enumerate() {
        let deny = s
            .get("Effect")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("deny"));
        let Some(Value::Object(np)) = s.get("NotPrincipal") else {
            continue;
        };
        if !deny || sid_of(s) == Some(managed_sid) {
            continue;
        }
        let listed = list(np.get("AWS"));
        let mut notes = Vec::new();
        let only_this = {
            let mut one = Map::new();
            one.insert("Version".into(), Value::String("2012-10-17".into()));
            one.insert(
                "Statement".into(),
                Value::Array(vec![Value::Object(s.clone())]),
            );
            Policy::from_value(Value::Object(one)).ok()
        };
        let action = list(s.get("Action"))
            .into_iter()
            .find(|a| !a.contains(['*', '?']))
            .unwrap_or_else(|| "s3:GetObject".into());
        let resource = list(s.get("Resource"))
            .into_iter()
            .next()
            .unwrap_or_default()
            .replace('*', "x");
        for arn in &listed {
            let Some(parsed) = crate::principal::spec::parse_iam_arn(arn) else {
                continue;
            };
            if parsed.resource_type != "role" {
                continue;
            }
            let session_listed = listed
                .iter()
                .any(|a| a.contains(&format!(":assumed-role/{}/", parsed.name)));
            let session = Principal::role_session(
                parsed.account,
                "/",
                parsed.name,
                "AROAROLEOFNOTPRINCIPAL",
                "any-session",
            );
            let denied = only_this.as_ref().and_then(|p| {
                evaluate(
                    p,
                    &Request::new(session, &action, &resource).in_partition(partition),
                )
                .ok()
            });
            if !session_listed && denied.is_some_and(|e| e.decision == Decision::ExplicitDeny) {
                notes.push(format!("sessions of role {arn} are still denied {action} (requests come from arn:{partition}:sts::{}:assumed-role/{}/SESSION, which is not listed)", parsed.account, parsed.name));
            }
        }
        let accounts: std::collections::BTreeSet<&str> = listed
            .iter()
            .filter_map(|a| crate::principal::spec::parse_iam_arn(a).map(|p| p.account))
            .collect();
        for account in accounts {
            let root_listed = listed.iter().any(|a| {
                a == account || crate::policy::canonical::account_of_root_arn(a) == Some(account)
            });
            if !root_listed {
                notes.push(format!("the account {account} is not listed, which AWS requires for the listed principals to be exempt"));
            }
        }
        notes.push(
            "principals with a permissions boundary are always denied by a Deny with NotPrincipal"
                .into(),
        );
        findings.push(Finding::warn(
            Guard::Conflicts,
            format!(
                "statement {} is a Deny with NotPrincipal: {}; the fence's aws:userId allowlist covers every session of a role",
                statement_label(i, s),
                notes.join("; ")
            ),
        ));
    }
    findings
}

/// Deny + NotPrincipal statements the tool does not own, by index.
fn notprincipal_denies<'p>(
    stored: &'p Policy,
    managed_sid: &str,
) -> Vec<(usize, &'p Map<String, Value>)> {
    stored
        .statements()
        .into_iter()
        .enumerate()
        .filter(|(_, s)| {
            s.get("Effect")
                .and_then(Value::as_str)
                .is_some_and(|e| e.eq_ignore_ascii_case("deny"))
                && s.contains_key("NotPrincipal")
                && sid_of(s) != Some(managed_sid)
        })
        .collect()
}

/// Every `AWS` value named in a Deny + NotPrincipal statement.
pub fn notprincipal_arns(stored: &Policy) -> Vec<String> {
    notprincipal_denies(stored, "\u{0}")
        .into_iter()
        .filter_map(|(_, s)| {
            s.get("NotPrincipal")
                .and_then(Value::as_object)
                .map(|m| list(m.get("AWS")))
        })
        .flatten()
        .collect()
}

/// What `--replace-notprincipal` does to one bucket.
#[derive(Debug, Default)]
pub struct Replacement {
    /// Statement indices to remove.
    pub drop: Vec<usize>,
    /// `aws:userId` values their principals add to this bucket's fence.
    pub values: Vec<String>,
    pub notes: Vec<Finding>,
}

/// `--replace-notprincipal`: the NotPrincipal Denies to drop and the `aws:userId` values their
/// principals bring to this bucket's fence; or a blocking finding naming what cannot be resolved.
pub fn replace_notprincipal(
    stored: &Policy,
    managed_sid: &str,
    resolved: &std::collections::BTreeMap<String, String>,
) -> Result<Replacement, Finding> {
    let mut drop = Vec::new();
    let mut values = Vec::new();
    let mut notes = Vec::new();
    for (i, s) in notprincipal_denies(stored, managed_sid) {
        let np = s.get("NotPrincipal").and_then(Value::as_object);
        let arns = np.map(|m| list(m.get("AWS"))).unwrap_or_default();
        let other_kinds = np.is_some_and(|m| m.keys().any(|k| k != "AWS"));
        let missing: Vec<&String> = arns.iter().filter(|a| !resolved.contains_key(*a)).collect();
        if other_kinds || !missing.is_empty() {
            return Err(Finding::block(
                Guard::Conflicts,
                format!(
                    "statement {} cannot be replaced: {} cannot be resolved to a unique ID",
                    statement_label(i, s),
                    if other_kinds {
                        "a non-AWS principal".to_string()
                    } else {
                        missing
                            .iter()
                            .map(|m| m.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
                "list those principals under `[allow]` yourself and remove the statement by hand",
            ));
        }
        let mine: Vec<String> = arns.iter().map(|a| resolved[a].clone()).collect();
        notes.push(Finding::warn(
            Guard::Conflicts,
            format!(
                "statement {} (Deny with NotPrincipal, actions {}) is replaced by the fence, which denies only the fence's actions; its principals are allowed on this bucket as {}. Add them to `[allow]` to keep them: a later plan, with the statement gone, would drop them",
                statement_label(i, s),
                list(s.get("Action")).join(", "),
                mine.join(", ")
            ),
        ));
        values.extend(mine);
        drop.push(i);
    }
    Ok(Replacement {
        drop,
        values,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn policy_actions_are_covered_through_wildcards() {
        for (patterns, covered) in [
            (vec!["s3:*"], true),
            (vec!["s3:*Policy"], true),
            (vec!["S3:put*"], true),
            (vec!["*"], true),
            (vec!["s3:GetObject*", "s3:PutObject*"], false),
        ] {
            assert_eq!(
                covers(&strings(&patterns), "s3:PutBucketPolicy"),
                covered,
                "{patterns:?}"
            );
        }
    }

    #[test]
    fn lockout_needs_both_coverage_and_a_missing_caller() {
        let all = strings(&["s3:*"]);
        let allowed = strings(&["AROAX:*"]);
        let o = GuardOptions::default();
        assert!(lockout(&all, &allowed, "AROAY:me", o).is_some_and(|f| f.blocks));
        assert!(lockout(&all, &allowed, "AROAX:me", o).is_none());
        assert!(lockout(&strings(&["s3:GetObject"]), &allowed, "AROAY:me", o).is_none());
        let overridden = GuardOptions {
            allow_lockout: true,
            ..o
        };
        assert!(lockout(&all, &allowed, "AROAY:me", overridden).is_some_and(|f| !f.blocks));
    }

    #[test]
    fn dropping_dangling_keeps_the_rest() {
        let mut p = Policy::parse(
            r#"{"Statement":[{"Sid":"a","Principal":{"AWS":["AROAGONE","arn:aws:iam::1:role/x"]}},{"Sid":"b","Principal":{"AWS":"AROAGONE2"}},{"Sid":"c"}]}"#,
        )
        .unwrap();
        drop_dangling(&mut p, "Fence");
        assert_eq!(
            p.to_compact(),
            r#"{"Statement":[{"Sid":"a","Principal":{"AWS":"arn:aws:iam::1:role/x"}},{"Sid":"c"}]}"#
        );
    }
}
