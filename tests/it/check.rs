//! `bucketfence check` on the demo account: the SSM instance role denied, an allowlisted role not
//! denied, CloudTrail still delivering; and on a policy file with no account at all.

use serde_json::Value;

use crate::harness::{command, demo_copy, repo_root, run};

fn check(tmp: &std::path::Path, args: &[&str]) -> crate::harness::Run {
    let demo = tmp.join("demo");
    let mut full = vec!["check", "--account-dir", demo.to_str().unwrap()];
    full.extend(args);
    run(command(tmp), &full)
}

#[test]
fn the_proposed_fence_keeps_the_ssm_role_out_and_lets_the_rest_in() {
    let tmp = demo_copy();
    let config = tmp.path().join("demo/bucketfence.toml");
    let base = [
        "--config",
        config.to_str().unwrap(),
        "--bucket",
        "demo-logs",
        "--proposed",
    ];
    let ssm = check(
        tmp.path(),
        &[
            &base[..],
            &[
                "--as",
                "ssm-instance",
                "--session",
                "i-0abc",
                "--action",
                "s3:GetObject",
            ],
        ]
        .concat(),
    )
    .expect(0);
    assert!(ssm.stdout.starts_with("DENIED"), "{}", ssm.stdout);
    assert!(
        ssm.stdout
            .contains("\"AROA5DEMOSSMINSTANCE1:i-0abc\" matches none of"),
        "{}",
        ssm.stdout
    );
    let deployer = check(
        tmp.path(),
        &[&base[..], &["--as", "deployer", "--action", "s3:PutObject"]].concat(),
    )
    .expect(0);
    assert!(
        deployer.stdout.starts_with("NOT DECIDED"),
        "{}",
        deployer.stdout
    );
    let trail = check(
        tmp.path(),
        &[
            &base[..],
            &[
                "--as",
                "cloudtrail.amazonaws.com",
                "--action",
                "s3:PutObject",
                "--key",
                "AWSLogs/111122223333/CloudTrail/x.json.gz",
                "--context",
                "aws:SourceArn=arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
                "--context",
                "s3:x-amz-acl=bucket-owner-full-control",
                "--format",
                "json",
            ],
        ]
        .concat(),
    )
    .expect(0);
    let json: Value = serde_json::from_str(&trail.stdout).unwrap();
    assert_eq!(json["evaluation"]["decision"], "Allow", "{}", trail.stdout);
    assert_eq!(
        json["evaluation"]["matched"][0]["sid"],
        "AWSCloudTrailWrite"
    );
    // The stored policy (not yet fenced) says nothing about the SSM role: that is the exposure.
    let stored = check(
        tmp.path(),
        &[
            "--bucket",
            "demo-logs",
            "--as",
            "ssm-instance",
            "--action",
            "s3:GetObject",
        ],
    )
    .expect(0);
    assert!(
        stored.stdout.starts_with("NOT DECIDED"),
        "{}",
        stored.stdout
    );
}

#[test]
fn a_policy_file_is_checked_without_any_account() {
    let tmp = tempfile::tempdir().unwrap();
    let policy = repo_root().join("samples/demo/buckets/demo-fenced/policy.json");
    let run_as = |who: &str, extra: &[&str]| {
        let mut args = vec![
            "check",
            "--policy",
            policy.to_str().unwrap(),
            "--as",
            who,
            "--action",
            "s3:GetObject",
        ];
        args.extend(extra);
        run(command(tmp.path()), &args).expect(0)
    };
    let unknown = run_as("arn:aws:iam::111122223333:role/ssm-instance", &[]);
    assert!(unknown.stdout.starts_with("DENIED"), "{}", unknown.stdout);
    assert!(unknown.stdout.contains("placeholder"), "{}", unknown.stdout);
    let known = run_as(
        "arn:aws:iam::111122223333:role/deployer",
        &["--role-id", "AROA5DEMODEPLOYER0001"],
    );
    assert!(known.stdout.starts_with("NOT DECIDED"), "{}", known.stdout);
    let session = run_as(
        "arn:aws:sts::111122223333:assumed-role/deployer/alice",
        &["--role-id", "AROA5DEMODEPLOYER0001"],
    );
    assert!(
        session.stdout.contains("AROA5DEMODEPLOYER0001:alice"),
        "{}",
        session.stdout
    );
    let overridden = run_as("anonymous", &["--context", "aws:userid=111122223333"]);
    assert!(
        overridden.stdout.starts_with("NOT DECIDED"),
        "an explicit context key wins: {}",
        overridden.stdout
    );
    let bad = run(
        command(tmp.path()),
        &[
            "check",
            "--policy",
            policy.to_str().unwrap(),
            "--as",
            "deployer",
            "--action",
            "s3:GetObject",
        ],
    )
    .expect(1);
    assert!(bad.stderr.contains("give an ARN"), "{}", bad.stderr);
}

#[test]
fn regression_another_accounts_principal_is_never_this_accounts_namesake() {
    let tmp = demo_copy();
    for who in [
        "arn:aws:iam::999999999999:user/auditor",
        "arn:aws:iam::999999999999:role/deployer",
        "arn:aws:sts::999999999999:assumed-role/deployer/x",
    ] {
        let out = check(
            tmp.path(),
            &[
                "--policy",
                tmp.path()
                    .join("demo/buckets/demo-fenced/policy.json")
                    .to_str()
                    .unwrap(),
                "--as",
                who,
                "--action",
                "s3:GetObject",
            ],
        )
        .expect(0);
        assert!(out.stdout.starts_with("DENIED"), "{who}: {}", out.stdout);
        let user_id_line = out
            .stdout
            .lines()
            .find(|l| l.contains("aws:userId ="))
            .unwrap();
        assert!(
            !user_id_line.contains("AIDA5DEMOAUDITOR00001")
                && !user_id_line.contains("AROA5DEMODEPLOYER0001"),
            "{who}: {}",
            out.stdout
        );
    }
    let out = check(
        tmp.path(),
        &[
            "--policy",
            "/dev/null",
            "--as",
            "anonymous",
            "--action",
            "s3:GetObject",
            "--context",
            "=v",
        ],
    )
    .expect(1);
    assert!(
        out.stderr.contains("not KEY=VALUE") || out.stderr.contains("not valid JSON"),
        "{}",
        out.stderr
    );
}
