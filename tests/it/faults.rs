//! Fault injection: a small HTTP proxy between the binary and moto that can answer a chosen request
//! with an error, delay it, or drop the connection. moto itself never throttles or fails, so this is
//! the one place the suite stands in for AWS misbehaving; every request it does not fault goes to
//! the real server. In every scenario each bucket must end with its old policy or the new one, and
//! the report must say which.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bucketfence::policy::canonical::same_policy;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::harness::run;
use crate::moto::MotoAccount;

#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Answer with this status and S3 error code.
    Respond(u16, &'static str),
    /// Close the connection without answering.
    Drop,
    /// Forward, but only after this long.
    Delay(Duration),
}

/// Which requests a rule applies to, and how many times (None: every time).
#[derive(Clone, Debug)]
pub struct Rule {
    pub method: &'static str,
    pub path_prefix: String,
    pub query: &'static str,
    pub times: Option<usize>,
    pub fault: Fault,
    pub hits: Arc<AtomicUsize>,
}

impl Rule {
    pub fn new(
        method: &'static str,
        path_prefix: &str,
        query: &'static str,
        times: Option<usize>,
        fault: Fault,
    ) -> Rule {
        Rule {
            method,
            path_prefix: path_prefix.into(),
            query,
            times,
            fault,
            hits: Arc::new(AtomicUsize::new(0)),
        }
    }
}

pub struct Proxy {
    pub url: String,
}

impl Proxy {
    pub async fn start(upstream: &str, rules: Vec<Rule>) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_string();
        let rules = Arc::new(Mutex::new(rules));
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                let (upstream, rules) = (upstream.clone(), rules.clone());
                tokio::spawn(async move {
                    let _ = serve(client, &upstream, &rules).await;
                });
            }
        });
        Proxy { url }
    }
}

/// One request per connection: read it, decide, answer, close.
async fn serve(
    mut client: TcpStream,
    upstream: &str,
    rules: &Mutex<Vec<Rule>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 8192];
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        })
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let mut chunk = [0u8; 8192];
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let mut first = head.lines().next().unwrap_or("").split(' ');
    let (method, target) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let fault = {
        let rules = rules.lock().unwrap();
        rules.iter().find_map(|r| {
            let matches =
                r.method == method && path.starts_with(&r.path_prefix) && query.contains(r.query);
            if !matches {
                return None;
            }
            let hit = r.hits.fetch_add(1, Ordering::SeqCst);
            r.times.is_none_or(|t| hit < t).then_some(r.fault)
        })
    };
    match fault {
        Some(Fault::Drop) => return Ok(()),
        Some(Fault::Respond(status, code)) => {
            let body = format!("<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>injected {code}</Message></Error>");
            let reply = format!(
                "HTTP/1.1 {status} Injected\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            client.write_all(reply.as_bytes()).await?;
            return client.shutdown().await;
        }
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    // Forward with `Connection: close` so the upstream's answer ends at EOF.
    let mut request = Vec::new();
    for line in head[..head_end - 4].split("\r\n") {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            request.extend_from_slice(line.as_bytes());
            request.extend_from_slice(b"\r\n");
        }
    }
    request.extend_from_slice(b"Connection: close\r\n\r\n");
    request.extend_from_slice(&buf[head_end..]);
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(&request).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    client.write_all(&response).await?;
    client.shutdown().await
}

const OLD: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyHttp","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::BUCKET/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

/// Five buckets (three with a policy), a proxy with `rules`, one `apply --yes` through it.
/// Returns the run and, per bucket, (old policy, policy now).
type States = Vec<(String, Option<String>, Option<String>)>;

async fn scenario(
    rules: impl Fn(&MotoAccount) -> Vec<Rule>,
) -> (crate::harness::Run, States, Vec<Rule>) {
    let acct = MotoAccount::new().await;
    acct.role("deployer").await;
    let mut buckets = Vec::new();
    for i in 0..5 {
        let b = acct.bucket(&format!("f{i}"));
        let old = (i % 2 == 0).then(|| OLD.replace("BUCKET", &b));
        acct.create_bucket(&b, None, old.as_deref()).await;
        buckets.push((b, old));
    }
    let rules = rules(&acct);
    let proxy = Proxy::start(&acct.url, rules.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let include = format!("bf-{}-f*", acct.id);
    std::fs::write(
        dir.path().join("bucketfence.toml"),
        format!("[allow]\nroles = [\"deployer\"]\n[buckets]\ninclude = [\"{include}\"]\n"),
    )
    .unwrap();
    let mut cmd = acct.command_via(dir.path(), &proxy.url);
    cmd.args(["apply", "--yes"]);
    let out = tokio::task::spawn_blocking(move || run(cmd, &[]))
        .await
        .unwrap();
    let mut states = Vec::new();
    for (b, old) in buckets {
        let now = acct.policy(&b).await;
        states.push((b, old, now));
    }
    (out, states, rules)
}

/// Every bucket holds its old policy or a fenced one; returns the names of the fenced ones.
fn old_or_new(states: &States) -> Vec<String> {
    let mut fenced = Vec::new();
    for (b, old, now) in states {
        let is_old = now == old;
        let is_new = now
            .as_deref()
            .is_some_and(|t| t.contains("BucketFenceDenyUnlisted") && same_policy(t, t).is_ok());
        assert!(
            is_old || is_new,
            "{b} holds neither its old policy nor the fenced one: {now:?}"
        );
        if is_new {
            fenced.push(b.clone());
        }
    }
    fenced
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried_until_they_pass() {
    let (out, states, rules) = scenario(|_| {
        vec![
            Rule::new(
                "PUT",
                "/",
                "policy",
                Some(2),
                Fault::Respond(503, "SlowDown"),
            ),
            Rule::new(
                "GET",
                "/",
                "policy",
                Some(2),
                Fault::Respond(500, "InternalError"),
            ),
        ]
    })
    .await;
    let out = out.expect(0);
    assert!(
        out.stdout
            .contains("Applied 5, unchanged 0, skipped 0, failed 0."),
        "{}",
        out.stdout
    );
    assert_eq!(old_or_new(&states).len(), 5);
    assert!(
        rules.iter().all(|r| r.hits.load(Ordering::SeqCst) > 2),
        "each fault was hit, then retried past"
    );
}

#[tokio::test]
async fn dropped_connections_and_delays_are_survived() {
    let (out, states, _) = scenario(|_| {
        vec![
            Rule::new("GET", "/", "policy", Some(1), Fault::Drop),
            Rule::new(
                "PUT",
                "/",
                "policy",
                Some(1),
                Fault::Delay(Duration::from_millis(1500)),
            ),
        ]
    })
    .await;
    let out = out.expect(0);
    assert!(out.stdout.contains("Applied 5"), "{}", out.stdout);
    assert_eq!(old_or_new(&states).len(), 5);
}

#[tokio::test]
async fn a_permanently_failing_put_fails_that_bucket_only_and_says_so() {
    let (out, states, rules) = scenario(|acct| {
        vec![Rule::new(
            "PUT",
            &format!("/{}", acct.bucket("f2")),
            "policy",
            None,
            Fault::Respond(400, "MalformedPolicy"),
        )]
    })
    .await;
    let out = out.expect(1);
    let failed = states[2].0.clone();
    assert!(
        out.stdout.contains(&format!("failed  {failed}: writing the policy: MalformedPolicy: injected MalformedPolicy; the policy is as it was")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Applied 4, unchanged 0, skipped 0, failed 1."),
        "{}",
        out.stdout
    );
    let fenced = old_or_new(&states);
    assert!(
        !fenced.contains(&failed),
        "the failed bucket keeps its old policy"
    );
    assert_eq!(fenced.len(), 4);
    assert_eq!(
        rules[0].hits.load(Ordering::SeqCst),
        1,
        "a permanent error is not retried"
    );
}

#[tokio::test]
async fn access_denied_is_not_retried_and_names_the_cause() {
    let (out, states, rules) = scenario(|acct| {
        vec![Rule::new(
            "PUT",
            &format!("/{}", acct.bucket("f1")),
            "policy",
            None,
            Fault::Respond(403, "AccessDenied"),
        )]
    })
    .await;
    let out = out.expect(1);
    assert!(
        out.stdout.contains("access denied: injected AccessDenied"),
        "{}",
        out.stdout
    );
    assert_eq!(old_or_new(&states).len(), 4);
    assert_eq!(
        rules[0].hits.load(Ordering::SeqCst),
        1,
        "AccessDenied is not retried"
    );
}
