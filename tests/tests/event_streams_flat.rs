//! 100,000 events each way through one event-stream call over real TCP: the client makes its
//! events as they are sent, the server's handler echoes each one as it arrives, and the client
//! checks them in order as they come back, with every message signed by the client and
//! verified by the server; the process's peak RSS must stay flat (under 64 MiB). Its own test
//! binary (one test), so no other test's memory counts in the figure (`VmHWM` is per process).
//!
//! `cargo test --release -p integration-tests --test event_streams_flat -- --nocapture` prints
//! the time, events per second and peak RSS.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::time::{Duration, Instant};

use fixture_event_streams::client::{Client, Config, RetryConfig};
use fixture_event_streams::error::*;
use fixture_event_streams::server::{serve, server, ServerConfig};
use fixture_event_streams::service::Events;
use fixture_event_streams::types::*;
use futures_util::StreamExt;
use smithy_runtime::EventStream;

const EVENTS: i32 = 100_000;
const RSS_LIMIT_KIB: u64 = 64 * 1024;
const KEY: (&str, &str) = ("AKIDFLAT", "flat-secret");

/// Echoes the Echo operation's stream; the other operations are not used here.
struct EchoOnly;

impl Events for EchoOnly {
    async fn chat(&self, _: ChatInput) -> Result<ChatOutput, ChatError> {
        Err(smithy_runtime::error::Unhandled::new("NotUsed", None, 501).into())
    }

    async fn upload(&self, _: UploadInput) -> Result<UploadOutput, UploadError> {
        Err(smithy_runtime::error::Unhandled::new("NotUsed", None, 501).into())
    }

    async fn echo(&self, input: EchoInput) -> Result<EchoOutput, EchoError> {
        Ok(EchoOutput::builder().events(EventStream::from_stream(input.events)).build().unwrap())
    }
}

fn token(seq: i32) -> ChatEvents {
    ChatEvents::Token(Token::builder().seq(seq).text(format!("token number {seq}")).build().unwrap())
}

/// The process's peak resident set size so far, in KiB (`VmHWM`).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_events_each_way_in_flat_memory() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(serve(
        listener,
        server(EchoOnly, ServerConfig::new().access_key(KEY.0, KEY.1)),
        async {
            let _ = stopped.await;
        },
        Duration::from_secs(1),
    ));
    let config = Config::new()
        .endpoint_url(format!("http://{address}"))
        .region("us-east-1")
        .credentials(KEY.0, KEY.1, None)
        .retry(RetryConfig::disabled());
    let client = Client::new(config).unwrap();
    let before = peak_rss_kib();
    let started = Instant::now();
    let outgoing = futures_util::stream::iter(0..EVENTS).map(|seq| Ok::<_, std::io::Error>(token(seq)));
    let output = client.echo().events(EventStream::from_stream(outgoing)).send().await.unwrap();
    let mut echoed = output.events;
    let mut received = 0;
    while let Some(event) = echoed.recv().await.unwrap() {
        assert_eq!(event, token(received));
        received += 1;
    }
    let elapsed = started.elapsed();
    let peak = peak_rss_kib();
    let _ = stop.send(());
    serving.await.unwrap();
    println!(
        "event streams: {EVENTS} signed events each way in {:.2} s ({:.0} events/s each way), peak RSS {} KiB ({} KiB before)",
        elapsed.as_secs_f64(),
        f64::from(EVENTS) / elapsed.as_secs_f64(),
        peak,
        before
    );
    assert_eq!(received, EVENTS);
    assert!(peak < RSS_LIMIT_KIB, "peak RSS {peak} KiB is over {RSS_LIMIT_KIB} KiB");
}
