//! Fuzz target: the generated Chime server's request path; see `smithy_fuzz::request`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smithy_fuzz::request(data));
