//! The AWS code path against moto server: real S3, IAM and STS APIs on 127.0.0.1.
//! Each test works in an account of its own (STS AssumeRole into a fresh account ID), so tests
//! run in parallel against one server without seeing each other.

use std::path::Path;
use std::process::Command;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::config::Credentials;
use bucketfence::policy::canonical;
use bucketfence::policy::document::{sid_of, Policy};
use serde_json::Value;

use crate::harness::{command, fresh_account, moto_url, run};

pub struct MotoAccount {
    pub id: String,
    pub url: String,
    creds: aws_sdk_sts::types::Credentials,
    pub s3: aws_sdk_s3::Client,
    pub iam: aws_sdk_iam::Client,
}

async fn sdk_config(url: &str, creds: Credentials) -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(creds)
        .load()
        .await
}

impl MotoAccount {
    pub async fn new() -> MotoAccount {
        let url = moto_url();
        let id = fresh_account();
        let root = sdk_config(
            &url,
            Credentials::new("testing", "testing", None, None, "test"),
        )
        .await;
        let assumed = aws_sdk_sts::Client::new(&root)
            .assume_role()
            .role_arn(format!("arn:aws:iam::{id}:role/test-runner"))
            .role_session_name("bucketfence-test")
            .send()
            .await
            .unwrap_or_else(|e| {
                panic!("moto at {url} did not answer AssumeRole (is it running?): {e:?}")
            });
        let creds = assumed.credentials().expect("credentials").clone();
        let provider = Credentials::new(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token().to_string()),
            None,
            "moto-assumed",
        );
        let config = sdk_config(&url, provider).await;
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&config)
                .force_path_style(true)
                .build(),
        );
        MotoAccount {
            iam: aws_sdk_iam::Client::new(&config),
            s3,
            creds,
            id,
            url,
        }
    }

    /// The binary, acting in this account through moto.
    pub fn command(&self, cwd: &Path) -> Command {
        self.command_via(cwd, &self.url)
    }

    /// The binary, acting in this account through `endpoint` (a proxy in front of moto).
    pub fn command_via(&self, cwd: &Path, endpoint: &str) -> Command {
        let mut cmd = command(cwd);
        cmd.env("AWS_ACCESS_KEY_ID", self.creds.access_key_id())
            .env("AWS_SECRET_ACCESS_KEY", self.creds.secret_access_key())
            .env("AWS_SESSION_TOKEN", self.creds.session_token())
            .env("AWS_REGION", "us-east-1")
            .args(["--endpoint-url", endpoint]);
        cmd
    }

    pub fn bucket(&self, suffix: &str) -> String {
        format!("bf-{}-{suffix}", self.id)
    }

    pub async fn role(&self, name: &str) -> String {
        let out = self
            .iam
            .create_role()
            .role_name(name)
            .assume_role_policy_document("{}")
            .send()
            .await
            .unwrap();
        out.role().unwrap().role_id().to_string()
    }

    pub async fn user(&self, name: &str) -> String {
        let out = self.iam.create_user().user_name(name).send().await.unwrap();
        out.user().unwrap().user_id().to_string()
    }

    pub async fn group(&self, name: &str, members: &[&str]) {
        self.iam
            .create_group()
            .group_name(name)
            .send()
            .await
            .unwrap();
        for m in members {
            self.iam
                .add_user_to_group()
                .group_name(name)
                .user_name(*m)
                .send()
                .await
                .unwrap();
        }
    }

    pub async fn create_bucket(&self, name: &str, region: Option<&str>, policy: Option<&str>) {
        let mut req = self.s3.create_bucket().bucket(name);
        if let Some(region) = region {
            req = req.create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(region.into())
                    .build(),
            );
        }
        req.send().await.unwrap();
        if let Some(policy) = policy {
            self.s3
                .put_bucket_policy()
                .bucket(name)
                .policy(policy)
                .send()
                .await
                .unwrap();
        }
    }

    pub async fn policy(&self, bucket: &str) -> Option<String> {
        match self.s3.get_bucket_policy().bucket(bucket).send().await {
            Ok(out) => out.policy().map(String::from),
            Err(e) => {
                use aws_sdk_s3::error::ProvideErrorMetadata;
                assert_eq!(e.code(), Some("NoSuchBucketPolicy"), "{e:?}");
                None
            }
        }
    }
}

fn write_config(dir: &Path, text: &str) -> String {
    let path = dir.join("bucketfence.toml");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// The fence statement of a stored policy, and the statements other than it.
fn split_fence(text: &str) -> (serde_json::Map<String, Value>, Vec<Value>) {
    let policy = Policy::parse(text).unwrap();
    let statements = policy.statements();
    let fences: Vec<_> = statements
        .iter()
        .filter(|s| sid_of(s) == Some("BucketFenceDenyUnlisted"))
        .collect();
    assert_eq!(fences.len(), 1, "exactly one fence in {text}");
    let others = statements
        .iter()
        .filter(|s| sid_of(s) != Some("BucketFenceDenyUnlisted"))
        .map(|s| canonical::statement(s))
        .collect();
    ((*fences[0]).clone(), others)
}

fn canonical_statements(text: &str) -> Vec<Value> {
    Policy::parse(text)
        .unwrap()
        .statements()
        .iter()
        .map(|s| canonical::statement(s))
        .collect()
}

/// `apply --yes --keep-grantees` with a config and a backup directory; must succeed.
fn apply_with_backups(
    acct: &MotoAccount,
    cwd: &Path,
    config: &str,
    backups: &Path,
) -> crate::harness::Run {
    let backups = backups.to_str().unwrap();
    let args = [
        "apply",
        "--yes",
        "--keep-grantees",
        "--config",
        config,
        "--backup-dir",
        backups,
    ];
    run(acct.command(cwd), &args).expect(0)
}

const SINGLE_OBJECT: &str = r#"{"Version":"2012-10-17","Statement":{"Sid":"DenyHttp","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::BUCKET","arn:aws:s3:::BUCKET/*"],"Condition":{"Bool":{"aws:SecureTransport":false}}}}"#;

const MESSY: &str = r#"{
  "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::BUCKET/*"},
    {"Sid": "Dup", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::BUCKET/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "Dup", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::BUCKET/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
  ]
}"#;

#[tokio::test]
async fn plan_apply_plan_fences_every_bucket_and_keeps_every_statement() {
    let acct = MotoAccount::new().await;
    let deployer = acct.role("deployer").await;
    let auditor = acct.user("auditor").await;
    let alice = acct.user("alice").await;
    let bob = acct.user("bob").await;
    acct.group("platform", &["alice", "bob"]).await;
    let single = acct.bucket("single");
    let messy = acct.bucket("messy");
    let empty = acct.bucket("empty");
    let eu = acct.bucket("eu");
    acct.create_bucket(
        &single,
        None,
        Some(&SINGLE_OBJECT.replace("BUCKET", &single)),
    )
    .await;
    acct.create_bucket(&messy, None, Some(&MESSY.replace("BUCKET", &messy)))
        .await;
    acct.create_bucket(&empty, None, None).await;
    acct.create_bucket(
        &eu,
        Some("eu-west-1"),
        Some(&SINGLE_OBJECT.replace("BUCKET", &eu)),
    )
    .await;
    let mut before = std::collections::BTreeMap::new();
    for b in [&single, &messy, &eu] {
        before.insert(b.clone(), acct.policy(b).await.unwrap());
    }

    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!(
            "[allow]\nroles = [\"deployer\"]\nusers = [\"auditor\"]\ngroups = [\"platform\"]\naccounts = [\"{}\"]\n[buckets]\ninclude = [\"bf-{}-*\"]\n",
            acct.id, acct.id
        ),
    );
    // MESSY grants account 444455556666 s3:GetObject: the grantee guard refuses it by default.
    let refused = run(acct.command(dir.path()), &["plan", "--config", &config]).expect(1);
    assert!(
        refused.stdout.contains("444455556666 loses s3:GetObject"),
        "{}",
        refused.stdout
    );
    assert!(
        refused
            .stdout
            .contains("Plan: 3 to change, 0 unchanged, 1 skipped."),
        "{}",
        refused.stdout
    );
    let plan = run(
        acct.command(dir.path()),
        &["plan", "--keep-grantees", "--config", &config],
    )
    .expect(2);
    assert!(
        plan.stdout
            .contains("Plan: 4 to change, 0 unchanged, 0 skipped."),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains(&format!("bucket {eu} (eu-west-1): add the fence")),
        "{}",
        plan.stdout
    );
    for b in [&single, &messy, &eu] {
        assert_eq!(
            acct.policy(b).await.as_ref(),
            before.get(b),
            "plan must not write"
        );
    }

    let backups = dir.path().join("backups");
    let apply = apply_with_backups(&acct, dir.path(), &config, &backups);
    assert!(
        apply
            .stdout
            .contains("Applied 4, unchanged 0, skipped 0, failed 0."),
        "{}",
        apply.stdout
    );

    let again = run(
        acct.command(dir.path()),
        &["plan", "--keep-grantees", "--config", &config],
    )
    .expect(0);
    assert!(
        again
            .stdout
            .contains("Plan: 0 to change, 4 unchanged, 0 skipped."),
        "{}",
        again.stdout
    );

    let mut expected_ids = vec![
        format!("{deployer}:*"),
        auditor,
        alice,
        bob,
        acct.id.clone(),
    ];
    expected_ids.sort();
    for b in [&single, &messy, &eu, &empty] {
        let now = acct.policy(b).await.expect("fenced");
        let (fence, others) = split_fence(&now);
        assert_eq!(
            fence["Condition"]["StringNotLike"]["aws:userId"],
            serde_json::json!(expected_ids),
            "{b}"
        );
        assert_eq!(
            fence["Resource"],
            serde_json::json!([format!("arn:aws:s3:::{b}"), format!("arn:aws:s3:::{b}/*")])
        );
        let kept = before
            .get(b)
            .map(|t| canonical_statements(t))
            .unwrap_or_default();
        assert_eq!(
            others, kept,
            "{b}: every statement that was there is still there"
        );
        if b == &messy {
            let exempt = &fence["Condition"]["StringNotEquals"]["aws:PrincipalAccount"];
            assert_eq!(exempt, &serde_json::json!(["444455556666"]));
        }
        if b == &empty {
            assert_eq!(Policy::parse(&now).unwrap().version(), Some("2012-10-17"));
        }
    }

    let runs: Vec<_> = std::fs::read_dir(&backups).unwrap().collect();
    assert_eq!(runs.len(), 1);
    let run_dir = runs[0].as_ref().unwrap().path();
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(run_dir.join("manifest.json")).unwrap())
            .unwrap();
    let entries = manifest["buckets"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    for entry in entries {
        let bucket = entry["bucket"].as_str().unwrap();
        match before.get(bucket) {
            Some(old) => {
                let saved =
                    std::fs::read_to_string(run_dir.join(entry["file"].as_str().unwrap())).unwrap();
                assert_eq!(
                    &saved, old,
                    "backup of {bucket} is the old text byte for byte"
                );
            }
            None => assert_eq!(entry["had_policy"], Value::Bool(false)),
        }
    }
}

#[tokio::test]
async fn changing_the_allowlist_replaces_the_fence_in_place() {
    let acct = MotoAccount::new().await;
    let deployer = acct.role("deployer").await;
    let ops = acct.role("ops").await;
    let b = acct.bucket("stale");
    acct.create_bucket(&b, None, Some(&MESSY.replace("BUCKET", &b)))
        .await;
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "--bucket",
        &b,
        "--allow-role",
        "deployer",
        "--keep-grantees",
    ];
    run(
        acct.command(dir.path()),
        &[&["apply", "--yes"], &base[..]].concat(),
    )
    .expect(0);
    let first = acct.policy(&b).await.unwrap();

    let plan = run(
        acct.command(dir.path()),
        &[&["plan", "--allow-role", "ops"], &base[..]].concat(),
    )
    .expect(2);
    assert!(
        plan.stdout
            .contains("update the fence (3 other statements kept)"),
        "{}",
        plan.stdout
    );
    run(
        acct.command(dir.path()),
        &[&["apply", "--yes", "--allow-role", "ops"], &base[..]].concat(),
    )
    .expect(0);
    let second = acct.policy(&b).await.unwrap();
    let (fence, others) = split_fence(&second);
    let mut want = vec![format!("{deployer}:*"), format!("{ops}:*")];
    want.sort();
    assert_eq!(
        fence["Condition"]["StringNotLike"]["aws:userId"],
        serde_json::json!(want)
    );
    // Replaced where it stood: same position, same other statements.
    assert_eq!(others, split_fence(&first).1);
    let position = |text: &str| {
        Policy::parse(text)
            .unwrap()
            .statements()
            .iter()
            .position(|s| sid_of(s) == Some("BucketFenceDenyUnlisted"))
    };
    assert_eq!(position(&first), position(&second));
    run(
        acct.command(dir.path()),
        &[&["plan", "--allow-role", "ops"], &base[..]].concat(),
    )
    .expect(0);
}

#[tokio::test]
async fn a_missing_principal_fails_before_anything_is_written() {
    let acct = MotoAccount::new().await;
    acct.role("deployer").await;
    let b = acct.bucket("untouched");
    acct.create_bucket(&b, None, None).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        acct.command(dir.path()),
        &[
            "apply",
            "--yes",
            "--bucket",
            &b,
            "--allow-role",
            "deployer",
            "--allow-role",
            "no-such-role",
            "--allow-group",
            "nogroup",
        ],
    )
    .expect(1);
    assert!(
        out.stderr.contains("role `no-such-role` does not exist"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("group `nogroup` does not exist"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    assert_eq!(acct.policy(&b).await, None);
}

#[tokio::test]
async fn resolve_prints_written_arn_and_value() {
    let acct = MotoAccount::new().await;
    let role_id = acct.role("deployer").await;
    let user_id = acct.user("auditor").await;
    let dir = tempfile::tempdir().unwrap();
    let arn = format!("arn:aws:iam::{}:role/deployer", acct.id);
    let out = run(
        acct.command(dir.path()),
        &[
            "resolve",
            "--format",
            "json",
            "--allow-role",
            &arn,
            "--allow-user",
            "auditor",
            "--allow-account",
            &acct.id,
        ],
    )
    .expect(0);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["rows"][0]["arn"], Value::String(arn));
    assert_eq!(
        json["rows"][0]["value"],
        Value::String(format!("{role_id}:*"))
    );
    assert_eq!(json["rows"][1]["value"], Value::String(user_id.clone()));
    let mut values = vec![format!("{role_id}:*"), user_id, acct.id.clone()];
    values.sort();
    assert_eq!(json["values"], serde_json::json!(values));
}

#[tokio::test]
async fn one_bad_bucket_never_stops_the_others() {
    let acct = MotoAccount::new().await;
    acct.role("deployer").await;
    let broken = acct.bucket("broken");
    let good = acct.bucket("good");
    let gone = acct.bucket("gone");
    // moto stores policy bytes verbatim, so it can hold a policy AWS never would.
    acct.create_bucket(&broken, None, Some("{\"Statement\": ["))
        .await;
    acct.create_bucket(&good, None, None).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        acct.command(dir.path()),
        &[
            "apply",
            "--yes",
            "--allow-role",
            "deployer",
            "--bucket",
            &broken,
            "--bucket",
            &good,
            "--bucket",
            &gone,
        ],
    )
    .expect(1);
    assert!(
        out.stdout
            .contains(&format!("bucket {broken} (us-east-1): error")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("cannot be parsed"), "{}", out.stdout);
    assert!(
        out.stdout.contains(&format!("skipped {gone}")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Applied 1, unchanged 0, skipped 2, failed 0."),
        "{}",
        out.stdout
    );
    assert_eq!(
        acct.policy(&broken).await.as_deref(),
        Some("{\"Statement\": [")
    );
    assert!(acct.policy(&good).await.is_some());
}

#[tokio::test]
async fn rollback_round_trip_restores_every_policy_byte_for_byte() {
    let acct = MotoAccount::new().await;
    acct.role("deployer").await;
    let mut before = Vec::new();
    for (i, policy) in [
        Some(SINGLE_OBJECT),
        Some(MESSY),
        None,
        Some(SINGLE_OBJECT),
        None,
    ]
    .iter()
    .enumerate()
    {
        let b = acct.bucket(&format!("rb{i}"));
        let text = policy.map(|p| p.replace("BUCKET", &b));
        acct.create_bucket(&b, None, text.as_deref()).await;
        before.push((b, text));
    }
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!(
            "[allow]\nroles = [\"deployer\"]\n[buckets]\ninclude = [\"bf-{}-rb*\"]\n",
            acct.id
        ),
    );
    let backups = dir.path().join("backups");
    let apply = apply_with_backups(&acct, dir.path(), &config, &backups);
    assert!(apply.stdout.contains("Applied 5"), "{}", apply.stdout);
    let undo = apply
        .stderr
        .lines()
        .skip_while(|l| *l != "To undo this run:")
        .nth(1)
        .and_then(|l| l.strip_prefix("  "))
        .expect("undo hint");
    assert!(undo.starts_with("bucketfence rollback "), "{undo}");
    let backup_dir = std::fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();

    // Someone edits one bucket after the fence went on: the rollback refuses it without --force.
    let (edited, _) = &before[3];
    acct.s3
        .put_bucket_policy()
        .bucket(edited)
        .policy(MESSY.replace("BUCKET", edited))
        .send()
        .await
        .unwrap();
    let rb = backup_dir.to_str().unwrap();
    let out = run(
        acct.command(dir.path()),
        &[
            "rollback",
            rb,
            "--yes",
            "--backup-dir",
            backups.to_str().unwrap(),
        ],
    )
    .expect(1);
    assert!(
        out.stdout.contains("changed since the backup"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Applied 4, unchanged 0, skipped 1, failed 0."),
        "{}",
        out.stdout
    );
    assert_eq!(
        acct.policy(edited).await,
        Some(MESSY.replace("BUCKET", edited))
    );

    run(
        acct.command(dir.path()),
        &[
            "rollback",
            rb,
            "--yes",
            "--force",
            "--backup-dir",
            backups.to_str().unwrap(),
        ],
    )
    .expect(0);
    for (b, text) in &before {
        assert_eq!(&acct.policy(b).await, text, "{b} is exactly as before");
    }
    // Rolling back again changes nothing.
    let again = run(acct.command(dir.path()), &["rollback", rb, "--yes"]).expect(0);
    assert!(
        again.stdout.contains("Plan: 0 to change, 5 unchanged"),
        "{}",
        again.stdout
    );
}

#[tokio::test]
async fn a_public_policy_under_block_public_access_is_refused_before_writing() {
    let acct = MotoAccount::new().await;
    acct.role("deployer").await;
    let site = acct.bucket("site");
    let public = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*"}]}"#
        .replace("BUCKET", &site);
    acct.create_bucket(&site, None, Some(&public)).await;
    // Turned on after the public policy was written, as happens when an account is tightened.
    // moto stores the setting but serves no GetBucketPolicyStatus, so this exercises the guard's
    // own reading of the policy (the path taken when that call is denied on AWS).
    acct.s3
        .put_public_access_block()
        .bucket(&site)
        .public_access_block_configuration(
            aws_sdk_s3::types::PublicAccessBlockConfiguration::builder()
                .block_public_policy(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        acct.command(dir.path()),
        &[
            "apply",
            "--yes",
            "--revoke-grantees",
            "--allow-role",
            "deployer",
            "--bucket",
            &site,
        ],
    )
    .expect(1);
    assert!(
        out.stdout
            .contains("BlockPublicPolicy is on: S3 would reject writing it back"),
        "{}",
        out.stdout
    );
    assert_eq!(acct.policy(&site).await, Some(public));
}

#[tokio::test]
async fn a_saved_plan_is_carried_out_exactly_and_refuses_what_changed() {
    let acct = MotoAccount::new().await;
    acct.role("deployer").await;
    let (a, b, c) = (acct.bucket("pa"), acct.bucket("pb"), acct.bucket("pc"));
    acct.create_bucket(&a, None, Some(&SINGLE_OBJECT.replace("BUCKET", &a)))
        .await;
    acct.create_bucket(&b, None, Some(&SINGLE_OBJECT.replace("BUCKET", &b)))
        .await;
    acct.create_bucket(&c, None, None).await;
    let dir = tempfile::tempdir().unwrap();
    let include = format!(
        "[allow]\nroles = [\"deployer\"]\n[buckets]\ninclude = [\"bf-{}-p*\"]\n",
        acct.id
    );
    let config = write_config(dir.path(), &include);
    let file = dir.path().join("reviewed.plan.json");
    let file = file.to_str().unwrap();
    let out = run(
        acct.command(dir.path()),
        &["plan", "--config", &config, "--out", file],
    )
    .expect(2);
    assert!(out.stderr.contains("Plan saved to"), "{}", out.stderr);

    // After the review: someone changes bucket b, and a new bucket appears.
    let changed = MESSY.replace("BUCKET", &b);
    acct.s3
        .put_bucket_policy()
        .bucket(&b)
        .policy(&changed)
        .send()
        .await
        .unwrap();
    let late = acct.bucket("pd");
    acct.create_bucket(&late, None, None).await;

    // A damaged file is rejected whole, and so is one used in another account.
    let text = std::fs::read_to_string(file).unwrap();
    let edited = dir.path().join("edited.json");
    std::fs::write(
        &edited,
        text.replace("BucketFenceDenyUnlisted", "BucketFenceDenyUnlistex"),
    )
    .unwrap();
    let out = run(
        acct.command(dir.path()),
        &["apply", "--yes", edited.to_str().unwrap()],
    )
    .expect(1);
    assert!(
        out.stderr.contains("changed after it was made"),
        "{}",
        out.stderr
    );
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &text[..text.len() / 3]).unwrap();
    let out = run(
        acct.command(dir.path()),
        &["apply", "--yes", truncated.to_str().unwrap()],
    )
    .expect(1);
    assert!(
        out.stderr.contains("not a bucketfence plan file"),
        "{}",
        out.stderr
    );
    let other = MotoAccount::new().await;
    let out = run(other.command(dir.path()), &["apply", "--yes", file]).expect(1);
    assert!(
        out.stderr
            .contains(&format!("made for account {}", acct.id)),
        "{}",
        out.stderr
    );

    let out = run(acct.command(dir.path()), &["apply", "--yes", file]).expect(1);
    assert!(
        out.stdout.contains("changed since the plan was made"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Applied 2, unchanged 0, skipped 1, failed 0."),
        "{}",
        out.stdout
    );
    assert_eq!(acct.policy(&b).await, Some(changed));
    assert_eq!(
        acct.policy(&late).await,
        None,
        "a bucket not in the plan is never touched"
    );
    assert!(acct
        .policy(&a)
        .await
        .unwrap()
        .contains("BucketFenceDenyUnlisted"));
    assert!(acct
        .policy(&c)
        .await
        .unwrap()
        .contains("BucketFenceDenyUnlisted"));
}
