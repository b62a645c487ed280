//! libFuzzer entry point of the `twiml` target; the body is in `src/twiml.rs`, shared with the
//! corpus replay that `cargo test` runs.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hotline_fuzz::twiml::run(data));
