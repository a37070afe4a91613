//! What the measuring tools of `cargo xtask bench` share: command-line flags, the process
//! clocks (CPU time, peak memory of a child) and the JSON line each tool prints.
//!
//! Each tool prints one JSON object on standard output; the xtask reads it, builds the table
//! and keeps the raw figures.

use std::time::Duration;

/// The value of `--name VALUE` in `args`, if given.
pub fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|arg| arg == name).and_then(|at| args.get(at + 1)).cloned()
}

/// Every value of a repeatable `--name VALUE`, in order.
pub fn flags(args: &[String], name: &str) -> Vec<String> {
    args.windows(2).filter(|pair| pair[0] == name).map(|pair| pair[1].clone()).collect()
}

/// The value of `--name VALUE`, or `default`.
pub fn flag_or(args: &[String], name: &str, default: &str) -> String {
    flag(args, name).unwrap_or_else(|| default.to_owned())
}

/// The value of `--name N` as a number, or `default`; exits with a message when it is not one.
pub fn number_flag(args: &[String], name: &str, default: u64) -> u64 {
    match flag(args, name) {
        None => default,
        Some(text) => text.parse().unwrap_or_else(|_| fail(&format!("{name}: expected a number, got {text:?}"))),
    }
}

/// Prints `message` and exits with status 2.
pub fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}

/// `AKID:SECRET` as a pair.
pub fn credentials(text: &str) -> (String, String) {
    match text.split_once(':') {
        Some((id, secret)) => (id.to_owned(), secret.to_owned()),
        None => fail("expected credentials as AKID:SECRET"),
    }
}

/// CPU time (user and system, every thread) this process has used so far.
pub fn cpu_time() -> Duration {
    // SAFETY: getrusage writes into the zeroed struct it is given and nothing else.
    #[allow(unsafe_code)]
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    timeval(usage.ru_utime) + timeval(usage.ru_stime)
}

fn timeval(value: libc::timeval) -> Duration {
    Duration::from_secs(value.tv_sec.max(0) as u64) + Duration::from_micros(value.tv_usec.max(0) as u64)
}

/// How a child process ended: its exit code and the most memory it held.
#[derive(Debug, Clone, Copy)]
pub struct Exit {
    /// The exit status as `waitpid` reports it (0 for success).
    pub status: i32,
    /// Peak resident set size in KiB.
    pub max_rss_kib: u64,
    /// CPU time, user and system, every thread.
    pub cpu: Duration,
}

/// Waits for the child `pid` and reports its peak resident set size, which only `wait4` can
/// tell once the process is gone.
pub fn wait_with_rusage(pid: u32) -> std::io::Result<Exit> {
    let mut status = 0;
    // SAFETY: wait4 writes into the zeroed struct and the status integer it is given.
    #[allow(unsafe_code)]
    let (result, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let result = libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage);
        (result, usage)
    };
    if result < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let cpu = timeval(usage.ru_utime) + timeval(usage.ru_stime);
    Ok(Exit { status, max_rss_kib: usage.ru_maxrss.max(0) as u64, cpu })
}

/// The median of `values` (the mean of the middle two for an even count); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}
