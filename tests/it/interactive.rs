//! The interactive session, driven in a real pseudo-terminal (rexpect) against the demo account
//! directory and against moto.

use std::fs;
use std::path::Path;
use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};

use crate::harness::{command, demo_copy};
use crate::moto::MotoAccount;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

fn start(mut cmd: Command) -> PtySession {
    cmd.env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::inherit());
    let options = Options::new()
        .timeout_ms(Some(30_000))
        .strip_ansi_escape_codes(true);
    spawn_with_options(cmd, options).expect("the binary starts in a pty")
}

fn keys(p: &mut PtySession, keys: &[&str]) {
    for k in keys {
        p.send(k).unwrap();
        p.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(80));
    }
}

fn exit_code(p: &mut PtySession) -> i32 {
    let rest = p.exp_eof().unwrap_or_default();
    match p.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("the session did not exit normally: {other:?}; last output:\n{rest}"),
    }
}

/// Continue with the allowlist, then pick buckets: the list is the demo's five, in name order,
/// with the four that need a change selected; `toggles` are positions to flip.
fn pick(p: &mut PtySession, toggles: &[usize]) {
    p.exp_string("The allowlist for this run").unwrap();
    keys(p, &[ENTER]);
    p.exp_string("Buckets to go through").unwrap();
    let mut at = 0;
    for &t in toggles {
        while at < t {
            keys(p, &[DOWN]);
            at += 1;
        }
        keys(p, &[" "]);
    }
    keys(p, &[ENTER]);
}

fn demo_session(dir: &Path) -> PtySession {
    let mut cmd = command(&dir.join("demo"));
    cmd.args(["--account-dir", "."]);
    start(cmd)
}

fn policy(dir: &Path, bucket: &str) -> Option<String> {
    fs::read_to_string(dir.join("demo/buckets").join(bucket).join("policy.json")).ok()
}

#[test]
fn choose_apply_skip_quit_in_a_terminal() {
    let tmp = demo_copy();
    let stale_before = policy(tmp.path(), "demo-stale");
    let logs_before = policy(tmp.path(), "demo-logs");
    let mut p = demo_session(tmp.path());
    // Unselect demo-logs (position 2): demo-data, demo-nopolicy, demo-stale remain.
    pick(&mut p, &[2]);
    p.exp_string("demo-data: what now?").unwrap();
    keys(&mut p, &[ENTER]);
    p.exp_string("demo-data: applied").unwrap();
    p.exp_string("demo-nopolicy: what now?").unwrap();
    keys(&mut p, &[DOWN, ENTER]);
    p.exp_string("demo-stale: what now?").unwrap();
    keys(&mut p, &[DOWN, DOWN, DOWN, DOWN, ENTER]);
    p.exp_string("Applied 1, unchanged 0, skipped 1, failed 0.")
        .unwrap();
    p.exp_string("To undo this run:").unwrap();
    p.exp_string("bucketfence rollback").unwrap();
    assert_eq!(exit_code(&mut p), 0);
    assert!(policy(tmp.path(), "demo-data")
        .unwrap()
        .contains("BucketFenceDenyUnlisted"));
    assert_eq!(policy(tmp.path(), "demo-nopolicy"), None, "skipped");
    assert_eq!(
        policy(tmp.path(), "demo-stale"),
        stale_before,
        "quit before it"
    );
    assert_eq!(policy(tmp.path(), "demo-logs"), logs_before, "not selected");
}

#[test]
fn adding_a_missing_entry_shows_the_error_and_goes_on() {
    let tmp = demo_copy();
    let mut p = demo_session(tmp.path());
    p.exp_string("The allowlist for this run").unwrap();
    keys(&mut p, &[DOWN, ENTER]);
    p.exp_string("Kind of entry").unwrap();
    keys(&mut p, &[ENTER]);
    p.exp_string("role (name or ARN)").unwrap();
    p.send_line("no-such-role").unwrap();
    p.exp_string("role `no-such-role` does not exist").unwrap();
    p.exp_string("The allowlist for this run").unwrap();
    keys(&mut p, &[DOWN, ENTER]);
    p.exp_string("Kind of entry").unwrap();
    keys(&mut p, &[ENTER]);
    p.exp_string("role (name or ARN)").unwrap();
    p.send_line("ssm-instance").unwrap();
    p.exp_string("Added role `ssm-instance`").unwrap();
    p.exp_string("AROA5DEMOSSMINSTANCE1:*").unwrap();
    p.exp_string("The allowlist for this run").unwrap();
    keys(&mut p, &[ENTER]);
    // With ssm-instance added every fence is out of date, so all five are selected; keep only
    // demo-nopolicy (position 3).
    p.exp_string("Buckets to go through").unwrap();
    keys(&mut p, &[" ", DOWN, " ", DOWN, " ", DOWN, DOWN, " ", ENTER]);
    p.exp_string("demo-nopolicy: what now?").unwrap();
    keys(&mut p, &[ENTER]);
    p.exp_string("Save the allowlist to").unwrap();
    keys(&mut p, &["y"]);
    p.exp_string("Allowlist saved").unwrap();
    assert_eq!(exit_code(&mut p), 0);
    let written = policy(tmp.path(), "demo-nopolicy").unwrap();
    assert!(written.contains("AROA5DEMOSSMINSTANCE1:*"), "{written}");
    let config = fs::read_to_string(tmp.path().join("demo/bucketfence.toml")).unwrap();
    assert!(
        config.contains("\"ssm-instance\"") && config.contains("# Who may still use"),
        "{config}"
    );
}

#[test]
fn ctrl_c_at_the_bucket_prompt_keeps_what_was_applied_and_exits_130() {
    let tmp = demo_copy();
    let logs_before = policy(tmp.path(), "demo-logs");
    let mut p = demo_session(tmp.path());
    pick(&mut p, &[]);
    p.exp_string("demo-data: what now?").unwrap();
    keys(&mut p, &[ENTER]);
    p.exp_string("demo-data: applied").unwrap();
    p.exp_string("demo-logs: what now?").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Interrupted").unwrap();
    p.exp_string("Applied 1, unchanged 0, skipped 0, failed 0.")
        .unwrap();
    assert_eq!(exit_code(&mut p), 130);
    assert!(policy(tmp.path(), "demo-data")
        .unwrap()
        .contains("BucketFenceDenyUnlisted"));
    assert_eq!(policy(tmp.path(), "demo-logs"), logs_before);
    assert_eq!(policy(tmp.path(), "demo-nopolicy"), None);
}

#[tokio::test]
async fn choose_apply_skip_quit_against_moto() {
    let acct = MotoAccount::new().await;
    acct.role("deployer").await;
    let names: Vec<String> = (0..5).map(|i| acct.bucket(&format!("s{i}"))).collect();
    for n in &names {
        acct.create_bucket(n, None, None).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let include = format!(
        "[allow]\nroles = [\"deployer\"]\n[buckets]\ninclude = [\"bf-{}-s*\"]\n",
        acct.id
    );
    fs::write(dir.path().join("bucketfence.toml"), include).unwrap();
    let cmd = acct.command(dir.path());
    let names2 = names.clone();
    let code = tokio::task::spawn_blocking(move || {
        let mut p = start(cmd);
        // All five have no policy and are selected; keep s0, s1, s2 (unselect s3, s4).
        pick(&mut p, &[3, 4]);
        p.exp_string(&format!("{}: what now?", names2[0])).unwrap();
        keys(&mut p, &[ENTER]);
        p.exp_string(&format!("{}: what now?", names2[1])).unwrap();
        keys(&mut p, &[DOWN, ENTER]);
        p.exp_string(&format!("{}: what now?", names2[2])).unwrap();
        keys(&mut p, &[DOWN, DOWN, DOWN, DOWN, ENTER]);
        p.exp_string("Applied 1, unchanged 0, skipped 1, failed 0.")
            .unwrap();
        exit_code(&mut p)
    })
    .await
    .unwrap();
    assert_eq!(code, 0);
    assert!(acct
        .policy(&names[0])
        .await
        .unwrap()
        .contains("BucketFenceDenyUnlisted"));
    for n in &names[1..] {
        assert_eq!(acct.policy(n).await, None, "{n}");
    }
}

#[test]
fn completions_and_man_page_come_from_the_same_definitions() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = crate::harness::run(command(tmp.path()), &["completions", shell]).expect(0);
        assert!(out.stdout.contains("rollback"), "{shell}");
    }
    let man = crate::harness::run(command(tmp.path()), &["man"]).expect(0);
    assert!(
        man.stdout.contains(".TH bucketfence") && man.stdout.contains("rollback"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
}

#[test]
fn the_session_asks_what_to_do_about_a_guard_and_replans() {
    let tmp = demo_copy();
    let mut cmd = command(&tmp.path().join("demo"));
    cmd.args(["--account-dir", ".", "--bucket", "demo-website"]);
    let mut p = start(cmd);
    p.exp_string("The allowlist for this run").unwrap();
    keys(&mut p, &[ENTER]);
    p.exp_string("Buckets to go through").unwrap();
    // Refused buckets are not preselected: select it.
    keys(&mut p, &[" ", ENTER]);
    p.exp_string("anonymous readers lose s3:GetObject").unwrap();
    p.exp_string("demo-website: principals it grants would lose access")
        .unwrap();
    keys(&mut p, &["\x1b[A", ENTER]);
    p.exp_string("demo-website: what now?").unwrap();
    keys(&mut p, &[ENTER]);
    p.exp_string("Applied 1, unchanged 0, skipped 0, failed 0.")
        .unwrap();
    assert_eq!(exit_code(&mut p), 0);
    assert!(policy(tmp.path(), "demo-website")
        .unwrap()
        .contains("BucketFenceDenyUnlisted"));
}
