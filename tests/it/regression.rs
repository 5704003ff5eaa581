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
/// The demo's own config: everyone its buckets grant is allowed, and the website is left out.
fn demo_config(tmp: &Path) -> String {
    fs::read_to_string(demo(tmp).join("bucketfence.toml")).unwrap()
}

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

#[test]
fn regression_bucket_narrows_rollback_and_saved_plans_instead_of_being_ignored() {
    let tmp = demo_copy();
    let plan_file = tmp.path().join("p.json");
    let args = ["plan", "--out", plan_file.to_str().unwrap()];
    with_config(tmp.path(), &demo_config(tmp.path()), &args).expect(2);
    let out = with_config(
        tmp.path(),
        &demo_config(tmp.path()),
        &[
            "apply",
            "--yes",
            plan_file.to_str().unwrap(),
            "--bucket",
            "demo-data",
        ],
    )
    .expect(0);
    assert!(out.stdout.contains("Applied 1"), "{}", out.stdout);
    assert!(
        policy_of(tmp.path(), "demo-nopolicy").is_none(),
        "not named, not touched"
    );
    let out = with_config(
        tmp.path(),
        &demo_config(tmp.path()),
        &[
            "apply",
            "--yes",
            plan_file.to_str().unwrap(),
            "--bucket",
            "nope",
        ],
    )
    .expect(1);
    assert!(
        out.stderr.contains("bucket `nope` is not in it"),
        "{}",
        out.stderr
    );
}

fn policy_of(tmp: &Path, bucket: &str) -> Option<String> {
    fs::read_to_string(demo(tmp).join("buckets").join(bucket).join("policy.json")).ok()
}

#[test]
fn regression_a_rechecksummed_plan_cannot_delete_or_write_garbage() {
    use sha2::Digest;
    let tmp = demo_copy();
    let plan_file = tmp.path().join("p.json");
    with_config(
        tmp.path(),
        &demo_config(tmp.path()),
        &["plan", "--out", plan_file.to_str().unwrap()],
    )
    .expect(2);
    let mut plan: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&plan_file).unwrap()).unwrap();
    let buckets = plan["buckets"].as_array_mut().unwrap();
    let data = buckets
        .iter_mut()
        .find(|b| b["bucket"] == "demo-data")
        .unwrap();
    data["proposed_policy"] = serde_json::Value::Null;
    let checksum = |plan: &serde_json::Value| {
        let mut body = plan.clone();
        body.as_object_mut().unwrap().remove("checksum");
        let text = serde_json::to_string(&body).unwrap();
        sha2::Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    plan["checksum"] = serde_json::Value::String(checksum(&plan));
    fs::write(&plan_file, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    let before = policy_of(tmp.path(), "demo-data");
    let out = with_config(
        tmp.path(),
        &demo_config(tmp.path()),
        &["apply", "--yes", plan_file.to_str().unwrap()],
    )
    .expect(1);
    assert!(
        out.stderr
            .contains("bucket demo-data: a change without a proposed policy"),
        "{}",
        out.stderr
    );
    assert_eq!(policy_of(tmp.path(), "demo-data"), before);
}

#[cfg(unix)]
#[test]
fn regression_rollback_never_reads_through_a_link_in_the_backup() {
    let tmp = demo_copy();
    let backups = tmp.path().join("bk");
    with_config(
        tmp.path(),
        &demo_config(tmp.path()),
        &["apply", "--yes", "--backup-dir", backups.to_str().unwrap()],
    )
    .expect(0);
    let run_dir = fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let secret = tmp.path().join("secret.txt");
    fs::write(&secret, "{\"Statement\":[]}").unwrap();
    let saved = run_dir.join("demo-data.json");
    let original = fs::read_to_string(&saved).unwrap();
    fs::remove_file(&saved).unwrap();
    std::os::unix::fs::symlink(&secret, &saved).unwrap();
    // Make the manifest's hash match the link target, as an attacker could.
    let manifest_path = run_dir.join("manifest.json");
    let manifest = fs::read_to_string(&manifest_path).unwrap();
    use sha2::Digest;
    let hash = |t: &str| {
        sha2::Sha256::digest(t.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    fs::write(
        &manifest_path,
        manifest.replace(&hash(&original), &hash("{\"Statement\":[]}")),
    )
    .unwrap();
    let out = with_config(
        tmp.path(),
        &demo_config(tmp.path()),
        &["rollback", "--yes", run_dir.to_str().unwrap()],
    )
    .expect(1);
    assert!(out.stdout.contains("is a symbolic link"), "{}", out.stdout);
    assert!(
        policy_of(tmp.path(), "demo-data")
            .unwrap()
            .contains("BucketFenceDenyUnlisted"),
        "left as it was"
    );
}
