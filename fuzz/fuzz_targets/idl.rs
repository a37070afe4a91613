//! Fuzz target: the Smithy IDL front end; see `smithy_fuzz::idl`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smithy_fuzz::idl(data));
