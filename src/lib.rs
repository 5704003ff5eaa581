//! bucketfence: fence S3 buckets with an allowlist Deny merged into each bucket policy.
//!
//! The pure core (policy model, canonical form, merge, plan, rendering) takes plain data; AWS and
//! the file system live at the edges behind the traits in `backend`. `run` is the whole program
//! and takes its input and output streams as arguments, so tests can drive it in process.

pub mod backend;
pub mod check;
pub mod cli;
pub mod exit;
pub mod fence;
pub mod fsutil;
pub mod output;
pub mod plan;
pub mod policy;
pub mod principal;
pub mod render;
pub mod session;
pub mod settings;

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use futures::StreamExt;
use serde::Serialize;

use backend::aws::AwsAccount;
use backend::local::LocalAccount;
use backend::{Account, Caller};
use cli::{Cli, Command, Format};
use exit::ExitStatus;
use output::Printer;
use plan::{summarize, BucketPlan, PlanContext, Summary};
use principal::resolve::{resolve, Allowlist};
use render::style::Style;
use session::apply::{apply_all, OutcomeKind};
use session::backup::Backup;
use settings::{BackendChoice, Environment, Settings};

/// An error for the user: one line, and what to do about it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

fn user_error(message: impl Into<String>, hint: impl Into<Option<String>>) -> UserError {
    UserError {
        message: message.into(),
        hint: hint.into(),
    }
}

/// The whole program: parse `args`, run, return the exit status. Never panics on bad input.
pub fn main_with(
    args: impl IntoIterator<Item = OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    stdin: &mut dyn BufRead,
    env: Environment,
) -> ExitStatus {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = write!(out, "{e}");
                    ExitStatus::Success
                }
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = write!(err, "{e}");
                    ExitStatus::Failure
                }
                _ => {
                    // clap's own exit code for usage errors is 2, which here means "changes pending".
                    let _ = write!(err, "{}", e.render());
                    ExitStatus::Failure
                }
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(err, "error: cannot start the async runtime: {e}");
            return ExitStatus::Failure;
        }
    };
    let fallback = Style::decide(cli.common.color, env.no_color, env.stderr_tty);
    let mut printer = Printer::new(out, err, Style::plain(), fallback);
    match runtime.block_on(run(cli, &mut printer, stdin, env)) {
        Ok(status) => status,
        Err(e) => {
            let hint = e
                .downcast_ref::<UserError>()
                .and_then(|u| u.hint.as_deref().map(render::sanitize::sanitize));
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            printer.error(
                &render::sanitize::sanitize(&chain.join(": ")),
                hint.as_deref(),
            );
            ExitStatus::Failure
        }
    }
}

pub async fn run(
    cli: Cli,
    printer: &mut Printer<'_>,
    stdin: &mut dyn BufRead,
    env: Environment,
) -> anyhow::Result<ExitStatus> {
    let bare = cli.command.is_none();
    let command = cli
        .command
        .unwrap_or(Command::Apply(cli::ApplyArgs::default()));
    match &command {
        Command::Completions(args) => {
            let mut out = Vec::new();
            clap_complete::generate(
                args.shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "bucketfence",
                &mut out,
            );
            printer.data(&String::from_utf8_lossy(&out));
            return Ok(ExitStatus::Success);
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out)?;
            printer.data(&String::from_utf8_lossy(&out));
            return Ok(ExitStatus::Success);
        }
        _ => {}
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let (config, config_path) = settings::load_config(cli.common.config.as_deref(), &cwd)
        .map_err(|e| user_error(e.to_string(), e.hint().to_string()))?;
    let settings = settings::build(&cli.common, config, env)
        .map_err(|e| user_error(e.to_string(), e.hint().to_string()))?;
    printer.style = settings.style;
    printer.err_style = settings.err_style;

    if let Command::Check(args) = &command {
        return check_command(args, &settings, printer).await;
    }
    let needs_confirmation = match &command {
        Command::Apply(args) => !args.yes,
        Command::Rollback(args) => !args.yes,
        _ => false,
    };
    let can_ask = env.stdin_tty && env.stderr_tty;
    if bare && !can_ask {
        return Err(user_error(
            "no command given, and no terminal for the interactive session",
            "run `bucketfence plan`, `bucketfence apply --yes` or see `bucketfence --help`"
                .to_string(),
        )
        .into());
    }
    if needs_confirmation && !can_ask {
        return Err(user_error(
            "this command needs confirmation, and there is no terminal to ask at",
            "pass `--yes` to go ahead without asking (`bucketfence plan` shows what `apply` would change)"
                .to_string(),
        )
        .into());
    }

    let account = connect(&settings.backend).await?;
    let caller = account.buckets.caller().await.map_err(|e| {
        user_error(
            format!("cannot identify the caller: {e}"),
            "configure AWS credentials (environment, `--profile`, `aws sso login`) or use `--account-dir`".to_string(),
        )
    })?;
    // The one path every write takes, whichever command decided what to write.
    let run = Execution {
        account: &account,
        caller: &caller,
        settings: &settings,
        cwd: &cwd,
    };
    if let Command::Apply(args) = &command {
        if !args.yes && args.plan.is_none() {
            let interrupted = interrupt_flag();
            let ctx = session::interactive::SessionContext {
                account: &account,
                caller: &caller,
                settings: &settings,
                config_path: config_path.unwrap_or_else(|| cwd.join(settings::DEFAULT_CONFIG)),
                save_config: args.save_config,
                backup_base: args
                    .backup_dir
                    .clone()
                    .unwrap_or_else(|| cwd.join(settings::DEFAULT_BACKUP_DIR)),
                backend_flags: backend_flags(&settings.backend),
                interrupted,
            };
            let mut prompter = session::prompt::TerminalPrompter::new(settings.err_style.color);
            return session::interactive::run_session(&ctx, &mut prompter, printer).await;
        }
    }
    if let Command::Rollback(args) = &command {
        let plans = plan_rollback(&account, &caller, args, &settings, printer).await?;
        return Ok(run
            .execute(&plans, args.yes, args.backup_dir.as_deref(), printer, stdin)
            .await);
    }
    if let Command::Apply(cli::ApplyArgs {
        plan: Some(path),
        yes,
        backup_dir,
        ..
    }) = &command
    {
        let plans = load_saved_plan(&account, &caller, path, &settings, printer).await?;
        return Ok(run
            .execute(&plans, *yes, backup_dir.as_deref(), printer, stdin)
            .await);
    }
    let allowlist = resolve(&settings.allow, account.directory.as_ref(), &caller)
        .await
        .map_err(|e| user_error(e.to_string(), e.hint()))?;
    for warning in &allowlist.warnings {
        printer.warning(&render::sanitize::sanitize(warning));
    }
    if !allowlist
        .values
        .iter()
        .any(|p| policy::wildcard::matches(p, &caller.user_id))
    {
        printer.warning(&render::sanitize::sanitize(&format!(
            "you ({}, aws:userId `{}`) are not on the allowlist: once fenced, these buckets deny you the fenced actions",
            caller.arn, caller.user_id
        )));
    }

    let format = settings::format_of(&command);
    if let Command::Resolve(_) = command {
        match format {
            Format::Text => printer.data(&render::text::allowlist_table(&allowlist)),
            Format::Json => printer.data(&json(&allowlist)),
        }
        return Ok(ExitStatus::Success);
    }

    let plans = make_plans(&account, &settings, &caller, &allowlist, printer).await?;
    let summary = summarize(&plans);
    if let Command::Plan(cli::PlanArgs {
        out: Some(path), ..
    }) = &command
    {
        let created = session::backup::timestamp(std::time::SystemTime::now());
        let text = session::saved::save(&caller.account, &caller.arn, &created, &plans);
        std::fs::write(path, text).map_err(|e| {
            user_error(
                format!("cannot write the plan to `{}`: {e}", path.display()),
                None,
            )
        })?;
        let shown = render::sanitize::sanitize(&path.display().to_string());
        printer.status(&format!(
            "Plan saved to {shown}; carry it out with: bucketfence apply {shown}"
        ));
    }
    if let (Command::Plan(_), Format::Json) = (&command, format) {
        printer.data(&json(&PlanReport {
            caller: &caller,
            allowlist: &allowlist,
            fence_sid: &settings.fence.sid,
            buckets: &plans,
            summary,
        }));
    } else {
        print_plans(&plans, printer);
    }
    match &command {
        Command::Apply(args) => Ok(run
            .execute(&plans, args.yes, args.backup_dir.as_deref(), printer, stdin)
            .await),
        _ => Ok(if summary.skipped > 0 {
            ExitStatus::Failure
        } else if summary.change > 0 {
            ExitStatus::ChangesPending
        } else {
            ExitStatus::Success
        }),
    }
}

fn print_plans(plans: &[BucketPlan], printer: &mut Printer<'_>) {
    for p in plans {
        printer.data(&render::text::bucket_plan(p, printer.style));
    }
    printer.data(&render::text::plan_summary(
        summarize(plans),
        plans,
        printer.style,
    ));
}

/// Carrying out reviewed plans: the one path every write takes (apply and rollback alike).
struct Execution<'a> {
    account: &'a Account,
    caller: &'a Caller,
    settings: &'a Settings,
    cwd: &'a std::path::Path,
}

impl Execution<'_> {
    async fn execute(
        &self,
        plans: &[BucketPlan],
        yes: bool,
        backup_dir: Option<&std::path::Path>,
        printer: &mut Printer<'_>,
        stdin: &mut dyn BufRead,
    ) -> ExitStatus {
        let summary = summarize(plans);
        if summary.change == 0 {
            return if summary.skipped > 0 {
                ExitStatus::Failure
            } else {
                ExitStatus::Success
            };
        }
        if !yes && !confirm(printer, stdin, summary.change) {
            printer.status("Nothing applied.");
            return ExitStatus::Failure;
        }
        let base = backup_dir
            .map(PathBuf::from)
            .unwrap_or_else(|| self.cwd.join(settings::DEFAULT_BACKUP_DIR));
        let backup = Backup::new(&base, &self.caller.account, &self.caller.arn);
        let outcomes = apply_all(
            self.account.buckets.as_ref(),
            plans,
            &backup,
            self.settings.concurrency,
        )
        .await;
        printer.data(&render::text::apply_report(&outcomes, printer.style));
        if let Some(dir) = backup.dir() {
            printer.status(&render::text::backup_lines(
                &dir,
                &backend_flags(&self.settings.backend),
            ));
        }
        let failed = outcomes
            .iter()
            .any(|o| matches!(o.kind, OutcomeKind::Failed | OutcomeKind::Skipped));
        if failed {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    }
}

/// Ctrl-C sets the returned flag instead of killing the process, so a session can stop between
/// buckets and report what it did. (At a prompt the terminal is raw; the prompt returns instead.)
fn interrupt_flag() -> Arc<std::sync::atomic::AtomicBool> {
    let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    if let Ok(mut signals) =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
    {
        let flag = flag.clone();
        tokio::spawn(async move {
            while signals.recv().await.is_some() {
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        });
    }
    flag
}

/// The flags that reach the same account again, for the rollback hint.
fn backend_flags(backend: &BackendChoice) -> String {
    match backend {
        BackendChoice::Local(dir) => format!(" --account-dir {}", dir.display()),
        BackendChoice::Aws(o) => {
            let mut flags = String::new();
            for (flag, value) in [
                ("--profile", &o.profile),
                ("--region", &o.region),
                ("--endpoint-url", &o.endpoint_url),
            ] {
                if let Some(v) = value {
                    flags.push_str(&format!(" {flag} {v}"));
                }
            }
            flags
        }
    }
}

/// `--bucket` narrows a saved plan or a rollback to the named buckets; a name that is not in it
/// is an error rather than silently nothing.
fn restrict(plans: Vec<BucketPlan>, names: &[String]) -> anyhow::Result<Vec<BucketPlan>> {
    if names.is_empty() {
        return Ok(plans);
    }
    if let Some(missing) = names
        .iter()
        .find(|n| !plans.iter().any(|p| &p.bucket == *n))
    {
        return Err(user_error(
            format!(
                "bucket `{}` is not in it",
                render::sanitize::sanitize(missing)
            ),
            "name only buckets that the plan file or backup holds".to_string(),
        )
        .into());
    }
    Ok(plans
        .into_iter()
        .filter(|p| names.contains(&p.bucket))
        .collect())
}

/// A saved plan, checked, with every bucket whose policy changed since refused.
async fn load_saved_plan(
    account: &Account,
    caller: &Caller,
    path: &std::path::Path,
    settings: &Settings,
    printer: &mut Printer<'_>,
) -> anyhow::Result<Vec<BucketPlan>> {
    let text = fsutil::read_capped(path, 256 * 1024 * 1024).map_err(|e| {
        user_error(
            format!("cannot read the plan: {}", render::sanitize::sanitize(&e)),
            None,
        )
    })?;
    let (_, plans) = session::saved::load(&text, &caller.account).map_err(|e| {
        user_error(
            format!("`{}`: {e}", path.display()),
            "make a new plan with `bucketfence plan --out FILE`".to_string(),
        )
    })?;
    let mut plans = restrict(plans, &settings.selection.names)?;
    printer.status(&format!(
        "Carrying out the saved plan {}",
        render::sanitize::sanitize(&path.display().to_string())
    ));
    let store = account.buckets.as_ref();
    let current: Vec<Result<Option<String>, String>> = futures::stream::iter(plans.iter())
        .map(|p| async move {
            match (&p.region, p.action.is_change()) {
                (Some(region), true) => store
                    .get_policy(&p.bucket, region)
                    .await
                    .map_err(|e| e.to_string()),
                _ => Ok(None),
            }
        })
        .buffered(settings.concurrency)
        .collect()
        .await;
    for (plan, now) in plans.iter_mut().zip(current) {
        session::saved::refuse_changed(plan, now);
    }
    print_plans(&plans, printer);
    Ok(plans)
}

async fn plan_rollback(
    account: &Account,
    caller: &Caller,
    args: &cli::RollbackArgs,
    settings: &Settings,
    printer: &mut Printer<'_>,
) -> anyhow::Result<Vec<BucketPlan>> {
    let manifest = session::backup::load(&args.backup).map_err(|e| {
        user_error(
            e,
            "pass the directory `apply` printed (it holds manifest.json)".to_string(),
        )
    })?;
    if manifest.account != caller.account {
        return Err(user_error(
            format!(
                "the backup was made in account {}, but the caller is in account {}",
                manifest.account, caller.account
            ),
            format!("use credentials of account {}", manifest.account),
        )
        .into());
    }
    printer.status(&format!(
        "Planning the rollback of {} bucket{} from {}",
        manifest.buckets.len(),
        if manifest.buckets.len() == 1 { "" } else { "s" },
        render::sanitize::sanitize(&args.backup.display().to_string())
    ));
    let plans = session::rollback::plan_rollback(
        account.buckets.as_ref(),
        &args.backup,
        &manifest,
        args.force,
        settings.concurrency,
    )
    .await;
    let plans = restrict(plans, &settings.selection.names)?;
    print_plans(&plans, printer);
    Ok(plans)
}

#[derive(Serialize)]
struct PlanReport<'a> {
    caller: &'a Caller,
    allowlist: &'a Allowlist,
    fence_sid: &'a str,
    buckets: &'a [BucketPlan],
    summary: Summary,
}

fn json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("reports serialize");
    text.push('\n');
    render::sanitize::sanitize_json(&text)
}

async fn connect(choice: &BackendChoice) -> anyhow::Result<Account> {
    Ok(match choice {
        BackendChoice::Local(dir) => {
            let local = Arc::new(LocalAccount::open(dir).map_err(|e| {
                user_error(
                    e.to_string(),
                    "see docs/formats.md for the account directory layout".to_string(),
                )
            })?);
            Account {
                buckets: local.clone(),
                directory: local,
            }
        }
        BackendChoice::Aws(options) => {
            let aws = Arc::new(AwsAccount::connect(options).await);
            Account {
                buckets: aws.clone(),
                directory: aws,
            }
        }
    })
}

async fn check_command(
    args: &cli::CheckArgs,
    settings: &Settings,
    printer: &mut Printer<'_>,
) -> anyhow::Result<ExitStatus> {
    let fail = |m: String, hint: &str| -> anyhow::Error { user_error(m, hint.to_string()).into() };
    let bucket_arg = match settings.selection.names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        _ => {
            return Err(fail(
                "`check` takes one `--bucket`".into(),
                "name one bucket",
            ))
        }
    };
    // A policy file needs no account; names are looked up only in an account directory.
    let connected = match (&args.policy, &settings.backend) {
        (Some(_), BackendChoice::Aws(_)) => None,
        _ => {
            let account = connect(&settings.backend).await?;
            let caller = account.buckets.caller().await.map_err(|e| {
                fail(
                    format!("cannot identify the caller: {e}"),
                    "configure AWS credentials or use `--account-dir`",
                )
            })?;
            Some((account, caller))
        }
    };
    let (default_account, partition) = check::account_defaults(connected.as_ref().map(|(_, c)| c));
    let (policy, source, bucket) = if let Some(path) = &args.policy {
        let text = fsutil::read_capped(path, policy::document::MAX_TEXT_BYTES as u64)
            .map_err(|e| fail(e, "check the path"))?;
        let policy = policy::document::Policy::parse(&text).map_err(|e| {
            fail(
                format!("`{}`: {e}", path.display()),
                "pass a bucket policy document",
            )
        })?;
        let bucket = bucket_arg
            .clone()
            .or_else(|| check::bucket_from_policy(&policy))
            .unwrap_or_else(|| "bucket".into());
        (policy, path.display().to_string(), bucket)
    } else {
        let Some((account, caller)) = &connected else {
            unreachable!("connected above")
        };
        let bucket = bucket_arg.ok_or_else(|| {
            fail(
                "`check` needs `--bucket NAME` or `--policy FILE`".into(),
                "name the bucket to check",
            )
        })?;
        let text = if args.proposed {
            let allowlist = resolve(&settings.allow, account.directory.as_ref(), caller)
                .await
                .map_err(|e| user_error(e.to_string(), e.hint()))?;
            let plans = make_plans(account, settings, caller, &allowlist, printer).await?;
            let plan = plans
                .into_iter()
                .next()
                .ok_or_else(|| fail("no plan for the bucket".into(), "check the name"))?;
            if plan.action.is_skip() {
                return Err(fail(
                    format!("bucket {}: {}", plan.bucket, plan.reasons.join("; ")),
                    "see `bucketfence plan`",
                ));
            }
            plan.proposed_policy.or(plan.stored_policy)
        } else {
            let store = account.buckets.as_ref();
            let region = store
                .region_of(&bucket)
                .await
                .map_err(|e| fail(format!("bucket {bucket}: {e}"), "check the name"))?;
            store.get_policy(&bucket, &region).await.map_err(|e| {
                fail(
                    format!("bucket {bucket}: {e}"),
                    "the caller needs s3:GetBucketPolicy",
                )
            })?
        };
        let policy = match text {
            Some(t) => policy::document::Policy::parse(&t)
                .map_err(|e| fail(format!("bucket {bucket}: {e}"), "see `bucketfence plan`"))?,
            None => policy::document::Policy::new_empty("2012-10-17"),
        };
        let source = format!(
            "bucket {bucket} ({})",
            if args.proposed { "proposed" } else { "stored" }
        );
        (policy, source, bucket)
    };
    let session = args
        .session
        .clone()
        .unwrap_or_else(|| "bucketfence-check".into());
    let directory = connected.as_ref().map(|(a, _)| a.directory.as_ref());
    let (principal, mut notes) = check::principal_of(
        &args.principal,
        &session,
        args.role_id.as_deref(),
        directory,
        default_account.as_deref(),
    )
    .await
    .map_err(|e| {
        fail(
            e,
            "give a role or user name, an ARN, an account ID, a service principal, or `anonymous`",
        )
    })?;
    let resource = check::resource_of(args, &partition, &bucket);
    let mut request =
        policy::eval::Request::new(principal, &args.action, &resource).in_partition(&partition);
    let pairs = check::parse_context(&args.context)
        .map_err(|e| fail(e, "write `--context aws:SourceIp=192.0.2.1`"))?;
    let mut grouped: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (k, v) in pairs {
        grouped.entry(k.to_ascii_lowercase()).or_default().push(v);
    }
    for (k, v) in grouped {
        let values: Vec<&str> = v.iter().map(String::as_str).collect();
        request = request.with(&k, &values);
    }
    let evaluation = check::evaluate_request(&policy, &request)
        .map_err(|e| fail(e, "the policy uses something the evaluator does not know"))?;
    if policy.statements().is_empty() {
        notes.push("the policy has no statements (the bucket has no policy)".into());
    }
    let report = check::CheckReport {
        policy_source: source,
        effective_context: request.effective_context(),
        request: &request,
        evaluation: &evaluation,
        notes: &notes,
    };
    if check::format_is_json(args) {
        printer.data(&json(&report));
    } else {
        printer.data(&check::render_text(&report));
    }
    Ok(ExitStatus::Success)
}

async fn make_plans(
    account: &Account,
    settings: &Settings,
    caller: &Caller,
    allowlist: &Allowlist,
    printer: &mut Printer<'_>,
) -> anyhow::Result<Vec<BucketPlan>> {
    let store = account.buckets.as_ref();
    let buckets = session::plan::select_buckets(store, &settings.selection)
        .await
        .map_err(|e| {
            user_error(
                format!("cannot list the buckets: {e}"),
                "the caller needs s3:ListAllMyBuckets, or name buckets with `--bucket`".to_string(),
            )
        })?;
    printer.status(&format!(
        "Planning {} bucket{} as {}",
        buckets.len(),
        if buckets.len() == 1 { "" } else { "s" },
        render::sanitize::sanitize(&caller.arn)
    ));
    let allowed_arns: Vec<String> = allowlist.rows.iter().map(|r| r.arn.clone()).collect();
    let no_replacements = std::collections::BTreeMap::new();
    let ctx = PlanContext {
        partition: caller.partition(),
        fence: &settings.fence,
        allowed: &allowlist.values,
        allowed_arns: &allowed_arns,
        rows: &allowlist.rows,
        notprincipal_values: &no_replacements,
        account: &caller.account,
        caller_user_id: &caller.user_id,
        caller_arn: &caller.arn,
        guards: settings.guards,
    };
    let reads = session::plan::read_all(store, buckets, settings.concurrency).await;
    let notprincipal_values = if settings.guards.replace_notprincipal {
        session::plan::resolve_notprincipals(&reads, account.directory.as_ref(), caller)
            .await
            .map_err(|e| {
                user_error(
                    format!("resolving NotPrincipal principals: {e}"),
                    "the caller needs iam:GetRole and iam:GetUser".to_string(),
                )
            })?
    } else {
        Default::default()
    };
    let ctx = PlanContext {
        notprincipal_values: &notprincipal_values,
        ..ctx
    };
    Ok(reads
        .into_iter()
        .map(|r| plan::plan_bucket(r, &ctx))
        .collect())
}

fn confirm(printer: &mut Printer<'_>, stdin: &mut dyn BufRead, changes: usize) -> bool {
    printer.prompt(&format!(
        "Apply {changes} change{}? [y/N] ",
        if changes == 1 { "" } else { "s" }
    ));
    let mut line = String::new();
    if stdin.read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}
