//! A local CloudWatch Logs (awsJson1_1) over in-memory log groups: CreateLogGroup,
//! CreateLogStream, PutLogEvents, GetLogEvents and StartLiveTail (an event stream of the
//! events put while it lasts), as an implementation of the generated [`CloudWatchLogs`] trait.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use fixture_logs::error::{
    CreateLogGroupError, CreateLogStreamError, GetLogEventsError, PutLogEventsError, StartLiveTailError,
};
use fixture_logs::service::CloudWatchLogs;
use fixture_logs::types::{
    CreateLogGroupInput, CreateLogGroupOutput, CreateLogStreamInput, CreateLogStreamOutput, GetLogEventsInput,
    GetLogEventsOutput, InvalidParameterException, LiveTailSessionLogEvent, LiveTailSessionMetadata,
    LiveTailSessionStart, LiveTailSessionUpdate, OutputLogEvent, PutLogEventsInput, PutLogEventsOutput,
    ResourceAlreadyExistsException, ResourceNotFoundException, StartLiveTailInput, StartLiveTailOutput,
    StartLiveTailResponseStream,
};
use smithy_runtime::EventStream;
use tokio::sync::broadcast;

/// How many batches of put events a live tail may fall behind before it misses some.
const LIVE_TAIL_BACKLOG: usize = 1024;

/// One PutLogEvents call, as live tails see it: the group, the stream and the events.
type PutBatch = (String, String, Vec<OutputLogEvent>);

/// The most events GetLogEvents returns when the request sets no limit (the real service's).
const DEFAULT_LIMIT: usize = 10_000;

/// A local CloudWatch Logs: log groups by name, each with its streams and their events.
#[derive(Debug)]
pub struct LogsLocal {
    groups: Mutex<BTreeMap<String, BTreeMap<String, Vec<OutputLogEvent>>>>,
    /// Every PutLogEvents batch, for the live tails open at the time.
    puts: broadcast::Sender<PutBatch>,
}

impl Default for LogsLocal {
    fn default() -> Self {
        Self::new()
    }
}

impl LogsLocal {
    /// A service with no log groups.
    pub fn new() -> Self {
        Self { groups: Mutex::default(), puts: broadcast::channel(LIVE_TAIL_BACKLOG).0 }
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
        let batch: Vec<OutputLogEvent> = input
            .log_events
            .into_iter()
            .map(|event| {
                OutputLogEvent::builder()
                    .timestamp(event.timestamp)
                    .message(event.message)
                    .set_ingestion_time(ingestion_time)
                    .build()
            })
            .collect();
        stream.extend(batch.iter().cloned());
        // No live tail open is no error: nobody is listening.
        let _ = self.puts.send((input.log_group_name.clone(), input.log_stream_name.clone(), batch));
        // Events are returned in time order, as the service does; the sort is stable.
        stream.sort_by_key(|event| event.timestamp);
        Ok(PutLogEventsOutput::builder().next_sequence_token(format!("{:056}", stream.len())).build())
    }

    async fn start_live_tail(&self, input: StartLiveTailInput) -> Result<StartLiveTailOutput, StartLiveTailError> {
        self.live_tail(input)
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

impl LogsLocal {
    /// The live tail of `input`'s groups: a session start, then a session update for each
    /// batch put to one of them (and one of its streams, when it names streams), until the
    /// caller goes away.
    pub fn live_tail(&self, input: StartLiveTailInput) -> Result<StartLiveTailOutput, StartLiveTailError> {
        let names: Vec<String> = input.log_group_identifiers.iter().map(|id| group_name(id).to_owned()).collect();
        {
            let groups = self.groups();
            if let Some(missing) = names.iter().find(|name| !groups.contains_key(*name)) {
                return Err(StartLiveTailError::ResourceNotFoundException(not_found(&format!("log group {missing}"))));
            }
        }
        let session_id = smithy_runtime::new_uuid();
        let start = LiveTailSessionStart::builder()
            .request_id(smithy_runtime::new_uuid())
            .session_id(session_id)
            .log_group_identifiers(input.log_group_identifiers.clone())
            .set_log_stream_names(input.log_stream_names.clone())
            .build();
        let receiver = self.puts.subscribe();
        let wanted_streams = input.log_stream_names;
        let updates = futures_util::stream::unfold(receiver, move |mut receiver| {
            let (names, wanted_streams) = (names.clone(), wanted_streams.clone());
            async move {
                loop {
                    let (group, stream, events) = match receiver.recv().await {
                        Ok(batch) => batch,
                        Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    };
                    let stream_wanted = wanted_streams.as_ref().is_none_or(|streams| streams.contains(&stream));
                    if !names.contains(&group) || !stream_wanted {
                        continue;
                    }
                    let results = events
                        .into_iter()
                        .map(|event| {
                            LiveTailSessionLogEvent::builder()
                                .log_stream_name(stream.clone())
                                .log_group_identifier(group.clone())
                                .set_message(event.message)
                                .set_timestamp(event.timestamp)
                                .set_ingestion_time(event.ingestion_time)
                                .build()
                        })
                        .collect();
                    let update = LiveTailSessionUpdate::builder()
                        .session_metadata(LiveTailSessionMetadata::builder().sampled(false).build())
                        .session_results(results)
                        .build();
                    let event = StartLiveTailResponseStream::SessionUpdate(update);
                    return Some((Ok::<_, std::convert::Infallible>(event), receiver));
                }
            }
        });
        let first = futures_util::stream::iter([Ok(StartLiveTailResponseStream::SessionStart(start))]);
        let events = futures_util::StreamExt::chain(first, updates);
        Ok(StartLiveTailOutput::builder().response_stream(EventStream::from_stream(events)).build())
    }
}

/// A log group's name from its identifier: the name itself, or what follows `log-group:` in
/// an ARN (without a trailing `:*`).
fn group_name(identifier: &str) -> &str {
    let name = identifier.rsplit_once("log-group:").map_or(identifier, |(_, name)| name);
    name.strip_suffix(":*").unwrap_or(name)
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
