//! A local Stations (Smithy RPC v2 CBOR and awsJson1_0, from one server) over in-memory
//! station logs: PutReadings, GetReadings, DescribeStation and Ping, as an implementation of
//! the generated [`Stations`] trait (`tests/fixtures/models/rpc_v2_cbor.smithy`).
//!
//! A station's log starts with its first PutReadings and keeps its latest [`KEPT_READINGS`]
//! readings, so that a benchmark writing for minutes holds a bounded amount of memory. The
//! idempotency token is not used to drop a repeated request: every request is stored.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use fixture_rpc_v2_cbor::error::{DescribeStationError, GetReadingsError, PingError, PutReadingsError};
use fixture_rpc_v2_cbor::service::Stations;
use fixture_rpc_v2_cbor::types::{
    DescribeStationInput, DescribeStationOutput, GetReadingsInput, GetReadingsOutput, Measurement, PingInput,
    PingOutput, PutReadingsInput, PutReadingsOutput, Reading, StationNotFound,
};
use smithy_runtime::DateTime;

/// How many readings each station keeps: the older ones are dropped as new ones arrive.
pub const KEPT_READINGS: usize = 1_000;

/// A local Stations service: each station's latest readings, oldest first.
#[derive(Debug, Default)]
pub struct StationsLocal {
    stations: Mutex<BTreeMap<String, VecDeque<Reading>>>,
}

impl StationsLocal {
    /// A service with no stations.
    pub fn new() -> Self {
        Self::default()
    }

    fn stations(&self) -> MutexGuard<'_, BTreeMap<String, VecDeque<Reading>>> {
        // Every change is one extend and one drain: a panic cannot leave a log half-written.
        self.stations.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn not_found(station: &str) -> StationNotFound {
    StationNotFound::builder().message(format!("No station named {station}.")).station(station.to_owned()).build()
}

impl Stations for StationsLocal {
    async fn put_readings(&self, input: PutReadingsInput) -> Result<PutReadingsOutput, PutReadingsError> {
        // The model bounds a request to 100 readings.
        let stored = i32::try_from(input.readings.len()).unwrap_or(i32::MAX);
        let mut stations = self.stations();
        let log = stations.entry(input.station).or_default();
        log.extend(input.readings);
        let excess = log.len().saturating_sub(KEPT_READINGS);
        log.drain(..excess);
        Ok(PutReadingsOutput::builder()
            .stored(stored)
            .stored_at(DateTime::from(std::time::SystemTime::now()))
            .build()?)
    }

    async fn get_readings(&self, input: GetReadingsInput) -> Result<GetReadingsOutput, GetReadingsError> {
        let stations = self.stations();
        let log = stations.get(&input.station).ok_or_else(|| not_found(&input.station))?;
        // The latest `limit` readings (all that are kept when no limit is given), oldest first.
        let limit = input.limit.and_then(|limit| usize::try_from(limit).ok()).unwrap_or(KEPT_READINGS);
        let readings: Vec<Reading> = log.iter().skip(log.len().saturating_sub(limit)).cloned().collect();
        let notes = readings.iter().map(|reading| reading.tags.as_ref().and_then(|tags| tags.get("note").cloned()));
        Ok(GetReadingsOutput::builder().notes(notes.collect()).readings(readings).build())
    }

    async fn describe_station(
        &self,
        input: DescribeStationInput,
    ) -> Result<DescribeStationOutput, DescribeStationError> {
        let stations = self.stations();
        let log = stations.get(&input.station).ok_or_else(|| not_found(&input.station))?;
        let latest = log.back().map(|reading| Measurement::Number(reading.value));
        Ok(DescribeStationOutput::builder().station(input.station.clone()).set_latest(latest).build()?)
    }

    async fn ping(&self, _: PingInput) -> Result<PingOutput, PingError> {
        Ok(PingOutput::builder().build())
    }
}
