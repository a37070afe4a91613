//! A local CloudWatch Logs (awsJson1_1) over in-memory log groups: CreateLogGroup,
//! CreateLogStream, PutLogEvents and GetLogEvents, as an implementation of the generated
//! [`CloudWatchLogs`] trait.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use fixture_logs::error::{CreateLogGroupError, CreateLogStreamError, GetLogEventsError, PutLogEventsError};
use fixture_logs::service::CloudWatchLogs;
use fixture_logs::types::{
    CreateLogGroupInput, CreateLogGroupOutput, CreateLogStreamInput, CreateLogStreamOutput, GetLogEventsInput,
    GetLogEventsOutput, InvalidParameterException, OutputLogEvent, PutLogEventsInput, PutLogEventsOutput,
    ResourceAlreadyExistsException, ResourceNotFoundException,
};

/// The most events GetLogEvents returns when the request sets no limit (the real service's).
const DEFAULT_LIMIT: usize = 10_000;

/// A local CloudWatch Logs: log groups by name, each with its streams and their events.
#[derive(Debug, Default)]
pub struct LogsLocal {
    groups: Mutex<BTreeMap<String, BTreeMap<String, Vec<OutputLogEvent>>>>,
}

impl LogsLocal {
    /// A service with no log groups.
    pub fn new() -> Self {
        Self::default()
    }

    fn groups(&self) -> MutexGuard<'_, BTreeMap<String, BTreeMap<String, Vec<OutputLogEvent>>>> {
        // Every change is one insert or one extend: a panic cannot leave a stream half-written.
        self.groups.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn not_found(what: &str) -> ResourceNotFoundException {
    ResourceNotFoundException::builder().message(format!("The specified {what} does not exist.")).build()
}

fn already_exists(what: &str) -> ResourceAlreadyExistsException {
    ResourceAlreadyExistsException::builder().message(format!("The specified {what} already exists")).build()
}

fn invalid(message: &str) -> InvalidParameterException {
    InvalidParameterException::builder().message(message.to_owned()).build()
}

fn now_millis() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

impl CloudWatchLogs for LogsLocal {
    async fn create_log_group(&self, input: CreateLogGroupInput) -> Result<CreateLogGroupOutput, CreateLogGroupError> {
        let mut groups = self.groups();
        if groups.contains_key(&input.log_group_name) {
            return Err(CreateLogGroupError::ResourceAlreadyExistsException(already_exists("log group")));
        }
        groups.insert(input.log_group_name, BTreeMap::new());
        Ok(CreateLogGroupOutput::builder().build())
    }

    async fn create_log_stream(
        &self,
        input: CreateLogStreamInput,
    ) -> Result<CreateLogStreamOutput, CreateLogStreamError> {
        let mut groups = self.groups();
        let group = groups
            .get_mut(&input.log_group_name)
            .ok_or_else(|| CreateLogStreamError::ResourceNotFoundException(not_found("log group")))?;
        if group.contains_key(&input.log_stream_name) {
            return Err(CreateLogStreamError::ResourceAlreadyExistsException(already_exists("log stream")));
        }
        group.insert(input.log_stream_name, Vec::new());
        Ok(CreateLogStreamOutput::builder().build())
    }

    async fn put_log_events(&self, input: PutLogEventsInput) -> Result<PutLogEventsOutput, PutLogEventsError> {
        if input.log_events.windows(2).any(|pair| pair[1].timestamp < pair[0].timestamp) {
            return Err(PutLogEventsError::InvalidParameterException(invalid(
                "Log events in a single PutLogEvents request must be in chronological order.",
            )));
        }
        let mut groups = self.groups();
        let group = groups
            .get_mut(&input.log_group_name)
            .ok_or_else(|| PutLogEventsError::ResourceNotFoundException(not_found("log group")))?;
        let stream = group
            .get_mut(&input.log_stream_name)
            .ok_or_else(|| PutLogEventsError::ResourceNotFoundException(not_found("log stream")))?;
        let ingestion_time = Some(now_millis());
        stream.extend(input.log_events.into_iter().map(|event| {
            OutputLogEvent::builder()
                .timestamp(event.timestamp)
                .message(event.message)
                .set_ingestion_time(ingestion_time)
                .build()
        }));
        // Events are returned in time order, as the service does; the sort is stable.
        stream.sort_by_key(|event| event.timestamp);
        Ok(PutLogEventsOutput::builder().next_sequence_token(format!("{:056}", stream.len())).build())
    }

    async fn get_log_events(&self, input: GetLogEventsInput) -> Result<GetLogEventsOutput, GetLogEventsError> {
        let group_name = match (&input.log_group_name, &input.log_group_identifier) {
            (Some(name), None) => name.clone(),
            // An identifier may be an ARN: the group's name is what follows `log-group:`.
            (None, Some(identifier)) => {
                identifier.rsplit_once("log-group:").map_or(identifier.as_str(), |(_, name)| name).to_owned()
            }
            _ => {
                return Err(GetLogEventsError::InvalidParameterException(invalid(
                    "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
                )))
            }
        };
        let groups = self.groups();
        let group = groups
            .get(&group_name)
            .ok_or_else(|| GetLogEventsError::ResourceNotFoundException(not_found("log group")))?;
        let stream = group
            .get(&input.log_stream_name)
            .ok_or_else(|| GetLogEventsError::ResourceNotFoundException(not_found("log stream")))?;
        // The events in [start_time, end_time), by their index in the stream.
        let in_range: Vec<usize> = (0..stream.len())
            .filter(|&i| {
                let time = stream[i].timestamp.unwrap_or_default();
                input.start_time.is_none_or(|start| time >= start) && input.end_time.is_none_or(|end| time < end)
            })
            .collect();
        let limit = input.limit.and_then(|limit| usize::try_from(limit).ok()).unwrap_or(DEFAULT_LIMIT);
        // A token is `f/N` (events from position N on) or `b/N` (the events before position N).
        let (forward, position) = match input.next_token.as_deref() {
            Some(token) => parse_token(token).ok_or_else(|| {
                GetLogEventsError::InvalidParameterException(invalid("The specified nextToken is invalid."))
            })?,
            None if input.start_from_head == Some(true) => (true, 0),
            None => (false, in_range.len()),
        };
        let position = position.min(in_range.len());
        let (from, to) = if forward {
            (position, (position + limit).min(in_range.len()))
        } else {
            (position.saturating_sub(limit), position)
        };
        let events = in_range[from..to].iter().map(|&i| stream[i].clone()).collect();
        Ok(GetLogEventsOutput::builder()
            .events(events)
            .next_forward_token(format!("f/{to:020}"))
            .next_backward_token(format!("b/{from:020}"))
            .build())
    }
}

fn parse_token(token: &str) -> Option<(bool, usize)> {
    let (direction, position) = token.split_once('/')?;
    let forward = match direction {
        "f" => true,
        "b" => false,
        _ => return None,
    };
    Some((forward, position.parse().ok()?))
}
