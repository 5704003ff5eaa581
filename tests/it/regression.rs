//! Inputs that once broke bucketfence (found by a hostile-input review), each named after its bug.

use std::fs;
use std::path::{Path, PathBuf};

use crate::harness::{command, demo_copy, run, Run};

fn demo(tmp: &Path) -> PathBuf {
    tmp.join("demo")
}

fn with_config(tmp: &Path, config: &str, args: &[&str]) -> Run {
    let dir = demo(tmp);
    let path = tmp.join("test.toml");
    fs::write(&path, config).unwrap();
    let mut full: Vec<&str> = args.to_vec();
    full.extend([
        "--account-dir",
        dir.to_str().unwrap(),
        "--config",
        path.to_str().unwrap(),
    ]);
    run(command(tmp), &full)
}

const ALLOW: &str = "[allow]\nroles = [\"deployer\"]\n";

#[test]
fn regression_duplicate_json_keys_are_refused_not_dropped() {
    let tmp = demo_copy();
    let path = demo(tmp.path()).join("buckets/demo-data/policy.json");
    let text = r#"{"Statement":[{"Sid":"Keep","Effect":"Deny"}],"Statement":[{"Sid":"Other","Effect":"Allow"}]}"#;
    fs::write(&path, text).unwrap();
    let out = with_config(
        tmp.path(),
        ALLOW,
        &["apply", "--yes", "--bucket", "demo-data"],
    )
    .expect(1);
    assert!(
        out.stdout.contains("the key `Statement` appears twice"),
        "{}",
        out.stdout
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn regression_a_group_without_members_is_an_empty_allowlist() {
    let tmp = demo_copy();
    let iam = demo(tmp.path()).join("iam.toml");
    let mut text = fs::read_to_string(&iam).unwrap();
    text.push_str("\n[[groups]]\nname = \"empty\"\nmembers = []\n");
    fs::write(&iam, text).unwrap();
    let out = with_config(
        tmp.path(),
        "[allow]\ngroups = [\"empty\"]\n",
        &["apply", "--yes"],
    )
    .expect(1);
    assert!(
        out.stderr.contains("the allowlist is empty"),
        "{}",
        out.stderr
    );
    assert!(!demo(tmp.path())
        .join("buckets/demo-nopolicy/policy.json")
        .exists());
}

#[cfg(unix)]
#[test]
fn regression_links_in_the_account_directory_are_never_followed() {
    let tmp = demo_copy();
    let victim = tmp.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    let buckets = demo(tmp.path()).join("buckets");
    std::os::unix::fs::symlink(&outside, buckets.join("demo-link")).unwrap();
    std::os::unix::fs::symlink(&victim, buckets.join("demo-nopolicy/policy.json")).unwrap();
    let out = with_config(tmp.path(), ALLOW, &["apply", "--yes"]).expect(1);
    assert!(
        out.stdout.contains("demo-link") && out.stdout.contains("is a symbolic link"),
        "{}",
        out.stdout
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);
    assert!(
        out.stdout.contains("Applied 3"),
        "the other buckets go on: {}",
        out.stdout
    );
}

#[test]
fn regression_control_characters_from_files_never_reach_the_terminal() {
    let tmp = demo_copy();
    let bucket = demo(tmp.path()).join("buckets/demo-data/bucket.toml");
    fs::write(&bucket, "region = \"eu-west-1\\u001b[2J\\u202e\"\n").unwrap();
    let config = "[allow]\nroles = [\"deployer\"]\nids = [\"AROAX\\u001b]0;owned\\u0007:*\"]\n";
    for args in [&["plan"][..], &["plan", "--format", "json"], &["resolve"]] {
        let out = with_config(tmp.path(), config, args);
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !stream.contains(['\u{1b}', '\u{202e}', '\u{7}']),
                "{args:?}: {stream:?}"
            );
        }
    }
}

#[test]
fn regression_lockout_with_s3_star_is_refused_unless_the_caller_is_allowed() {
    let tmp = demo_copy();
    let star = "[fence]\nactions = [\"s3:*\"]\n[allow]\nusers = [\"auditor\"]\n";
    let out = with_config(
        tmp.path(),
        star,
        &["apply", "--yes", "--bucket", "demo-nopolicy"],
    )
    .expect(1);
    assert!(
        out.stdout.contains(
            "denies s3:GetBucketPolicy, s3:PutBucketPolicy, s3:DeleteBucketPolicy to the caller"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("are not on the allowlist"),
        "{}",
        out.stderr
    );
    assert!(!demo(tmp.path())
        .join("buckets/demo-nopolicy/policy.json")
        .exists());
    let with_caller = format!("{star}roles = [\"deployer\"]\n");
    with_config(
        tmp.path(),
        &with_caller,
        &["apply", "--yes", "--bucket", "demo-nopolicy"],
    )
    .expect(0);
    assert!(demo(tmp.path())
        .join("buckets/demo-nopolicy/policy.json")
        .exists());
}

#[test]
fn regression_match_everything_id_is_refused() {
    let tmp = demo_copy();
    let out = with_config(tmp.path(), "[allow]\nids = [\"*\"]\n", &["resolve"]).expect(1);
    assert!(
        out.stderr.contains("matches every caller"),
        "{}",
        out.stderr
    );
}
