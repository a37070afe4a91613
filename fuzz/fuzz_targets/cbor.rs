//! Fuzz target: the CBOR reader alone, strictly and leniently; see `smithy_fuzz::cbor`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smithy_fuzz::cbor(data));
