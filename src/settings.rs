//! Arguments + config file + environment -> `Settings`. `build` is pure and tested as a table;
//! `load_config` is the only part that touches the file system.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::backend::aws::AwsOptions;
use crate::cli::{CommonArgs, Format};
use crate::fence::statement::FenceSpec;
use crate::plan::guards::GuardOptions;
use crate::principal::spec::{AllowEntry, Kind};
use crate::render::style::Style;
use crate::session::plan::Selection;

pub const DEFAULT_CONFIG: &str = "bucketfence.toml";
pub const DEFAULT_BACKUP_DIR: &str = "bucketfence-backups";

/// `bucketfence.toml`. Unknown keys are errors: a typo must not silently drop an allowlist entry.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub allow: AllowSection,
    #[serde(default)]
    pub fence: FenceSection,
    #[serde(default)]
    pub buckets: BucketsSection,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AllowSection {
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub accounts: Vec<String>,
    #[serde(default)]
    pub ids: Vec<String>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FenceSection {
    pub sid: Option<String>,
    pub actions: Option<Vec<String>>,
    pub exempt_aws_services: Option<bool>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BucketsSection {
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the config file `{path}`: {source}")]
    ConfigRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the config file `{path}` is not valid: {message}")]
    ConfigParse { path: PathBuf, message: String },
    #[error("the fence Sid `{0}` must be 1 to 100 letters and digits")]
    BadSid(String),
    #[error("the fence action `{0}` is not an S3 action")]
    BadAction(String),
    #[error("the fence has no actions")]
    NoActions,
}

impl SettingsError {
    pub fn hint(&self) -> &'static str {
        match self {
            SettingsError::ConfigRead { .. } => "check the path given to `--config`",
            SettingsError::ConfigParse { .. } => {
                "see docs/formats.md for the keys of `bucketfence.toml`"
            }
            SettingsError::BadSid(_) => {
                "set `[fence] sid` to letters and digits only, e.g. `BucketFenceDenyUnlisted`"
            }
            SettingsError::BadAction(_) | SettingsError::NoActions => {
                "set `[fence] actions` to S3 actions such as `s3:GetObject*`, or `s3:*`"
            }
        }
    }
}

/// Read the config: `--config` must exist; otherwise `./bucketfence.toml` is used when present.
pub fn load_config(
    explicit: Option<&Path>,
    cwd: &Path,
) -> Result<(ConfigFile, Option<PathBuf>), SettingsError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let default = cwd.join(DEFAULT_CONFIG);
            if !default.is_file() {
                return Ok((ConfigFile::default(), None));
            }
            default
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|source| SettingsError::ConfigRead {
        path: path.clone(),
        source,
    })?;
    let config = parse_config(&text).map_err(|message| SettingsError::ConfigParse {
        path: path.clone(),
        message,
    })?;
    Ok((config, Some(path)))
}

pub fn parse_config(text: &str) -> Result<ConfigFile, String> {
    toml::from_str(text).map_err(|e| e.message().trim().to_string())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendChoice {
    Local(PathBuf),
    Aws(AwsOptions),
}

/// Facts about the process's surroundings, gathered once at the edge.
#[derive(Debug, Clone, Copy, Default)]
pub struct Environment {
    pub no_color: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    pub stdin_tty: bool,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub backend: BackendChoice,
    pub allow: Vec<AllowEntry>,
    pub fence: FenceSpec,
    pub selection: Selection,
    /// For data on stdout.
    pub style: Style,
    /// For progress, prompts and errors on stderr.
    pub err_style: Style,
    pub concurrency: usize,
    pub guards: GuardOptions,
}

pub fn build(
    args: &CommonArgs,
    config: ConfigFile,
    env: Environment,
) -> Result<Settings, SettingsError> {
    let backend = match &args.account_dir {
        Some(dir) => BackendChoice::Local(dir.clone()),
        None => BackendChoice::Aws(AwsOptions {
            profile: args.profile.clone(),
            region: args.region.clone(),
            endpoint_url: args.endpoint_url.clone(),
        }),
    };
    let mut allow = Vec::new();
    for (kind, from_config, from_flags) in [
        (Kind::Role, &config.allow.roles, &args.allow_roles),
        (Kind::User, &config.allow.users, &args.allow_users),
        (Kind::Group, &config.allow.groups, &args.allow_groups),
        (Kind::Account, &config.allow.accounts, &args.allow_accounts),
        (Kind::Id, &config.allow.ids, &args.allow_ids),
    ] {
        for written in from_config.iter().chain(from_flags) {
            let entry = AllowEntry::new(kind, written.trim());
            if !allow.contains(&entry) {
                allow.push(entry);
            }
        }
    }
    let mut fence = FenceSpec::default();
    if let Some(sid) = config.fence.sid {
        if sid.is_empty() || sid.len() > 100 || !sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(SettingsError::BadSid(sid));
        }
        fence.sid = sid;
    }
    if let Some(actions) = config.fence.actions {
        if actions.is_empty() {
            return Err(SettingsError::NoActions);
        }
        let valid = |a: &&String| {
            a.len() > 3
                && a[..3].eq_ignore_ascii_case("s3:")
                && a[3..]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?')
        };
        if let Some(bad) = actions.iter().find(|a| !valid(a)) {
            return Err(SettingsError::BadAction(bad.clone()));
        }
        fence.actions = actions;
    }
    if let Some(exempt) = config.fence.exempt_aws_services {
        fence.exempt_aws_services = exempt;
    }
    Ok(Settings {
        backend,
        allow,
        fence,
        selection: Selection {
            names: args.buckets.clone(),
            include: config.buckets.include,
            exclude: config.buckets.exclude,
        },
        style: Style::decide(args.color, env.no_color, env.stdout_tty),
        err_style: Style::decide(args.color, env.no_color, env.stderr_tty),
        concurrency: usize::from(args.concurrency),
        guards: GuardOptions {
            allow_lockout: args.allow_lockout,
            keep_grantees: args.keep_grantees,
            revoke_grantees: args.revoke_grantees,
            drop_dangling_principals: args.drop_dangling_principals,
            replace_notprincipal: args.replace_notprincipal,
        },
    })
}

/// The output format of commands that have one.
pub fn format_of(command: &crate::cli::Command) -> Format {
    match command {
        crate::cli::Command::Plan(a) => a.format,
        crate::cli::Command::Resolve(a) => a.format,
        _ => Format::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> CommonArgs {
        CommonArgs {
            concurrency: 8,
            ..CommonArgs::default()
        }
    }

    #[test]
    fn flags_add_to_the_config_without_duplicates() {
        let config =
            parse_config("[allow]\nroles = [\"deployer\"]\naccounts = [\"111122223333\"]").unwrap();
        let mut a = args();
        a.allow_roles = vec!["deployer".into(), "ops".into()];
        a.allow_ids = vec!["AROAX:*".into()];
        let s = build(&a, config, Environment::default()).unwrap();
        let written: Vec<String> = s.allow.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            written,
            [
                "role `deployer`",
                "role `ops`",
                "account `111122223333`",
                "id `AROAX:*`"
            ]
        );
    }

    #[test]
    fn config_table() {
        for (text, ok) in [
            ("", true),
            (
                "[fence]\nsid = \"Custom1\"\nactions = [\"s3:*\"]\nexempt_aws_services = false",
                true,
            ),
            ("[fence]\nsid = \"has space\"", false),
            ("[fence]\nactions = []", false),
            ("[fence]\nactions = [\"ec2:*\"]", false),
            ("[fence]\nactions = [\"s3:\"]", false),
            ("[fence]\nactions = [\"s3:Get\\u001b[2J\"]", false),
            ("[allow]\nrole = [\"typo\"]", false),
            ("[buckets]\ninclude = \"notalist\"", false),
            ("not toml at all", false),
        ] {
            let result = parse_config(text)
                .map_err(|e| e.to_string())
                .and_then(|c| build(&args(), c, Environment::default()).map_err(|e| e.to_string()));
            assert_eq!(result.is_ok(), ok, "{text}: {:?}", result.err());
        }
    }

    #[test]
    fn account_dir_selects_the_local_backend() {
        let mut a = args();
        a.account_dir = Some("samples/demo".into());
        let s = build(&a, ConfigFile::default(), Environment::default()).unwrap();
        assert_eq!(s.backend, BackendChoice::Local("samples/demo".into()));
    }
}
