//! Fuzz target: the model loader and generator; see `smithy_fuzz::model`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smithy_fuzz::model(data));
