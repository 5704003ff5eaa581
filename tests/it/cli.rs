//! Bad input at the command line: one clear line, a hint, exit 1, nothing written.

use crate::harness::{command, demo_copy, repo_root, run};

#[test]
fn apply_without_yes_and_without_a_terminal_exits_1_and_says_yes() {
    let tmp = demo_copy();
    let demo = tmp.path().join("demo");
    let before = std::fs::read_to_string(demo.join("buckets/demo-stale/policy.json")).unwrap();
    let out = run(
        command(tmp.path()),
        &[
            "apply",
            "--account-dir",
            demo.to_str().unwrap(),
            "--config",
            demo.join("bucketfence.toml").to_str().unwrap(),
        ],
    )
    .expect(1);
    assert!(out.stderr.contains("pass `--yes`"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(demo.join("buckets/demo-stale/policy.json")).unwrap(),
        before
    );
}

#[test]
fn bad_config_and_flags_are_one_line_errors_with_hints() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = repo_root().join("samples/demo");
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[allow]\nrole = [\"deployer\"]\n").unwrap();
    for (args, needle) in [
        (
            vec!["plan", "--config", bad.to_str().unwrap()],
            "unknown field `role`",
        ),
        (
            vec!["plan", "--config", "/no/such/file.toml"],
            "cannot read the config file",
        ),
        (
            vec!["plan", "--allow-account", "12345"],
            "not a 12-digit account ID",
        ),
        (vec!["plan"], "the allowlist is empty"),
    ] {
        let mut full = args.clone();
        full.extend(["--account-dir", demo.to_str().unwrap()]);
        let out = run(command(tmp.path()), &full).expect(1);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains(needle),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            lines.get(1).is_some_and(|l| l.starts_with("hint: ")),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn unknown_flag_values_exit_1_not_clap_s_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(command(tmp.path()), &["plan", "--color", "purple"]).expect(1);
    assert!(
        out.stderr.contains("invalid value 'purple'"),
        "{}",
        out.stderr
    );
    run(command(tmp.path()), &["--version"]).expect(0);
}

#[test]
fn missing_account_directory_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        command(tmp.path()),
        &[
            "plan",
            "--account-dir",
            "nowhere",
            "--allow-account",
            "111122223333",
        ],
    )
    .expect(1);
    assert!(
        out.stderr.contains("nowhere/account.toml"),
        "{}",
        out.stderr
    );
}
