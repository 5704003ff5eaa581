//! The per-bucket plan: what would change and why. Pure: it takes what was read and decides.
//! Planning never writes; applying carries out a plan and decides nothing.

pub mod guards;
pub mod lint;
pub mod verify;

use serde::Serialize;

use crate::backend::BackendError;
use crate::fence::merge::{merge, MergeKind};
use crate::fence::statement::{Exemptions, FenceSpec};
use crate::policy::canonical::Canonical;
use crate::policy::document::Policy;
use guards::{Finding, Guard, GuardOptions};

/// AWS's bucket-policy size limit, measured on the policy without whitespace (AWS-FACTS.md 5).
pub const MAX_POLICY_BYTES: usize = 20 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// No policy yet: write one holding the fence.
    NewPolicy,
    AddFence,
    UpdateFence,
    Unchanged,
    /// Rollback: put back the policy saved in a backup.
    Restore,
    /// Rollback: the bucket had no policy before; delete the one it has.
    RemovePolicy,
    /// The tool will not write this bucket (a refusal with a reason).
    Refused,
    /// The bucket could not be read or its policy not understood.
    Error,
}

impl Action {
    pub fn is_change(self) -> bool {
        matches!(
            self,
            Action::NewPolicy
                | Action::AddFence
                | Action::UpdateFence
                | Action::Restore
                | Action::RemovePolicy
        )
    }

    pub fn is_skip(self) -> bool {
        matches!(self, Action::Refused | Action::Error)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::NewPolicy => "new policy with the fence",
            Action::AddFence => "add the fence",
            Action::UpdateFence => "update the fence",
            Action::Restore => "restore the saved policy",
            Action::RemovePolicy => "delete the policy (there was none before)",
            Action::Unchanged => "unchanged",
            Action::Refused => "refused",
            Action::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct BucketPlan {
    pub bucket: String,
    pub region: Option<String>,
    pub action: Action,
    /// The stored policy text as read, byte for byte; `None` when the bucket has no policy.
    pub stored_policy: Option<String>,
    /// The text that would be written; `None` when nothing would be.
    pub proposed_policy: Option<String>,
    /// Statements of the stored policy that the merge keeps untouched.
    pub kept_statements: usize,
    pub reasons: Vec<String>,
    pub hints: Vec<String>,
    /// What the safety guards found; blocking findings also appear in `reasons`.
    pub findings: Vec<Finding>,
    /// The guards whose blocking findings refused this bucket.
    #[serde(default)]
    pub refused_by: Vec<Guard>,
}

/// What one bucket looked like when read.
#[derive(Clone)]
pub struct BucketRead {
    pub bucket: String,
    pub region: Result<String, BackendError>,
    pub stored: Result<Option<String>, BackendError>,
    /// Read only when the stored policy may be public (see `guards::may_be_public`).
    pub public_access: Option<Result<crate::backend::PublicAccess, BackendError>>,
}

/// Everything that is the same for every bucket in a run.
pub struct PlanContext<'a> {
    pub partition: &'a str,
    pub fence: &'a FenceSpec,
    /// The `aws:userId` patterns, sorted and unique.
    pub allowed: &'a [String],
    /// ARNs of the allowlisted roles and users, to recognise grantees that are already allowed.
    pub allowed_arns: &'a [String],
    /// The resolved allowlist, for verifying the fence with the evaluator.
    pub rows: &'a [crate::principal::resolve::Resolved],
    /// `--replace-notprincipal`: NotPrincipal ARNs resolved to `aws:userId` values.
    pub notprincipal_values: &'a std::collections::BTreeMap<String, String>,
    pub account: &'a str,
    pub caller_user_id: &'a str,
    pub caller_arn: &'a str,
    pub guards: GuardOptions,
}

impl BucketPlan {
    /// A plan that decides nothing yet: action `error` until something better is known.
    pub fn undecided(bucket: String, region: Option<String>) -> BucketPlan {
        BucketPlan {
            bucket,
            region,
            action: Action::Error,
            stored_policy: None,
            proposed_policy: None,
            kept_statements: 0,
            reasons: Vec::new(),
            hints: Vec::new(),
            findings: Vec::new(),
            refused_by: Vec::new(),
        }
    }
}

pub fn plan_bucket(read: BucketRead, ctx: &PlanContext<'_>) -> BucketPlan {
    let mut plan = BucketPlan::undecided(read.bucket, read.region.as_ref().ok().cloned());
    let failed = |mut plan: BucketPlan, what: &str, err: &BackendError| {
        plan.reasons.push(format!("{what}: {err}"));
        plan.hints.extend(err.hint().map(String::from));
        plan
    };
    // A name outside S3's character set would make an invalid (or wildcard) Resource ARN.
    let valid_name = !plan.bucket.is_empty()
        && plan
            .bucket
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !valid_name {
        plan.reasons
            .push("not a valid S3 bucket name: it would make an invalid Resource ARN".into());
        plan.hints
            .push("bucket names use letters, digits, `.`, `-` and `_` only".into());
        return plan;
    }
    if let Err(err) = &read.region {
        return failed(plan, "finding the bucket's region", err);
    }
    let stored_text = match read.stored {
        Ok(text) => text,
        Err(err) => return failed(plan, "reading the bucket policy", &err),
    };
    plan.stored_policy = stored_text.clone();
    let stored = match stored_text.as_deref().map(Policy::parse).transpose() {
        Ok(stored) => stored,
        Err(err) => {
            plan.reasons
                .push(format!("the stored policy cannot be parsed: {err}"));
            plan.hints.push(
                "fix the policy by hand, or exclude the bucket with `[buckets] exclude`".into(),
            );
            return plan;
        }
    };
    let sid = ctx.fence.sid.as_str();
    let mut exemptions = Exemptions::default();
    let mut extra_allowed: Vec<String> = Vec::new();
    let mut base = stored.clone();
    if let Some(stored) = &stored {
        plan.findings.extend(guards::stored_blocks_policy_writes(
            stored,
            ctx.caller_user_id,
            ctx.caller_arn,
            ctx.account,
        ));
        let report = guards::grantees(
            stored,
            sid,
            ctx.account,
            &ctx.fence.actions,
            ctx.fence.exempt_aws_services,
            ctx.allowed_arns,
            ctx.guards,
        );
        plan.findings.extend(report.findings);
        exemptions = report.exemptions;
        plan.findings
            .extend(guards::dangling(stored, sid, ctx.guards));
        if ctx.guards.drop_dangling_principals {
            if let Some(base) = base.as_mut() {
                guards::drop_dangling(base, sid);
            }
        }
        plan.findings.extend(guards::conflicts(stored, sid));
        if ctx.guards.replace_notprincipal {
            match guards::replace_notprincipal(stored, sid, ctx.notprincipal_values) {
                Ok(guards::Replacement {
                    drop,
                    values,
                    notes,
                }) => {
                    if let Some(base) = base.as_mut() {
                        let mut index = 0;
                        base.retain_statements(|_| {
                            let keep = !drop.contains(&index);
                            index += 1;
                            keep
                        });
                    }
                    extra_allowed = values;
                    plan.findings.extend(notes);
                }
                Err(finding) => plan.findings.push(finding),
            }
        } else {
            plan.findings
                .extend(guards::explain_notprincipal(stored, sid, ctx.partition));
        }
        plan.findings.extend(guards::block_public_access(
            stored,
            read.public_access.as_ref(),
        ));
    }
    plan.findings.extend(guards::lockout(
        &ctx.fence.actions,
        ctx.allowed,
        ctx.caller_user_id,
        ctx.guards,
    ));
    let mut allowed: Vec<String> = ctx.allowed.iter().cloned().chain(extra_allowed).collect();
    allowed.sort();
    allowed.dedup();
    let fence = ctx
        .fence
        .statement_with(ctx.partition, &plan.bucket, &allowed, &exemptions);
    let fence_statement = fence.clone();
    let mut merged = match merge(base.as_ref(), fence) {
        Ok(merged) => merged,
        Err(err) => {
            plan.action = Action::Refused;
            plan.reasons.push(err.to_string());
            plan.hints
                .push("remove or rename one of them by hand, then plan again".into());
            return plan;
        }
    };
    // Dropping dangling principals is a change even when the fence itself is already in place.
    if merged.kind == MergeKind::Unchanged
        && stored.as_ref().map(Canonical::of) != Some(Canonical::of(&merged.proposed))
    {
        merged.kind = MergeKind::UpdateFence;
    }
    plan.kept_statements = merged.kept;
    plan.action = match merged.kind {
        MergeKind::NewPolicy => Action::NewPolicy,
        MergeKind::AddFence => Action::AddFence,
        MergeKind::UpdateFence => Action::UpdateFence,
        MergeKind::Unchanged => Action::Unchanged,
    };
    if !plan.action.is_change() {
        return plan;
    }
    for l in lint::lint(&merged.proposed, &plan.bucket, ctx.partition, sid) {
        let message = format!("statement {}: {}", l.statement, l.message);
        plan.findings.push(if l.owned {
            Finding::block(
                Guard::Validation,
                message,
                "the fence is built from `[fence]` in the config: correct it there",
            )
        } else {
            Finding::warn(Guard::Validation, message)
        });
    }
    let verify_input = verify::VerifyInput {
        fence: &fence_statement,
        bucket: &plan.bucket,
        partition: ctx.partition,
        account: ctx.account,
        rows: ctx.rows,
        allowed: &allowed,
        actions: &ctx.fence.actions,
        exempt_aws_services: ctx.fence.exempt_aws_services,
    };
    let failures = verify::verify(&verify_input);
    for conflict in verify::other_denies(&merged.proposed, sid, &verify_input) {
        plan.findings
            .push(Finding::warn(Guard::Conflicts, conflict));
    }
    for failure in failures {
        plan.findings.push(Finding::block(
            Guard::Verification,
            format!("verification failed: {failure}"),
            "the fence would not do what the config asks: check the allowlist values, or report a bucketfence bug",
        ));
    }
    let blocking: Vec<&Finding> = plan.findings.iter().filter(|f| f.blocks).collect();
    if !blocking.is_empty() {
        plan.action = Action::Refused;
        plan.reasons = blocking.iter().map(|f| f.message.clone()).collect();
        plan.hints = blocking.iter().filter_map(|f| f.hint.clone()).collect();
        plan.hints.dedup();
        plan.refused_by = blocking.iter().map(|f| f.guard).collect();
        plan.findings.retain(|f| !f.blocks);
        return plan;
    }
    let size = merged.proposed.to_compact().len();
    if size > MAX_POLICY_BYTES {
        plan.action = Action::Refused;
        plan.reasons.push(format!(
            "the proposed policy is {size} bytes without whitespace, {} over S3's limit of {MAX_POLICY_BYTES}",
            size - MAX_POLICY_BYTES
        ));
        plan.hints.push(
            "shorten the allowlist (a group expands to every member) or the stored policy".into(),
        );
        return plan;
    }
    plan.proposed_policy = Some(merged.proposed.to_pretty());
    plan
}

/// Counts for the summary line and the exit status.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub change: usize,
    pub unchanged: usize,
    pub skipped: usize,
}

pub fn summarize(plans: &[BucketPlan]) -> Summary {
    let mut s = Summary::default();
    for p in plans {
        if p.action.is_change() {
            s.change += 1;
        } else if p.action.is_skip() {
            s.skipped += 1;
        } else {
            s.unchanged += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(stored: Option<&str>) -> BucketRead {
        BucketRead {
            bucket: "b".into(),
            region: Ok("us-east-1".into()),
            stored: Ok(stored.map(String::from)),
            public_access: None,
        }
    }

    fn plan(stored: Option<&str>) -> BucketPlan {
        let fence = FenceSpec::default();
        let allowed = vec!["111122223333".to_string()];
        plan_bucket(
            read(stored),
            &PlanContext {
                partition: "aws",
                fence: &fence,
                allowed: &allowed,
                allowed_arns: &[],
                rows: &[],
                notprincipal_values: &Default::default(),
                account: "111122223333",
                caller_user_id: "111122223333",
                caller_arn: "arn:aws:iam::111122223333:root",
                guards: GuardOptions::default(),
            },
        )
    }

    #[test]
    fn unparsable_policy_is_an_error_with_a_hint() {
        let p = plan(Some("{not json"));
        assert_eq!(p.action, Action::Error);
        assert!(p.reasons[0].contains("cannot be parsed"));
        assert!(p.proposed_policy.is_none());
    }

    #[test]
    fn applying_the_proposal_gives_unchanged() {
        let first = plan(Some(r#"{"Statement":[{"Sid":"x","Effect":"Allow"}]}"#));
        assert_eq!(first.action, Action::AddFence);
        let second = plan(first.proposed_policy.as_deref());
        assert_eq!(second.action, Action::Unchanged);
    }

    #[test]
    fn oversized_proposal_is_refused_with_the_excess() {
        let big = format!(
            r#"{{"Statement":[{{"Sid":"x","Resource":"{}"}}]}}"#,
            "r".repeat(MAX_POLICY_BYTES)
        );
        let p = plan(Some(&big));
        assert_eq!(p.action, Action::Refused);
        assert!(p.reasons[0].contains("over S3's limit"), "{:?}", p.reasons);
    }
}
