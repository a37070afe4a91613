//! 1 GiB through a `@streaming` operation over real TCP: the client generates the bytes as
//! they are sent, the server hands them to the handler unread, the handler echoes them as its
//! streamed output, and the client checks their length and checksum as they come back, all
//! in one process whose peak RSS must stay under 64 MiB. Its own test binary (one test), so
//! no other test's memory counts in the figure (`/proc/self/status` `VmHWM` is per process).
//!
//! `cargo test --release -p integration-tests --test streaming_gib -- --nocapture` prints the
//! time, throughput and peak RSS; `cargo xtask test` runs it so.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use fixture_streaming::client::{Client, Config, RetryConfig};
use fixture_streaming::error::*;
use fixture_streaming::server::{serve, server, ServerConfig};
use fixture_streaming::service::Streaming;
use fixture_streaming::types::*;
use smithy_runtime::ByteStream;

const TOTAL: u64 = 1 << 30;
const CHUNK: usize = 64 * 1024;
const RSS_LIMIT_KIB: u64 = 64 * 1024;

/// Echoes the Echo operation's stream; the other operations are not used here.
struct EchoOnly;

impl Streaming for EchoOnly {
    async fn upload(&self, _: UploadInput) -> Result<UploadOutput, UploadError> {
        Err(smithy_runtime::error::Unhandled::new("NotUsed", None, 501).into())
    }

    async fn download(&self, _: DownloadInput) -> Result<DownloadOutput, DownloadError> {
        Err(smithy_runtime::error::Unhandled::new("NotUsed", None, 501).into())
    }

    async fn echo(&self, input: EchoInput) -> Result<EchoOutput, EchoError> {
        Ok(EchoOutput::builder().set_note(input.note).body(input.body).build())
    }

    async fn put_small(&self, _: PutSmallInput) -> Result<PutSmallOutput, PutSmallError> {
        Err(smithy_runtime::error::Unhandled::new("NotUsed", None, 501).into())
    }

    async fn put_sized(&self, _: PutSizedInput) -> Result<PutSizedOutput, PutSizedError> {
        Err(smithy_runtime::error::Unhandled::new("NotUsed", None, 501).into())
    }
}

/// A Fletcher-style checksum: position-sensitive, independent of how the bytes are chunked.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
struct Checksum {
    a: u64,
    b: u64,
}

impl Checksum {
    fn add(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.a = self.a.wrapping_add(u64::from(byte));
            self.b = self.b.wrapping_add(self.a);
        }
    }
}

/// Chunk number `n` of the generated data: pseudo-random words (xorshift), so a dropped or
/// reordered chunk changes the checksum.
fn chunk(n: u64) -> Bytes {
    let mut state = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut bytes = Vec::with_capacity(CHUNK);
    while bytes.len() < CHUNK {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    Bytes::from(bytes)
}

/// The generated upload: `TOTAL` bytes made as they are sent, with their checksum recorded
/// in `sent` once the last chunk is out. A live stream of unknown length: sent chunked.
fn generated(sent: Arc<(AtomicU64, AtomicU64)>) -> ByteStream {
    let chunks = TOTAL / CHUNK as u64;
    let stream = futures_util::stream::unfold((0u64, Checksum::default()), move |(n, mut sum)| {
        let sent = Arc::clone(&sent);
        async move {
            if n == chunks {
                sent.0.store(sum.a, Ordering::SeqCst);
                sent.1.store(sum.b, Ordering::SeqCst);
                return None;
            }
            let bytes = chunk(n);
            sum.add(&bytes);
            Some((Ok::<_, std::io::Error>(bytes), (n + 1, sum)))
        }
    });
    ByteStream::from_stream(stream)
}

/// The process's peak resident set size so far, in KiB (`VmHWM`).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_gib_goes_client_server_handler_and_back_in_under_64_mib() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(serve(
        listener,
        server(EchoOnly, ServerConfig::new()),
        async {
            let _ = stopped.await;
        },
        Duration::from_secs(1),
    ));
    let config = Config::new().endpoint_url(format!("http://{address}")).retry(RetryConfig::disabled());
    let client = Client::new(config).unwrap();
    let before = peak_rss_kib();
    let started = Instant::now();
    let sent = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    let input = EchoInput::builder().note("gib").body(generated(Arc::clone(&sent))).build();
    let mut output = Streaming::echo(&client, input).await.unwrap();
    assert_eq!(output.note.as_deref(), Some("gib"));
    let (mut received, mut sum) = (0u64, Checksum::default());
    while let Some(chunk) = output.body.next().await {
        let chunk = chunk.unwrap();
        received += chunk.len() as u64;
        sum.add(&chunk);
    }
    let elapsed = started.elapsed();
    let peak = peak_rss_kib();
    let _ = stop.send(());
    serving.await.unwrap();
    let mib_per_s = TOTAL as f64 / (1024.0 * 1024.0) / elapsed.as_secs_f64();
    println!(
        "streaming 1 GiB round trip: {:.2} s, {mib_per_s:.0} MiB/s each way, peak RSS {} KiB ({} KiB before)",
        elapsed.as_secs_f64(),
        peak,
        before
    );
    assert_eq!(received, TOTAL);
    assert_eq!(sum, Checksum { a: sent.0.load(Ordering::SeqCst), b: sent.1.load(Ordering::SeqCst) });
    assert!(peak < RSS_LIMIT_KIB, "peak RSS {peak} KiB is over {RSS_LIMIT_KIB} KiB");
}
