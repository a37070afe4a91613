//! `client-bench --url URL --credentials AKID:SECRET [--seconds S] [--rounds R]
//! [--concurrency C]`: the generated client and aws-sdk-chime make the same UpdateUser call
//! against one server, in turns (ours, the SDK's, ours, ...) so that both see the same
//! machine. Each turn runs C tasks sharing one client for S seconds after a short warm-up;
//! it prints calls/s and CPU time per call (this process, every thread) for each, as JSON.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::{cpu_time, credentials, fail, flag, number_flag};

const ACCOUNT_ID: &str = "12a3456b-7c89-012d-3456-78901e23fg45";
const USER_ID: &str = "1ab2345c-67de-8901-f23g-45h678901j2k";
const WARMUP: Duration = Duration::from_millis(500);

/// The two clients under test, each able to make the call once.
#[derive(Clone)]
enum Subject {
    Ours(chime::client::Client),
    Sdk(aws_sdk_chime::Client),
}

impl Subject {
    fn name(&self) -> &'static str {
        match self {
            Subject::Ours(_) => "ours",
            Subject::Sdk(_) => "aws-sdk-chime",
        }
    }

    /// One UpdateUser call; checks that the answer names the user.
    async fn call(&self) {
        let user_id = match self {
            Subject::Ours(client) => {
                // The fluent call, as the SDK's below: builder, send, read.
                let output = client
                    .update_user()
                    .account_id(ACCOUNT_ID)
                    .user_id(USER_ID)
                    .license_type(chime::types::License::Basic)
                    .send()
                    .await
                    .unwrap_or_else(|error| fail(&format!("ours: {error}")));
                output.user.map(|user| user.user_id)
            }
            Subject::Sdk(client) => {
                let output = client
                    .update_user()
                    .account_id(ACCOUNT_ID)
                    .user_id(USER_ID)
                    .license_type(aws_sdk_chime::types::License::Basic)
                    .send()
                    .await
                    .unwrap_or_else(|error| fail(&format!("aws-sdk-chime: {error:?}")));
                output.user.map(|user| user.user_id)
            }
        };
        if user_id.as_deref() != Some(USER_ID) {
            fail("the answer does not name the user");
        }
    }
}

/// One turn's figures.
struct Turn {
    calls: u64,
    wall: Duration,
    cpu: Duration,
}

async fn turn(subject: &Subject, concurrency: u64, seconds: u64) -> Turn {
    let stop_warmup = Instant::now() + WARMUP;
    while Instant::now() < stop_warmup {
        subject.call().await;
    }
    let calls = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let cpu_before = cpu_time();
    let until = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (subject, calls) = (subject.clone(), Arc::clone(&calls));
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                subject.call().await;
                calls.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        if task.await.is_err() {
            fail("a calling task panicked");
        }
    }
    Turn { calls: calls.load(Ordering::Relaxed), wall: started.elapsed(), cpu: cpu_time() - cpu_before }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = flag(&args, "--url").unwrap_or_else(|| fail("--url is required"));
    let (id, secret) = credentials(&flag(&args, "--credentials").unwrap_or_else(|| fail("--credentials is required")));
    let seconds = number_flag(&args, "--seconds", 5).max(1);
    let rounds = number_flag(&args, "--rounds", 2).max(1);
    let concurrency = number_flag(&args, "--concurrency", 8).max(1);
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|error| fail(&format!("tokio: {error}")));
    runtime.block_on(async move {
        let config =
            chime::client::Config::new().endpoint_url(&url).region("us-east-1").credentials(&id, &secret, None);
        let ours = chime::client::Client::new(config).unwrap_or_else(|error| fail(&format!("our client: {error}")));
        let sdk_config = aws_sdk_chime::Config::builder()
            .behavior_version(aws_sdk_chime::config::BehaviorVersion::latest())
            .region(aws_sdk_chime::config::Region::new("us-east-1"))
            .endpoint_url(&url)
            .credentials_provider(aws_sdk_chime::config::Credentials::new(&id, &secret, None, None, "bench"))
            .build();
        let subjects = [Subject::Ours(ours), Subject::Sdk(aws_sdk_chime::Client::from_conf(sdk_config))];
        let mut totals = [(0u64, Duration::ZERO, Duration::ZERO); 2];
        for _ in 0..rounds {
            for (subject, total) in subjects.iter().zip(totals.iter_mut()) {
                let turn = turn(subject, concurrency, seconds).await;
                total.0 += turn.calls;
                total.1 += turn.wall;
                total.2 += turn.cpu;
            }
        }
        let mut report = serde_json::Map::new();
        for (subject, (calls, wall, cpu)) in subjects.iter().zip(totals) {
            let figures = serde_json::json!({
                "calls": calls,
                "seconds": wall.as_secs_f64(),
                "calls_per_s": calls as f64 / wall.as_secs_f64(),
                "cpu_us_per_call": cpu.as_secs_f64() * 1e6 / calls.max(1) as f64,
            });
            report.insert(subject.name().to_owned(), figures);
        }
        report.insert("concurrency".to_owned(), concurrency.into());
        println!("{}", serde_json::Value::Object(report));
    });
}
