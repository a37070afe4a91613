//! Waiters: call an operation until its outcome matches one of a `@waitable` trait's
//! acceptors, with Smithy's exponential backoff and jitter between calls, within a total
//! time. The generated `client.wait_until_<name>()` supplies the acceptors and the call.

mod matcher;

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use self::matcher::Outcome;
pub use self::matcher::{Acceptor, AcceptorState, Comparator, Matcher, Searchable};

/// A waiter as the model defines it: its name, acceptors and delays.
#[derive(Debug, Clone, Copy)]
pub struct WaiterSpec {
    /// The waiter's name in the model, such as `TableExists`.
    pub name: &'static str,
    /// The acceptors, tried in order on each outcome.
    pub acceptors: &'static [Acceptor],
    /// The shortest delay between calls (`minDelay`, 2 s unless the model says).
    pub min_delay: Duration,
    /// The longest delay between calls (`maxDelay`, 120 s unless the model says).
    pub max_delay: Duration,
}

/// How a wait ended well: the last outcome, which matched a success acceptor. A success
/// can be an error (a "deleted" waiter succeeds on `NotFound`).
#[derive(Debug, Clone, PartialEq)]
pub enum WaitFinished<O, E> {
    /// The call succeeded with this output.
    Output(O),
    /// The call failed with this error, and that is what was awaited.
    Error(E),
}

/// Why a wait did not succeed.
#[derive(Debug)]
pub enum WaiterError<O, E> {
    /// A failure acceptor matched this outcome: what was awaited will not happen.
    FailureState {
        /// The waiter's name.
        waiter: &'static str,
        /// The outcome that matched.
        last: WaitFinished<O, E>,
    },
    /// The call failed with an error no acceptor expects: the wait stops with it.
    Operation {
        /// The waiter's name.
        waiter: &'static str,
        /// The error.
        error: E,
    },
    /// The time given ran out before any success or failure acceptor matched.
    Timeout {
        /// The waiter's name.
        waiter: &'static str,
        /// The time given to `wait`.
        max_wait: Duration,
        /// How many calls were made.
        attempts: u32,
    },
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FailureState { waiter, last: WaitFinished::Output(_) } => {
                write!(f, "waiter {waiter}: the resource reached a state it cannot leave for the one awaited")
            }
            Self::FailureState { waiter, last: WaitFinished::Error(error) } => {
                write!(f, "waiter {waiter}: the call failed in a way that ends the wait: {error}")
            }
            Self::Operation { waiter, error } => write!(f, "waiter {waiter}: the call failed: {error}"),
            Self::Timeout { waiter, max_wait, attempts } => {
                write!(f, "waiter {waiter}: gave up after {max_wait:?} and {attempts} calls")
            }
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Operation { error, .. } | Self::FailureState { last: WaitFinished::Error(error), .. } => Some(error),
            _ => None,
        }
    }
}

/// Calls `call` with copies of `input` until an acceptor of `spec` ends the wait or
/// `max_wait` runs out. `code` names a failed call's error (its shape name) for `errorType`
/// matchers. The first call is made at once; later ones after [`delay`], the last one at the
/// deadline. A call in flight then is not cut short: the client's own timeouts bound it.
/// Delays shorter than a millisecond are taken as one, so that a waiter never spins.
pub async fn wait<I, O, E, F, Fut>(
    spec: &WaiterSpec,
    max_wait: Duration,
    input: I,
    code: fn(&E) -> &str,
    mut call: F,
) -> Result<WaitFinished<O, E>, WaiterError<O, E>>
where
    I: Clone + Searchable,
    O: Searchable,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    let waiter = spec.name;
    let min_delay = spec.min_delay.max(SHORTEST_DELAY);
    let max_delay = spec.max_delay.max(min_delay);
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = call(input.clone()).await;
        match accept(spec, &input, &result, code) {
            Some(AcceptorState::Success) => return Ok(finished(result)),
            Some(AcceptorState::Failure) => return Err(WaiterError::FailureState { waiter, last: finished(result) }),
            Some(AcceptorState::Retry) => {}
            // An error no acceptor expects ends the wait; an output none matches is retried.
            None => {
                if let Err(error) = result {
                    return Err(WaiterError::Operation { waiter, error });
                }
            }
        }
        let remaining = max_wait.saturating_sub(started.elapsed());
        match delay(min_delay, max_delay, attempts, remaining, fastrand::f64()) {
            Some(pause) => tokio::time::sleep(pause).await,
            None => return Err(WaiterError::Timeout { waiter, max_wait, attempts }),
        }
    }
}

/// The least pause between calls, whatever a caller asks for.
const SHORTEST_DELAY: Duration = Duration::from_millis(1);

/// The state of the first acceptor that matches the result, if any.
fn accept<I: Searchable, O: Searchable, E>(
    spec: &WaiterSpec,
    input: &I,
    result: &Result<O, E>,
    code: fn(&E) -> &str,
) -> Option<AcceptorState> {
    let outcome = match result {
        Ok(output) => Outcome::Output { input, output },
        Err(error) => Outcome::Error(code(error)),
    };
    spec.acceptors.iter().find(|acceptor| acceptor.matcher.matches(&outcome)).map(|acceptor| acceptor.state)
}

fn finished<O, E>(result: Result<O, E>) -> WaitFinished<O, E> {
    match result {
        Ok(output) => WaitFinished::Output(output),
        Err(error) => WaitFinished::Error(error),
    }
}

/// The pause before call number `attempts + 1`, as Smithy's waiter specification computes
/// it: `min_delay * 2^(attempts - 1)` capped at `max_delay`, then a uniformly random point
/// between `min_delay` and that (`jitter` in `[0, 1)`). When less than `min_delay` would be
/// left after it, the pause is all of `remaining`, for one last call at the deadline. `None`
/// once no time is left.
pub fn delay(
    min_delay: Duration,
    max_delay: Duration,
    attempts: u32,
    remaining: Duration,
    jitter: f64,
) -> Option<Duration> {
    if remaining.is_zero() {
        return None;
    }
    let max_delay = max_delay.max(min_delay);
    let exponent = attempts.saturating_sub(1).min(31);
    let ceiling = min_delay.checked_mul(1u32 << exponent).unwrap_or(max_delay).min(max_delay);
    let pause = min_delay + (ceiling - min_delay).mul_f64(jitter.clamp(0.0, 1.0));
    Some(if remaining.saturating_sub(pause) <= min_delay { remaining } else { pause })
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn delays_grow_exponentially_within_the_bounds() {
        let (min, max, plenty) = (2 * S, 120 * S, 3600 * S);
        assert_eq!(delay(min, max, 1, plenty, 0.999), Some(min), "the first delay is the minimum");
        assert_eq!(delay(min, max, 3, plenty, 0.0), Some(min), "no jitter is the minimum");
        assert_eq!(delay(min, max, 3, plenty, 0.5), Some(5 * S), "half-way between 2 s and 8 s");
        assert_eq!(delay(min, max, 40, plenty, 0.5), Some(61 * S), "capped at the maximum");
        assert_eq!(delay(min, max, 4, 10 * S, 0.999), Some(10 * S), "one last call at the deadline");
        assert_eq!(delay(min, max, 1, 3 * S, 0.0), Some(3 * S), "less than the minimum would be left");
        assert_eq!(delay(min, max, 4, Duration::ZERO, 0.5), None, "no time for another call");
    }
}
