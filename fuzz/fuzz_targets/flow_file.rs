//! libFuzzer entry point of the `flow_file` target; the body is in `src/flow_file.rs`, shared with the
//! corpus replay that `cargo test` runs.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hotline_fuzz::flow_file::run(data));
