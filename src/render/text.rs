//! Human-readable renderings of the resolved allowlist, the plan and the apply report.

use super::diff::unified;
use super::sanitize::sanitize;
use super::style::Style;
use crate::plan::{Action, BucketPlan, Summary};
use crate::principal::resolve::Allowlist;
use crate::session::apply::{BucketOutcome, OutcomeKind};

pub fn allowlist_table(allowlist: &Allowlist) -> String {
    let rows: Vec<[String; 3]> = allowlist
        .rows
        .iter()
        .map(|r| {
            [
                sanitize(&r.entry.to_string().replace('`', "")),
                sanitize(&r.arn),
                sanitize(&r.value),
            ]
        })
        .collect();
    table(&["ENTRY", "ARN", "POLICY VALUE"], &rows)
}

/// The allowlist within `width` columns: the table when it fits, else two lines per entry.
pub fn allowlist_fitting(allowlist: &Allowlist, width: usize) -> String {
    let wide = allowlist_table(allowlist);
    if wide.lines().all(|l| l.chars().count() <= width) {
        return wide;
    }
    let mut out = String::new();
    for r in &allowlist.rows {
        out.push_str(&format!(
            "{} -> {}\n    {}\n",
            sanitize(&r.entry.to_string().replace('`', "")),
            sanitize(&r.value),
            sanitize(&r.arn)
        ));
    }
    out
}

/// Word-wrap `text` to `width` columns (a word longer than a line gets a line of its own).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("{}\n", parts.join("  ").trim_end())
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

pub fn bucket_header(plan: &BucketPlan, style: Style) -> String {
    let region = sanitize(plan.region.as_deref().unwrap_or("region unknown"));
    let what = match plan.action {
        Action::AddFence | Action::UpdateFence => format!(
            "{} ({} other statement{} kept)",
            plan.action.describe(),
            plan.kept_statements,
            if plan.kept_statements == 1 { "" } else { "s" }
        ),
        other => other.describe().to_string(),
    };
    let what = match plan.action {
        Action::Error => style.error(&what),
        Action::Refused => style.warn(&what),
        _ => what,
    };
    format!(
        "{} ({region}): {what}\n",
        style.bold(&format!("bucket {}", sanitize(&plan.bucket)))
    )
}

pub fn bucket_plan(plan: &BucketPlan, style: Style) -> String {
    let mut out = bucket_header(plan, style);
    for reason in &plan.reasons {
        out.push_str(&format!("  {}\n", sanitize(reason)));
    }
    for hint in &plan.hints {
        out.push_str(&format!("  hint: {}\n", sanitize(hint)));
    }
    for finding in &plan.findings {
        out.push_str(&format!(
            "  {} {}\n",
            style.warn("warning:"),
            sanitize(&finding.message)
        ));
    }
    if plan.action.is_change() {
        let name = sanitize(&plan.bucket);
        out.push_str(&unified(
            plan.stored_policy.as_deref(),
            plan.proposed_policy.as_deref(),
            &format!("{name} (stored)"),
            &format!("{name} (proposed)"),
            style,
        ));
    }
    out
}

pub fn plan_summary(summary: Summary, plans: &[BucketPlan], style: Style) -> String {
    let mut out = format!(
        "{}\n",
        style.bold(&format!(
            "Plan: {} to change, {} unchanged, {} skipped.",
            summary.change, summary.unchanged, summary.skipped
        ))
    );
    for p in plans.iter().filter(|p| p.action.is_skip()) {
        let reason = p.reasons.first().map(String::as_str).unwrap_or("");
        out.push_str(&format!(
            "  skipped {}: {}\n",
            sanitize(&p.bucket),
            sanitize(reason)
        ));
    }
    out
}

pub fn apply_report(outcomes: &[BucketOutcome], style: Style) -> String {
    let mut out = String::new();
    let count = |k: OutcomeKind| outcomes.iter().filter(|o| o.kind == k).count();
    for o in outcomes {
        let label = match o.kind {
            OutcomeKind::Applied => style.added("applied"),
            OutcomeKind::Unchanged => "unchanged".to_string(),
            OutcomeKind::Skipped => style.warn("skipped"),
            OutcomeKind::Failed => style.error("failed"),
        };
        out.push_str(&format!("{label:>9}  {}", sanitize(&o.bucket)));
        if let Some(detail) = &o.detail {
            out.push_str(&format!(": {}", sanitize(detail)));
        }
        out.push('\n');
    }
    out.push_str(&style.bold(&format!(
        "Applied {}, unchanged {}, skipped {}, failed {}.",
        count(OutcomeKind::Applied),
        count(OutcomeKind::Unchanged),
        count(OutcomeKind::Skipped),
        count(OutcomeKind::Failed)
    )));
    out.push('\n');
    out
}

/// Where the backups are and the command that undoes the run, each path on a line of its own
/// so that an 80-column terminal does not break it in the middle.
pub fn backup_lines(dir: &std::path::Path, backend_flags: &str) -> String {
    let dir = sanitize(&dir.display().to_string());
    format!(
        "Backups of the replaced policies are in\n  {dir}\nTo undo this run:\n  bucketfence rollback {dir}{}",
        sanitize(backend_flags)
    )
}
