//! Waiters (`client.wait_until_job_done().id(..).wait(max_wait)`) against a server whose job
//! changes state as it is polled (tests/fixtures/models/waiters.smithy): every matcher and
//! comparator, success and failure states, retried errors, an error no acceptor expects, a
//! timeout, and an input left incomplete.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fixture_waiters::client::{Client, Config, RetryConfig, WaitFinished, WaiterError};
use fixture_waiters::error::GetJobError;
use fixture_waiters::server::{server, ServerConfig};
use fixture_waiters::service::Jobs;
use fixture_waiters::types::{AccessDenied, GetJobInput, GetJobOutput, JobNotFound, Status, Task, Throttled};
use smithy_runtime::client::ServiceTransport;

/// What the job service answers to one GetJob.
#[derive(Clone)]
enum Reply {
    Job(Status, &'static [Status]),
    NotFound,
    Throttled,
    Denied,
}

/// Answers GetJob with the script's replies in turn, the last one for ever after.
struct Script {
    replies: Vec<Reply>,
    calls: Arc<Mutex<usize>>,
}

impl Jobs for Script {
    async fn get_job(&self, input: GetJobInput) -> Result<GetJobOutput, GetJobError> {
        let call = {
            let mut calls = self.calls.lock().unwrap();
            *calls += 1;
            *calls
        };
        let reply = self.replies[(call - 1).min(self.replies.len() - 1)].clone();
        match reply {
            Reply::Job(status, tasks) => {
                let tasks = tasks.iter().map(|status| Task::builder().status(status.clone()).build()).collect();
                Ok(GetJobOutput::builder().id(input.id()).status(status).tasks(tasks).build()?)
            }
            Reply::NotFound => Err(JobNotFound::builder().message("no such job").build().into()),
            Reply::Throttled => Err(Throttled::builder().message("slow down").build().into()),
            Reply::Denied => Err(AccessDenied::builder().message("not yours").build().into()),
        }
    }
}

/// A client of a server playing `replies`, and the count of calls it took.
fn client(replies: Vec<Reply>) -> (Client, Arc<Mutex<usize>>) {
    let calls = Arc::new(Mutex::new(0));
    let script = Script { replies, calls: Arc::clone(&calls) };
    let transport = ServiceTransport::new(server(script, ServerConfig::new()));
    let config = Config::new().endpoint_url("http://jobs.local").retry(RetryConfig::disabled()).transport(transport);
    (Client::new(config).unwrap(), calls)
}

const MS: Duration = Duration::from_millis(1);
const RUNNING: Reply = Reply::Job(Status::Running, &[]);

#[tokio::test]
async fn job_done_succeeds_once_the_job_is_done_after_retrying_throttles() {
    let (client, calls) = client(vec![RUNNING, Reply::Throttled, RUNNING, Reply::Job(Status::Done, &[])]);
    let waiter = client.wait_until_job_done().id("j-1").min_delay(MS).max_delay(4 * MS);
    let finished = waiter.wait(Duration::from_secs(10)).await.unwrap();
    let WaitFinished::Output(output) = finished else { panic!("{finished:?}") };
    assert_eq!((output.id(), output.status()), ("j-1", &Status::Done));
    assert_eq!(*calls.lock().unwrap(), 4);
}

#[tokio::test]
async fn a_failure_state_stops_the_wait() {
    let (client, calls) = client(vec![RUNNING, Reply::Job(Status::Failed, &[])]);
    let error = client.wait_until_job_done().id("j-1").min_delay(MS).wait(Duration::from_secs(10)).await.unwrap_err();
    let WaiterError::FailureState { waiter: "JobDone", last: WaitFinished::Output(output) } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(output.status(), &Status::Failed);
    assert_eq!(*calls.lock().unwrap(), 2);
    assert!(error.to_string().starts_with("waiter JobDone: "), "{error}");
}

#[tokio::test]
async fn an_error_no_acceptor_expects_ends_the_wait_with_it() {
    let (client, calls) = client(vec![RUNNING, Reply::Denied, RUNNING]);
    let error = client.wait_until_job_done().id("j-1").min_delay(MS).wait(Duration::from_secs(10)).await.unwrap_err();
    let WaiterError::Operation { error: GetJobError::AccessDenied(_), .. } = &error else { panic!("{error:?}") };
    assert_eq!(*calls.lock().unwrap(), 2, "no call after the unexpected error");
    assert!(error.to_string().contains("AccessDenied: not yours"), "{error}");
}

#[tokio::test]
async fn the_wait_times_out_with_a_clear_error() {
    let (client, calls) = client(vec![RUNNING]);
    let started = Instant::now();
    let max_wait = Duration::from_millis(300);
    let waiter = client.wait_until_job_done().id("j-1").min_delay(10 * MS).max_delay(40 * MS);
    let error = waiter.wait(max_wait).await.unwrap_err();
    let WaiterError::Timeout { waiter: "JobDone", attempts, .. } = error else { panic!("{error:?}") };
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}, far beyond {max_wait:?}");
    assert!(elapsed + 10 * MS >= max_wait, "gave up after {elapsed:?}, before {max_wait:?} ran out");
    assert!(attempts >= 5, "{attempts} calls: backoff should start at 10 ms and stay at most 40 ms");
    assert_eq!(attempts as usize, *calls.lock().unwrap());
    assert_eq!(error.to_string(), format!("waiter JobDone: gave up after {max_wait:?} and {attempts} calls"));
}

#[tokio::test]
async fn the_last_call_is_made_at_the_deadline_even_within_the_minimum_delay() {
    let (client, calls) = client(vec![RUNNING, Reply::Job(Status::Done, &[])]);
    let started = Instant::now();
    let waiter = client.wait_until_job_done().id("j-1").min_delay(Duration::from_secs(5));
    let finished = waiter.wait(Duration::from_millis(100)).await;
    assert!(matches!(finished, Ok(WaitFinished::Output(_))), "{finished:?}");
    assert_eq!(*calls.lock().unwrap(), 2);
    assert!(started.elapsed() < Duration::from_secs(4), "slept the minimum delay instead of what was left");
}

#[tokio::test]
async fn job_gone_succeeds_on_the_error_it_waits_for() {
    let (client, calls) = client(vec![RUNNING, RUNNING, Reply::NotFound]);
    let finished = client.wait_until_job_gone().id("j-1").min_delay(MS).wait(Duration::from_secs(10)).await.unwrap();
    let WaitFinished::Error(GetJobError::JobNotFound(_)) = finished else { panic!("{finished:?}") };
    assert_eq!(*calls.lock().unwrap(), 3);
}

#[tokio::test]
async fn all_and_any_string_equals_look_at_every_task() {
    use Status::{Done, Failed, Running};
    let replies =
        vec![Reply::Job(Running, &[]), Reply::Job(Running, &[Done, Running]), Reply::Job(Running, &[Done, Done])];
    let (tasks_client, calls) = client(replies);
    let done = tasks_client.wait_until_tasks_done().id("j-1").min_delay(MS).wait(Duration::from_secs(10)).await;
    assert!(matches!(done, Ok(WaitFinished::Output(_))), "{done:?}");
    assert_eq!(*calls.lock().unwrap(), 3, "no tasks is not all done; one running task is not either");

    let (failing, _) = client(vec![Reply::Job(Running, &[Done, Failed, Running])]);
    let failed = failing.wait_until_tasks_done().id("j-1").min_delay(MS).wait(Duration::from_secs(10)).await;
    assert!(matches!(failed, Err(WaiterError::FailureState { .. })), "{failed:?}");
}

#[tokio::test]
async fn input_output_compares_the_input_with_the_output() {
    let (client, calls) = client(vec![RUNNING, Reply::Job(Status::Running, &[Status::Running])]);
    let started = client.wait_until_job_started().id("j-1").min_delay(MS).wait(Duration::from_secs(10)).await;
    assert!(matches!(started, Ok(WaitFinished::Output(_))), "{started:?}");
    assert_eq!(*calls.lock().unwrap(), 2);
}

#[tokio::test]
async fn an_incomplete_input_fails_before_any_call() {
    let (client, calls) = client(vec![RUNNING]);
    let error = client.wait_until_job_done().wait(Duration::from_secs(10)).await.unwrap_err();
    let WaiterError::Operation { error, .. } = error else { panic!("{error:?}") };
    assert_eq!(error.code(), "ConstructionFailure");
    assert!(error.to_string().contains("`id`"), "{error}");
    assert_eq!(*calls.lock().unwrap(), 0);
}
