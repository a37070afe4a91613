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

/// The bytes of `--NAME TEXT` (UTF-8) or `--NAME-base64 BASE64` (any bytes, standard base64
/// with padding), whichever is given; `Ok(None)` when neither is, an error when both are or
/// the base64 is not.
pub fn bytes_flag(args: &[String], name: &str) -> Result<Option<Vec<u8>>, String> {
    use base64::Engine as _;
    let base64_name = format!("{name}-base64");
    match (flag(args, name), flag(args, &base64_name)) {
        (None, None) => Ok(None),
        (Some(text), None) => Ok(Some(text.into_bytes())),
        (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map(Some)
            .map_err(|error| format!("{base64_name}: not base64: {error}")),
        (Some(_), Some(_)) => Err(format!("give {name} or {base64_name}, not both")),
    }
}

/// `bytes` as standard base64 with padding, as [`bytes_flag`] reads it.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|arg| (*arg).to_owned()).collect()
    }

    #[test]
    fn bytes_flag_reads_text_or_base64() {
        assert_eq!(bytes_flag(&args(&["--body", "{}"]), "--body"), Ok(Some(b"{}".to_vec())));
        let binary = [0xbf, 0x00, 0xff, 0x80];
        let given = args(&["--addr", "x", "--body-base64", &base64(&binary)]);
        assert_eq!(bytes_flag(&given, "--body"), Ok(Some(binary.to_vec())));
        assert_eq!(bytes_flag(&args(&["--addr", "x"]), "--body"), Ok(None));
        // An empty body is a body.
        assert_eq!(bytes_flag(&args(&["--body-base64", ""]), "--body"), Ok(Some(Vec::new())));
    }

    #[test]
    fn bytes_flag_refuses_both_and_bad_base64() {
        let both = args(&["--body", "{}", "--body-base64", "e30="]);
        assert!(bytes_flag(&both, "--body").unwrap_err().contains("not both"));
        let bad = args(&["--response-base64", "not base64!"]);
        assert!(bytes_flag(&bad, "--response").unwrap_err().starts_with("--response-base64: not base64"));
    }

    #[test]
    fn base64_round_trips_every_byte() {
        let every: Vec<u8> = (0..=255).collect();
        let given = args(&["--body-base64", &base64(&every)]);
        assert_eq!(bytes_flag(&given, "--body").unwrap(), Some(every));
    }
}
