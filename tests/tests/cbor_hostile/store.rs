//! The service the corpus is sent to: a station log that counts every call reaching it, so
//! that a hostile request wrongly accepted shows as a call.

use std::sync::atomic::{AtomicUsize, Ordering};

use fixture_rpc_v2_cbor::error::{DescribeStationError, GetReadingsError, PingError, PutReadingsError};
use fixture_rpc_v2_cbor::service::Stations;
use fixture_rpc_v2_cbor::types::*;

/// The station every intact request names.
pub const STATION: &str = "station-1";

/// Counts the calls that reach the handlers.
#[derive(Debug, Default)]
pub struct Log {
    calls: AtomicUsize,
}

impl Log {
    /// How many calls reached the handlers.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn called(&self) {
        self.calls.fetch_add(1, Ordering::SeqCst);
    }
}

fn not_found(station: String) -> StationNotFound {
    StationNotFound::builder().message(format!("no station {station}")).station(station).build()
}

/// Implemented on a reference so that the test keeps the log to look at it.
impl Stations for &'static Log {
    async fn put_readings(&self, input: PutReadingsInput) -> Result<PutReadingsOutput, PutReadingsError> {
        self.called();
        let stored = i32::try_from(input.readings.len()).unwrap_or(i32::MAX);
        Ok(PutReadingsOutput::builder()
            .stored(stored)
            .stored_at(smithy_runtime::DateTime::from_secs(1_735_689_600))
            .build()
            .unwrap())
    }

    async fn get_readings(&self, input: GetReadingsInput) -> Result<GetReadingsOutput, GetReadingsError> {
        self.called();
        if input.station != STATION {
            return Err(GetReadingsError::StationNotFound(not_found(input.station)));
        }
        Ok(GetReadingsOutput::builder().readings(Vec::new()).notes(vec![None, Some("calibrated".into())]).build())
    }

    async fn describe_station(
        &self,
        input: DescribeStationInput,
    ) -> Result<DescribeStationOutput, DescribeStationError> {
        self.called();
        if input.station != STATION {
            return Err(DescribeStationError::StationNotFound(not_found(input.station)));
        }
        Ok(DescribeStationOutput::builder()
            .station(input.station)
            .latest(Measurement::Number(f64::NAN))
            .calibration(smithy_runtime::Blob::new(vec![0, 1, 2]))
            .elevation(412.5)
            .build()
            .unwrap())
    }

    async fn ping(&self, _: PingInput) -> Result<PingOutput, PingError> {
        self.called();
        Ok(PingOutput::builder().build())
    }
}
