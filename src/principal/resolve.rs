//! Allowlist entries -> `aws:userId` patterns, through a `Directory`.
//!
//! A role becomes `<RoleId>:*` (every session of the role: its requests carry `ROLEID:session`),
//! a user its `UserId`, a group each member's `UserId` (a group is never a principal), an account
//! its 12-digit ID (what the root user's requests carry). IDs are taken from IAM, never guessed
//! from a name, and their prefixes and lengths are not assumed.

use serde::Serialize;

use super::spec::{parse_iam_arn, AllowEntry, Kind};
use crate::backend::{BackendError, Caller, Directory};
use crate::policy::canonical::account_of_root_arn;

/// One row of the resolved allowlist. A group gives one row per member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub entry: AllowEntry,
    pub arn: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Allowlist {
    pub rows: Vec<Resolved>,
    /// What goes into `StringNotLike aws:userId`: sorted, without duplicates.
    pub values: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("{}", missing_message(.0))]
    Missing(Vec<(AllowEntry, String)>),
    #[error("looking up {entry}: {source}")]
    Backend {
        entry: AllowEntry,
        #[source]
        source: BackendError,
    },
    #[error("the allowlist is empty: the fence would deny every principal in the account")]
    Empty,
    #[error("{}", never_message(.0))]
    NeverMatches(Vec<(AllowEntry, String)>),
}

fn never_message(entries: &[(AllowEntry, String)]) -> String {
    let parts: Vec<String> = entries
        .iter()
        .map(|(e, why)| format!("{e}: {why}"))
        .collect();
    format!("allowlist: {}", parts.join("; "))
}

fn missing_message(missing: &[(AllowEntry, String)]) -> String {
    let parts: Vec<String> = missing
        .iter()
        .map(|(e, why)| format!("{e} {why}"))
        .collect();
    format!("allowlist: {}", parts.join("; "))
}

impl ResolveError {
    pub fn hint(&self) -> String {
        match self {
            ResolveError::Missing(missing) => {
                let kinds: std::collections::BTreeSet<_> =
                    missing.iter().map(|(e, _)| e.entry_kind()).collect();
                let places: Vec<String> = kinds.into_iter().map(Kind::source_hint).collect();
                format!("correct or remove the entry in {}", places.join(" or "))
            }
            ResolveError::Backend { .. } => {
                "the caller needs iam:GetRole, iam:GetUser and iam:GetGroup".to_string()
            }
            ResolveError::NeverMatches(_) => "write role IDs as `ROLEID:*`, keep IDs upper-case, or list roles and users by name under `roles`/`users`".to_string(),
            ResolveError::Empty => {
                "add at least one role, user, group, account or id under `[allow]` \
                                    or with `--allow-role` and friends"
                    .to_string()
            }
        }
    }
}

impl AllowEntry {
    fn entry_kind(&self) -> Kind {
        self.kind
    }
}

/// Resolve every entry; report every missing one at once, before anything is written.
pub async fn resolve(
    entries: &[AllowEntry],
    directory: &dyn Directory,
    caller: &Caller,
) -> Result<Allowlist, ResolveError> {
    if entries.is_empty() {
        return Err(ResolveError::Empty);
    }
    let partition = caller.partition().to_string();
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    let mut warnings = Vec::new();
    for entry in entries {
        match resolve_one(entry, directory, caller, &partition).await {
            Ok(Outcome::Rows(mut r)) => {
                if r.is_empty() {
                    warnings.push(format!("{entry} has no members: it allows no one"));
                }
                rows.append(&mut r);
            }
            Ok(Outcome::Missing(why)) => missing.push((entry.clone(), why)),
            Err(source) => {
                return Err(ResolveError::Backend {
                    entry: entry.clone(),
                    source,
                })
            }
        }
    }
    if !missing.is_empty() {
        return Err(ResolveError::Missing(missing));
    }
    // A value that can never match locks its intended principal out silently: refuse it.
    let never: Vec<(AllowEntry, String)> = rows
        .iter()
        .filter(|r| r.entry.kind == Kind::Id)
        .filter_map(|r| userid_value_warning(&r.value).map(|w| (r.entry.clone(), w)))
        .collect();
    if !never.is_empty() {
        return Err(ResolveError::NeverMatches(never));
    }
    let mut values: Vec<String> = rows.iter().map(|r| r.value.clone()).collect();
    values.sort();
    values.dedup();
    // Groups without members can leave nothing: `StringNotLike aws:userId []` denies everyone.
    if values.is_empty() {
        return Err(ResolveError::Empty);
    }
    Ok(Allowlist {
        rows,
        values,
        warnings,
    })
}

enum Outcome {
    Rows(Vec<Resolved>),
    Missing(String),
}

async fn resolve_one(
    entry: &AllowEntry,
    directory: &dyn Directory,
    caller: &Caller,
    partition: &str,
) -> Result<Outcome, BackendError> {
    let written = entry.written.trim();
    let row = |arn: String, value: String| Resolved {
        entry: entry.clone(),
        arn,
        value,
    };
    // Roles, users and groups may be given by ARN; the ARN must be of this account and this type.
    let name = match entry.kind {
        Kind::Role | Kind::User | Kind::Group if written.starts_with("arn:") => {
            let Some(arn) = parse_iam_arn(written) else {
                return Ok(Outcome::Missing("is not an IAM ARN".into()));
            };
            if arn.resource_type != entry.kind.as_str() {
                return Ok(Outcome::Missing(format!(
                    "is a {} ARN, not a {}",
                    arn.resource_type,
                    entry.kind.as_str()
                )));
            }
            if arn.account != caller.account {
                return Ok(Outcome::Missing(format!(
                    "is in account {}, not in {} where IAM can look it up (add its unique ID under `ids`)",
                    arn.account, caller.account
                )));
            }
            arn.name
        }
        _ => written,
    };
    let outcome = match entry.kind {
        Kind::Role => match directory.role(name).await? {
            Some(role) if arn_matches(written, &role.arn) => {
                Outcome::Rows(vec![row(role.arn, format!("{}:*", role.id))])
            }
            Some(role) => Outcome::Missing(format!(
                "does not exist (a role of that name is {})",
                role.arn
            )),
            None => Outcome::Missing(format!("does not exist in account {}", caller.account)),
        },
        Kind::User => match directory.user(name).await? {
            Some(user) if arn_matches(written, &user.arn) => {
                Outcome::Rows(vec![row(user.arn, user.id)])
            }
            Some(user) => Outcome::Missing(format!(
                "does not exist (a user of that name is {})",
                user.arn
            )),
            None => Outcome::Missing(format!("does not exist in account {}", caller.account)),
        },
        Kind::Group => match directory.group(name).await? {
            Some(group) if arn_matches(written, &group.arn) => Outcome::Rows(
                group
                    .members
                    .into_iter()
                    .map(|m| row(m.arn, m.id))
                    .collect(),
            ),
            Some(group) => Outcome::Missing(format!(
                "does not exist (a group of that name is {})",
                group.arn
            )),
            None => Outcome::Missing(format!("does not exist in account {}", caller.account)),
        },
        Kind::Account => {
            let id = account_of_root_arn(written).unwrap_or(written);
            if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
                Outcome::Rows(vec![row(
                    format!("arn:{partition}:iam::{id}:root"),
                    id.to_string(),
                )])
            } else {
                Outcome::Missing("is not a 12-digit account ID or an account root ARN".into())
            }
        }
        Kind::Id => {
            // aws:userId values are IDs, account IDs and session names: [\w+=,.@:-], plus the
            // wildcards `*` and `?` of StringNotLike.
            let valid = |c: char| c.is_ascii_alphanumeric() || "_+=,.@:-*?".contains(c);
            if written.is_empty() {
                Outcome::Missing("is empty".into())
            } else if !written.chars().all(valid) {
                Outcome::Missing(
                    "is not an aws:userId pattern (letters, digits and _+=,.@:-*? only)".into(),
                )
            } else {
                Outcome::Rows(vec![row("-".into(), written.to_string())])
            }
        }
    };
    Ok(outcome)
}

/// A name matches whatever ARN IAM returns; an ARN must match exactly (the path included).
fn arn_matches(written: &str, found: &str) -> bool {
    !written.starts_with("arn:") || written == found
}

/// Why an `aws:userId` pattern given as a raw ID could never match a real request (corpus bug 11).
/// Prefixes are used only to explain, never to resolve.
pub fn userid_value_warning(value: &str) -> Option<String> {
    if value.chars().all(|c| c == '*' || c == '?') {
        return Some("matches every caller: the fence would deny no one".into());
    }
    if value.starts_with("arn:") {
        return Some("an ARN is never an aws:userId value; list it under roles or users so its unique ID is looked up".into());
    }
    let head: String = value.chars().take(4).collect();
    let upper = head.to_ascii_uppercase();
    let known = ["AROA", "AIDA", "AIPA"];
    if known.contains(&upper.as_str()) && head != upper {
        return Some(
            "unique IDs are upper-case and StringNotLike is case-sensitive: this never matches"
                .into(),
        );
    }
    if head == "AROA" && !value.contains(':') {
        return Some(
            "a bare role ID never matches: role sessions carry `ROLEID:session`; write `ROLEID:*`"
                .into(),
        );
    }
    if head == "AIPA" {
        return Some(
            "an instance-profile ID never appears in aws:userId; allow the profile's role instead"
                .into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_bug_11_candidates_are_classified() {
        for (value, warns) in [
            ("AROA1EXAMPLEROLEID001:*", false),
            ("AROA1EXAMPLEROLEID001:alice", false),
            ("AROA1EXAMPLEROLEID001", true),
            ("aroa1exampleroleid001:*", true),
            ("AIDA1EXAMPLEUSERID001", false),
            ("111122223333", false),
            ("arn:aws:iam::111122223333:role/admin", true),
            // moto's user IDs are random lower-case strings: no prefix, no warning.
            ("8hj2xycmvi77mlv1hh45", false),
        ] {
            assert_eq!(userid_value_warning(value).is_some(), warns, "{value}");
        }
    }
}
