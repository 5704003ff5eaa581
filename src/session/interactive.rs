//! The interactive remediation session: who you are and who stays allowed, which buckets are
//! exposed, and a decision per bucket with the diff in front of you. Every write goes through
//! `apply::apply_one`, the same path as `apply --yes` (re-read, back up, write, read back).
//!
//! Ctrl-C at a prompt, or between buckets, stops cleanly: what was applied stays applied and is
//! listed, nothing is half-written (a write in progress finishes first), and the exit status is 130.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures::stream::{self, StreamExt};

use super::apply::{apply_one, BucketOutcome, OutcomeKind};
use super::backup::Backup;
use super::plan::{read_bucket, select_buckets};
use super::prompt::{Interrupted, Prompter};
use crate::backend::{Account, Caller};
use crate::exit::ExitStatus;
use crate::output::Printer;
use crate::plan::guards::{Guard, GuardOptions};
use crate::plan::{plan_bucket, Action, BucketPlan, BucketRead, PlanContext};
use crate::policy::wildcard;
use crate::principal::resolve::{resolve, Allowlist, Resolved};
use crate::principal::spec::{AllowEntry, Kind};
use crate::render::sanitize::sanitize;
use crate::render::text;
use crate::settings::Settings;

/// What the session needs besides the prompter and the printer.
pub struct SessionContext<'a> {
    pub account: &'a Account,
    pub caller: &'a Caller,
    pub settings: &'a Settings,
    /// Where the allowlist is saved if the user asks (the loaded config, or ./bucketfence.toml).
    pub config_path: PathBuf,
    pub save_config: bool,
    pub backup_base: PathBuf,
    /// Flags that reach this account again, for the rollback hint.
    pub backend_flags: String,
    /// Set by the Ctrl-C handler while no prompt is open.
    pub interrupted: Arc<AtomicBool>,
}

enum Stop {
    Interrupted,
}

impl From<Interrupted> for Stop {
    fn from(_: Interrupted) -> Stop {
        Stop::Interrupted
    }
}

const KINDS: [Kind; 5] = [Kind::Role, Kind::User, Kind::Group, Kind::Account, Kind::Id];

pub async fn run_session(
    ctx: &SessionContext<'_>,
    prompter: &mut dyn Prompter,
    printer: &mut Printer<'_>,
) -> anyhow::Result<ExitStatus> {
    let style = printer.err_style;
    printer.status(
        &style.bold("bucketfence: fence S3 buckets against principals not on your allowlist"),
    );
    printer.status(&format!("You are {}", sanitize(&ctx.caller.arn)));
    printer.status(&format!("in account {}.", sanitize(&ctx.caller.account)));

    // 1-2. Who stays allowed.
    let mut entries: Vec<AllowEntry> = Vec::new();
    let mut rows: Vec<Resolved> = Vec::new();
    for entry in &ctx.settings.allow {
        add_entry(ctx, entry.clone(), &mut entries, &mut rows, printer).await;
    }
    let edited = match edit_allowlist(ctx, prompter, printer, &mut entries, &mut rows).await {
        Ok(edited) => edited,
        Err(Stop::Interrupted) => return Ok(finish(ctx, printer, &[], None, true)),
    };
    let allowlist = allowlist_of(&rows);

    // 3. The buckets.
    let (plans, reads) = read_all(ctx, &allowlist, printer).await?;
    if plans.is_empty() {
        printer.status("No buckets selected.");
        return Ok(ExitStatus::Success);
    }
    printer.status(&bucket_table(&plans));
    let selected = match choose_buckets(prompter, &plans) {
        Ok(Some(selected)) => {
            let names: Vec<String> = selected
                .iter()
                .map(|&i| sanitize(&plans[i].bucket))
                .collect();
            printer.status(&text::wrap(
                &format!("Going through: {}", names.join(", ")),
                width(),
            ));
            selected
        }
        Ok(None) => {
            printer.status("Nothing selected; nothing applied.");
            if edited {
                offer_save(ctx, prompter, printer, &entries);
            }
            return Ok(ExitStatus::Success);
        }
        Err(Stop::Interrupted) => return Ok(finish(ctx, printer, &[], None, true)),
    };

    // 4. Bucket by bucket.
    let backup = Backup::new(&ctx.backup_base, &ctx.caller.account, &ctx.caller.arn);
    let mut outcomes = Vec::new();
    let mut apply_all = false;
    let mut stopped = false;
    let mut quit = false;
    for &i in &selected {
        if ctx.interrupted.load(Ordering::SeqCst) {
            stopped = true;
            break;
        }
        if quit {
            break;
        }
        let replanned;
        let mut plan = &plans[i];
        if !apply_all {
            printer.data(&text::bucket_plan(plan, printer.style));
            match ask_about_grantees(ctx, &allowlist, &reads[i], plan, prompter) {
                Ok(Some(p)) => {
                    replanned = p;
                    plan = &replanned;
                }
                Ok(None) if plan.action == Action::Refused => {
                    outcomes.push(apply_one(ctx.account.buckets.as_ref(), plan, &backup).await);
                    continue;
                }
                Ok(None) => {}
                Err(Stop::Interrupted) => {
                    stopped = true;
                    break;
                }
            }
        }
        if !plan.action.is_change() {
            if apply_all {
                printer.data(&text::bucket_plan(plan, printer.style));
            }
            outcomes.push(apply_one(ctx.account.buckets.as_ref(), plan, &backup).await);
            continue;
        }
        if apply_all || !std::ptr::eq(plan, &plans[i]) {
            printer.data(&text::bucket_plan(plan, printer.style));
        }
        printer.status(&text::wrap(&plain_summary(plan, &rows), width()));
        let decision = if apply_all {
            Decision::Apply
        } else {
            match decide(prompter, printer, plan) {
                Ok(d) => d,
                Err(Stop::Interrupted) => {
                    stopped = true;
                    break;
                }
            }
        };
        match decision {
            Decision::Apply | Decision::ApplyAll => {
                apply_all |= decision == Decision::ApplyAll;
                let outcome = apply_one(ctx.account.buckets.as_ref(), plan, &backup).await;
                printer.status(&format!(
                    "{}: {}",
                    sanitize(&outcome.bucket),
                    describe(&outcome)
                ));
                outcomes.push(outcome);
            }
            Decision::Skip => outcomes.push(BucketOutcome {
                bucket: plan.bucket.clone(),
                kind: OutcomeKind::Skipped,
                detail: Some("skipped by you".into()),
            }),
            Decision::Quit => quit = true,
        }
    }
    stopped |= ctx.interrupted.load(Ordering::SeqCst);

    // 5. The end.
    if edited && !stopped {
        offer_save(ctx, prompter, printer, &entries);
    }
    Ok(finish(ctx, printer, &outcomes, backup.dir(), stopped))
}

/// Save the edited allowlist with `--save-config`, or if the user says so.
fn offer_save(
    ctx: &SessionContext<'_>,
    prompter: &mut dyn Prompter,
    printer: &mut Printer<'_>,
    entries: &[AllowEntry],
) {
    let shown = sanitize(&ctx.config_path.display().to_string());
    let save = ctx.save_config
        || prompter
            .confirm(&format!("Save the allowlist to {shown}?"), false)
            .unwrap_or(false);
    if save {
        match save_allowlist(&ctx.config_path, entries) {
            Ok(()) => printer.status(&format!("Allowlist saved to {shown}.")),
            Err(e) => printer.error(&sanitize(&format!("cannot save the allowlist: {e}")), None),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Apply,
    Skip,
    ApplyAll,
    Quit,
}

fn decide(
    prompter: &mut dyn Prompter,
    printer: &mut Printer<'_>,
    plan: &BucketPlan,
) -> Result<Decision, Stop> {
    let items: Vec<String> = [
        "Apply",
        "Skip",
        "Show the full proposed policy",
        "Apply to all remaining without asking",
        "Quit",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    loop {
        let prompt = format!("{}: what now?", sanitize(&plan.bucket));
        match prompter.select(&prompt, &items, 0)? {
            Some(0) => return Ok(Decision::Apply),
            Some(1) => return Ok(Decision::Skip),
            Some(2) => printer.data(&sanitize(plan.proposed_policy.as_deref().unwrap_or(""))),
            Some(3) => return Ok(Decision::ApplyAll),
            _ => return Ok(Decision::Quit),
        }
    }
}

async fn add_entry(
    ctx: &SessionContext<'_>,
    entry: AllowEntry,
    entries: &mut Vec<AllowEntry>,
    rows: &mut Vec<Resolved>,
    printer: &mut Printer<'_>,
) -> bool {
    if entries.contains(&entry) {
        printer.warning(&format!(
            "{} is already on the list",
            sanitize(&entry.to_string())
        ));
        return false;
    }
    match resolve(
        std::slice::from_ref(&entry),
        ctx.account.directory.as_ref(),
        ctx.caller,
    )
    .await
    {
        Ok(list) => {
            rows.extend(list.rows);
            entries.push(entry);
            true
        }
        Err(e) => {
            printer.error(
                &text::wrap(&sanitize(&e.to_string()), width().saturating_sub(7)),
                Some("check the spelling; the entry was not added"),
            );
            false
        }
    }
}

async fn edit_allowlist(
    ctx: &SessionContext<'_>,
    prompter: &mut dyn Prompter,
    printer: &mut Printer<'_>,
    entries: &mut Vec<AllowEntry>,
    rows: &mut Vec<Resolved>,
) -> Result<bool, Stop> {
    let mut edited = false;
    loop {
        let allowlist = allowlist_of(rows);
        printer.status("");
        printer.status(
            "Allowed to use the fenced buckets (everyone else is denied the fenced actions):",
        );
        if rows.is_empty() {
            printer.status("  (nobody yet)");
        } else {
            printer.status(text::allowlist_fitting(&allowlist, width()).trim_end());
        }
        if !allowlist
            .values
            .iter()
            .any(|p| wildcard::matches(p, &ctx.caller.user_id))
        {
            printer.warning(&text::wrap(
                &format!(
                    "you are not on this list: once fenced, these buckets will deny you ({}) their objects",
                    sanitize(&ctx.caller.user_id)
                ),
                width().saturating_sub(9),
            ));
        }
        let items = vec![
            "Continue with this allowlist".to_string(),
            "Add an entry".to_string(),
            "Remove an entry".to_string(),
        ];
        match prompter.select("The allowlist for this run", &items, 0)? {
            Some(0) if rows.is_empty() => {
                printer.error(
                    "the allowlist is empty: the fence would deny everyone",
                    Some("add an entry first"),
                );
            }
            Some(0) => return Ok(edited),
            Some(1) => {
                let kinds: Vec<String> = KINDS.iter().map(|k| k.as_str().to_string()).collect();
                let Some(kind) = prompter.select("Kind of entry", &kinds, 0)? else {
                    continue;
                };
                let written = prompter.input(entry_prompt(KINDS[kind]))?;
                let written = written.trim();
                if written.is_empty() {
                    continue;
                }
                let entry = AllowEntry::new(KINDS[kind], written);
                if add_entry(ctx, entry.clone(), entries, rows, printer).await {
                    printer.status(&format!("Added {}.", sanitize(&entry.to_string())));
                    edited = true;
                }
            }
            Some(2) if !entries.is_empty() => {
                let items: Vec<String> = entries.iter().map(|e| sanitize(&e.to_string())).collect();
                if let Some(i) = prompter.select("Remove which entry?", &items, 0)? {
                    let gone = entries.remove(i);
                    rows.retain(|r| r.entry != gone);
                    printer.status(&format!("Removed {}.", sanitize(&gone.to_string())));
                    edited = true;
                }
            }
            Some(_) => {}
            None => return Err(Stop::Interrupted),
        }
    }
}

fn allowlist_of(rows: &[Resolved]) -> Allowlist {
    let mut values: Vec<String> = rows.iter().map(|r| r.value.clone()).collect();
    values.sort();
    values.dedup();
    Allowlist {
        rows: rows.to_vec(),
        values,
        warnings: Vec::new(),
    }
}

async fn read_all(
    ctx: &SessionContext<'_>,
    allowlist: &Allowlist,
    printer: &mut Printer<'_>,
) -> anyhow::Result<(Vec<BucketPlan>, Vec<BucketRead>)> {
    let store = ctx.account.buckets.as_ref();
    let buckets = select_buckets(store, &ctx.settings.selection)
        .await
        .map_err(|e| anyhow::anyhow!("cannot list the buckets: {e}"))?;
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(buckets.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template("Reading buckets {bar:30} {pos}/{len}")
            .expect("a valid template")
            .progress_chars("#>-"),
    );
    let bar_ref = &bar;
    let mut reads: Vec<BucketRead> = stream::iter(buckets)
        .map(|b| async move {
            let read = read_bucket(store, b).await;
            bar_ref.inc(1);
            read
        })
        .buffer_unordered(ctx.settings.concurrency)
        .collect()
        .await;
    bar.finish_and_clear();
    reads.sort_by(|a, b| a.bucket.cmp(&b.bucket));
    let plans = reads
        .iter()
        .map(|r| replan(ctx, allowlist, r.clone(), ctx.settings.guards))
        .collect();
    printer.status("");
    Ok((plans, reads))
}

/// Plan one bucket with these guard options (the session can re-plan a refused bucket with the
/// user's answer to a guard, exactly as the matching flag would).
fn replan(
    ctx: &SessionContext<'_>,
    allowlist: &Allowlist,
    read: BucketRead,
    guards: GuardOptions,
) -> BucketPlan {
    let allowed_arns: Vec<String> = allowlist.rows.iter().map(|r| r.arn.clone()).collect();
    // The session does not offer --replace-notprincipal; `plan` and `apply` do.
    let no_replacements = std::collections::BTreeMap::new();
    let plan_ctx = PlanContext {
        partition: ctx.caller.partition(),
        fence: &ctx.settings.fence,
        allowed: &allowlist.values,
        allowed_arns: &allowed_arns,
        rows: &allowlist.rows,
        notprincipal_values: &no_replacements,
        account: &ctx.caller.account,
        caller_user_id: &ctx.caller.user_id,
        caller_arn: &ctx.caller.arn,
        guards,
    };
    plan_bucket(read, &plan_ctx)
}

/// A bucket refused only because principals its policy grants would lose access: ask what to do
/// (the `--keep-grantees` / `--revoke-grantees` choice), and re-plan with the answer.
fn ask_about_grantees(
    ctx: &SessionContext<'_>,
    allowlist: &Allowlist,
    read: &BucketRead,
    plan: &BucketPlan,
    prompter: &mut dyn Prompter,
) -> Result<Option<BucketPlan>, Stop> {
    let guards_asked = [Guard::Grantees, Guard::PublicReaders];
    if plan.action != Action::Refused
        || plan.refused_by.is_empty()
        || !plan.refused_by.iter().all(|g| guards_asked.contains(g))
    {
        return Ok(None);
    }
    let public = plan.refused_by.contains(&Guard::PublicReaders);
    let mut items = Vec::new();
    if !public {
        items.push("Keep their access: exempt them in the fence (--keep-grantees)".to_string());
    }
    items.push("Revoke their access: write the fence anyway (--revoke-grantees)".to_string());
    items.push("Skip this bucket".to_string());
    let prompt = format!(
        "{}: principals it grants would lose access",
        sanitize(&plan.bucket)
    );
    let Some(choice) = prompter.select(&prompt, &items, items.len() - 1)? else {
        return Ok(None);
    };
    let mut guards = ctx.settings.guards;
    match (public, choice) {
        (false, 0) => guards.keep_grantees = true,
        (false, 1) | (true, 0) => guards.revoke_grantees = true,
        _ => return Ok(None),
    }
    Ok(Some(replan(ctx, allowlist, read.clone(), guards)))
}

fn entry_prompt(kind: Kind) -> &'static str {
    match kind {
        Kind::Role => "role (name or ARN)",
        Kind::User => "user (name or ARN)",
        Kind::Group => "group (name or ARN)",
        Kind::Account => "account (12-digit ID)",
        Kind::Id => "aws:userId pattern (e.g. AROA...:*)",
    }
}

/// The terminal's width, at most 100 so that lines stay readable.
fn width() -> usize {
    let (_rows, cols) = dialoguer::console::Term::stderr().size();
    usize::from(cols).clamp(40, 100)
}

/// A bucket's state in the words of the session.
fn state(plan: &BucketPlan) -> String {
    let reason = || plan.reasons.first().cloned().unwrap_or_default();
    match plan.action {
        Action::Unchanged => "fenced".into(),
        Action::UpdateFence => "fence out of date".into(),
        Action::AddFence => "not fenced".into(),
        Action::NewPolicy => "no policy".into(),
        Action::Refused => format!("refused: {}", reason()),
        Action::Error => format!("unreadable: {}", reason()),
        Action::Restore | Action::RemovePolicy => plan.action.describe().into(),
    }
}

/// Fit `text` into `width` characters, marking a cut with `…`.
fn fit(text: &str, width: usize) -> String {
    let text = sanitize(text);
    if text.chars().count() <= width {
        format!("{text:<width$}")
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// One line per bucket, within 80 columns (the multi-select adds 4).
fn bucket_line(plan: &BucketPlan) -> String {
    format!(
        "{} {} {}",
        fit(&plan.bucket, 32),
        fit(plan.region.as_deref().unwrap_or("?"), 14),
        fit(&state(plan), 28).trim_end()
    )
}

fn bucket_table(plans: &[BucketPlan]) -> String {
    let mut out = format!("{} {} {}\n", fit("BUCKET", 32), fit("REGION", 14), "STATE");
    for p in plans {
        out.push_str(&bucket_line(p));
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// More buckets than fit on a screen: offer a filter first, then the multi-select.
fn choose_buckets(
    prompter: &mut dyn Prompter,
    plans: &[BucketPlan],
) -> Result<Option<Vec<usize>>, Stop> {
    let mut shown: Vec<usize> = (0..plans.len()).collect();
    if plans.len() > 15 {
        let filter = prompter.input("Filter buckets by name (glob, empty for all)")?;
        let filter = filter.trim();
        if !filter.is_empty() {
            shown.retain(|&i| wildcard::matches(filter, &plans[i].bucket));
        }
    }
    let items: Vec<String> = shown.iter().map(|&i| bucket_line(&plans[i])).collect();
    let defaults: Vec<bool> = shown.iter().map(|&i| plans[i].action.is_change()).collect();
    let picked = prompter.multi_select(
        "Buckets to go through (space toggles, enter confirms)",
        &items,
        &defaults,
    )?;
    Ok(picked.map(|p| p.into_iter().map(|i| shown[i]).collect()))
}

fn plain_summary(plan: &BucketPlan, rows: &[Resolved]) -> String {
    let what = match plan.action {
        Action::NewPolicy => "creates a policy holding only the fence".to_string(),
        Action::AddFence => format!(
            "keeps the {} statement{} it has and adds the fence",
            plan.kept_statements,
            if plan.kept_statements == 1 { "" } else { "s" }
        ),
        Action::UpdateFence => format!(
            "keeps its {} other statement{} and updates the fence",
            plan.kept_statements,
            if plan.kept_statements == 1 { "" } else { "s" }
        ),
        other => other.describe().to_string(),
    };
    let mut who: Vec<String> = rows
        .iter()
        .map(|r| r.entry.to_string().replace('`', ""))
        .collect();
    who.dedup();
    format!(
        "In short: this {what}. Stays allowed: {}, and AWS service deliveries. Everyone else is denied the fenced actions.",
        sanitize(&who.join(", "))
    )
}

fn describe(o: &BucketOutcome) -> String {
    let kind = match o.kind {
        OutcomeKind::Applied => "applied",
        OutcomeKind::Unchanged => "unchanged",
        OutcomeKind::Skipped => "skipped",
        OutcomeKind::Failed => "failed",
    };
    match &o.detail {
        Some(d) => format!("{kind} ({})", sanitize(d)),
        None => kind.to_string(),
    }
}

fn finish(
    ctx: &SessionContext<'_>,
    printer: &mut Printer<'_>,
    outcomes: &[BucketOutcome],
    backups: Option<PathBuf>,
    interrupted: bool,
) -> ExitStatus {
    printer.status("");
    if interrupted {
        printer.status(if outcomes.is_empty() {
            "Interrupted."
        } else {
            "Interrupted: stopped before the next bucket; nothing is half-written."
        });
    }
    if outcomes.is_empty() {
        printer.status("Nothing applied.");
    } else {
        printer.data(&text::apply_report(outcomes, printer.style));
    }
    if let Some(dir) = backups {
        printer.status(&text::backup_lines(&dir, &ctx.backend_flags));
    }
    if interrupted {
        ExitStatus::Interrupted
    } else if outcomes.iter().any(|o| o.kind == OutcomeKind::Failed) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Write the allowlist into the config file's `[allow]` table, keeping the rest of the file
/// (comments included) as it is.
pub fn save_allowlist(path: &Path, entries: &[AllowEntry]) -> Result<(), String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("`{}`: {e}", path.display())),
    };
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| format!("`{}`: {e}", path.display()))?;
    if !doc.contains_table("allow") {
        doc.insert("allow", toml_edit::Item::Table(toml_edit::Table::new()));
    }
    let allow = doc["allow"]
        .as_table_mut()
        .ok_or("`allow` is not a table")?;
    for (kind, key) in [
        (Kind::Role, "roles"),
        (Kind::User, "users"),
        (Kind::Group, "groups"),
        (Kind::Account, "accounts"),
        (Kind::Id, "ids"),
    ] {
        let values: toml_edit::Array = entries
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.written.as_str())
            .collect();
        if values.is_empty() {
            allow.remove(key);
        } else {
            allow.insert(key, toml_edit::value(values));
        }
    }
    let temp = path.with_extension("toml.bucketfence-tmp");
    std::fs::write(&temp, doc.to_string()).map_err(|e| format!("`{}`: {e}", temp.display()))?;
    std::fs::rename(&temp, path).map_err(|e| format!("`{}`: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_in_80_columns_and_are_sanitized() {
        let plan = BucketPlan {
            bucket: format!("{}\u{1b}[2J", "a".repeat(70)),
            region: Some("ap-southeast-2".into()),
            action: Action::Error,
            stored_policy: None,
            proposed_policy: None,
            kept_statements: 0,
            reasons: vec![
                "reading the bucket policy: access denied: nope nope nope nope nope".into(),
            ],
            hints: vec![],
            findings: vec![],
            refused_by: Vec::new(),
        };
        let line = bucket_line(&plan);
        assert!(
            line.chars().count() + 4 <= 80,
            "{} chars: {line}",
            line.chars().count()
        );
        assert!(!line.contains('\u{1b}'));
    }

    #[test]
    fn saving_keeps_the_rest_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bucketfence.toml");
        std::fs::write(
            &path,
            "# mine\n[allow]\nroles = [\"old\"]\n\n[fence]\nsid = \"X1\" # keep\n",
        )
        .unwrap();
        save_allowlist(
            &path,
            &[
                AllowEntry::new(Kind::Role, "deployer"),
                AllowEntry::new(Kind::User, "auditor"),
            ],
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# mine\n"), "{text}");
        assert!(text.contains("sid = \"X1\" # keep"), "{text}");
        let parsed = crate::settings::parse_config(&text).unwrap();
        assert_eq!(parsed.allow.roles, ["deployer"]);
        assert_eq!(parsed.allow.users, ["auditor"]);
    }
}
