//! Allowlist entries as the user wrote them, in the config file or on the command line.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Role,
    User,
    Group,
    Account,
    Id,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Account => "account",
            Kind::Id => "id",
        }
    }

    /// Where a user writes this kind: the config key and the flag.
    pub fn source_hint(self) -> String {
        let key = match self {
            Kind::Role => "roles",
            Kind::User => "users",
            Kind::Group => "groups",
            Kind::Account => "accounts",
            Kind::Id => "ids",
        };
        format!(
            "`[allow] {key}` in the config or `--allow-{}`",
            self.as_str()
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct AllowEntry {
    pub kind: Kind,
    pub written: String,
}

impl AllowEntry {
    pub fn new(kind: Kind, written: impl Into<String>) -> Self {
        AllowEntry {
            kind,
            written: written.into(),
        }
    }
}

impl fmt::Display for AllowEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind.as_str(), self.written)
    }
}

/// A parsed IAM ARN of a role or user: `arn:P:iam::ACCOUNT:role/path/name`.
#[derive(Debug, PartialEq, Eq)]
pub struct IamArn<'a> {
    pub account: &'a str,
    pub resource_type: &'a str,
    pub name: &'a str,
}

pub fn parse_iam_arn(arn: &str) -> Option<IamArn<'_>> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let (resource_type, path_and_name) = resource.split_once('/')?;
    let name = path_and_name.rsplit('/').next()?;
    (!name.is_empty()).then_some(IamArn {
        account,
        resource_type,
        name,
    })
}

/// The IAM path of a role or user ARN: `arn:...:role/a/b/name` -> `/a/b/`, `...:role/name` -> `/`.
pub fn iam_path(arn: &str, kind: &str) -> String {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
    let rest = resource
        .strip_prefix(kind)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or("");
    match rest.rfind('/') {
        Some(i) => format!("/{}/", &rest[..i]),
        None => "/".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_arns() {
        assert_eq!(
            iam_path("arn:aws:iam::1:role/ops/team/breakglass", "role"),
            "/ops/team/"
        );
        assert_eq!(iam_path("arn:aws:iam::1:user/alice", "user"), "/");
    }

    #[test]
    fn arn_with_path_gives_the_name() {
        assert_eq!(
            parse_iam_arn("arn:aws:iam::111122223333:role/ops/breakglass"),
            Some(IamArn {
                account: "111122223333",
                resource_type: "role",
                name: "breakglass"
            })
        );
        assert_eq!(parse_iam_arn("arn:aws:iam::111122223333:root"), None);
        assert_eq!(parse_iam_arn("deployer"), None);
    }
}
