//! Command-line arguments: clap derive only, no logic (see settings.rs for what they mean).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::style::ColorChoice;

#[derive(Debug, Parser)]
#[command(
    name = "bucketfence",
    version,
    about = "Fence S3 buckets: merge an allowlist Deny into each bucket policy, show the diff, apply it",
    after_help = "Exit status: 0 nothing to do or done, 1 error, 2 changes pending (plan), 130 interrupted."
)]
pub struct Cli {
    /// Without a command, on a terminal: the interactive session (as `apply` without `--yes`).
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what would change in each bucket policy (a dry run: writes nothing).
    Plan(PlanArgs),
    /// Write the fence into each bucket policy that needs it (`--yes` when not at a terminal).
    Apply(ApplyArgs),
    /// Show the allowlist resolved to the unique IDs that go into the policy.
    Resolve(ResolveArgs),
    /// Put back the policies saved in a backup directory (one `apply` run).
    Rollback(RollbackArgs),
    /// What a bucket policy decides for one request, and why (`--bucket B` or `--policy FILE`).
    Check(CheckArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `bucketfence man > bucketfence.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check this policy document instead of a bucket's (no account needed).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// With `--bucket`: check the policy the plan would write, not the stored one.
    #[arg(long, conflicts_with = "policy")]
    pub proposed: bool,
    /// Who makes the request: a role or user (name or ARN), an assumed-role session ARN, an
    /// account ID, a service principal (cloudtrail.amazonaws.com), or `anonymous`.
    #[arg(long = "as", value_name = "PRINCIPAL")]
    pub principal: String,
    /// The role session name [default: bucketfence-check]; on EC2 it is the instance ID.
    #[arg(long)]
    pub session: Option<String>,
    /// A role's unique ID, when it cannot be looked up (checking a policy file without an account).
    #[arg(long, value_name = "ID")]
    pub role_id: Option<String>,
    /// The S3 action, e.g. s3:GetObject.
    #[arg(long)]
    pub action: String,
    /// The object key [default: the bucket itself for bucket actions, `example-key` for object actions].
    #[arg(long, conflicts_with = "resource")]
    pub key: Option<String>,
    /// The resource ARN, instead of `--key`.
    #[arg(long)]
    pub resource: Option<String>,
    /// A condition key for the request (repeatable); overrides the value derived from the principal.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The backup directory `apply` printed (it holds manifest.json).
    #[arg(value_name = "BACKUP_DIR")]
    pub backup: PathBuf,
    /// Restore without asking (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Restore buckets whose policy changed since the backup was made.
    #[arg(long)]
    pub force: bool,
    /// Where to save the policies being replaced by the rollback [default: ./bucketfence-backups].
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also save the plan to FILE, for `bucketfence apply FILE` to carry out exactly.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct ApplyArgs {
    /// A plan saved by `plan --out`: carry out exactly that plan (no new planning).
    #[arg(value_name = "PLAN_FILE")]
    pub plan: Option<PathBuf>,
    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Where to save the policies being replaced [default: ./bucketfence-backups].
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Interactive session: save allowlist changes to the config file without asking.
    #[arg(long)]
    pub save_config: bool,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args, Default)]
pub struct CommonArgs {
    /// The config file [default: ./bucketfence.toml when it exists].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use a local account directory instead of AWS (see docs/formats.md).
    #[arg(long, global = true, value_name = "DIR", conflicts_with_all = ["profile", "endpoint_url"])]
    pub account_dir: Option<PathBuf>,
    /// AWS profile to use.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Region for account-wide calls; each bucket is still reached in its own region.
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Send AWS requests to this endpoint (an S3/IAM/STS-compatible server); uses path-style S3.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Allow a role (name or ARN); repeatable, added to the config's list.
    #[arg(long = "allow-role", global = true, value_name = "NAME|ARN")]
    pub allow_roles: Vec<String>,
    /// Allow an IAM user (name or ARN).
    #[arg(long = "allow-user", global = true, value_name = "NAME|ARN")]
    pub allow_users: Vec<String>,
    /// Allow every member of an IAM group (a group itself cannot be a principal).
    #[arg(long = "allow-group", global = true, value_name = "NAME|ARN")]
    pub allow_groups: Vec<String>,
    /// Allow an account's root user (12-digit ID).
    #[arg(long = "allow-account", global = true, value_name = "ID")]
    pub allow_accounts: Vec<String>,
    /// Allow a raw aws:userId pattern, used as written (e.g. `AROA...:*`).
    #[arg(long = "allow-id", global = true, value_name = "PATTERN")]
    pub allow_ids: Vec<String>,
    /// Only this bucket (repeatable); the config's include/exclude globs are then ignored.
    #[arg(long = "bucket", global = true, value_name = "NAME")]
    pub buckets: Vec<String>,
    /// Write a fence that denies the caller the bucket-policy actions (guard: lockout).
    #[arg(long, global = true)]
    pub allow_lockout: bool,
    /// Exempt principals the stored policy grants access to (other accounts by account, roles and
    /// users by ARN) in the fence itself (guard: grantees).
    #[arg(long, global = true, conflicts_with = "revoke_grantees")]
    pub keep_grantees: bool,
    /// Write the fence even though principals the stored policy allows will lose access.
    #[arg(long, global = true)]
    pub revoke_grantees: bool,
    /// Remove the unique IDs of deleted principals from stored statements, which S3 would reject.
    #[arg(long, global = true)]
    pub drop_dangling_principals: bool,
    /// Replace stored Deny + NotPrincipal statements with the fence, their principals resolved
    /// to unique IDs and allowed on that bucket (shown in the diff).
    #[arg(long, global = true)]
    pub replace_notprincipal: bool,
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Buckets read or written at the same time.
    #[arg(long, global = true, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}
