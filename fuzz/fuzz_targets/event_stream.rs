//! Fuzz target: the event-stream frame decoder and the messages on it, as the receiving side
//! of a generated client or server reads them; see `smithy_fuzz::event_stream`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smithy_fuzz::event_stream(data));
