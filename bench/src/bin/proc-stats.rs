//! `proc-stats --runs N -- COMMAND ARGS...`: runs a command N times (its output discarded)
//! and prints the wall time and CPU time of each run and the largest peak memory of any, as
//! JSON.

use std::process::{Command, Stdio};
use std::time::Instant;

use bench::{fail, median, number_flag, wait_with_rusage};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(split) = args.iter().position(|arg| arg == "--") else {
        fail("usage: proc-stats [--runs N] -- COMMAND ARGS...");
    };
    let runs = number_flag(&args[..split], "--runs", 10).max(1);
    let Some((program, rest)) = args[split + 1..].split_first() else {
        fail("no command to run");
    };
    let mut wall_ms = Vec::new();
    let mut cpu_ms = Vec::new();
    let mut max_rss_kib = 0;
    for _ in 0..runs {
        let started = Instant::now();
        // Reaped by wait4 below, which std's wait cannot do: it alone reports peak memory.
        #[allow(clippy::zombie_processes)]
        let child = Command::new(program)
            .args(rest)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| fail(&format!("cannot run {program}: {error}")));
        let exit = wait_with_rusage(child.id()).unwrap_or_else(|error| fail(&format!("wait4: {error}")));
        wall_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if exit.status != 0 {
            fail(&format!("{program} failed (wait status {})", exit.status));
        }
        max_rss_kib = max_rss_kib.max(exit.max_rss_kib);
        cpu_ms.push(exit.cpu.as_secs_f64() * 1000.0);
    }
    let min_ms = wall_ms.iter().copied().fold(f64::INFINITY, f64::min);
    let report = serde_json::json!({
        "runs": runs,
        "wall_ms": wall_ms,
        "median_ms": median(&wall_ms),
        "min_ms": min_ms,
        "cpu_ms": cpu_ms,
        "median_cpu_ms": median(&cpu_ms),
        "max_rss_kib": max_rss_kib,
    });
    println!("{report}");
}
