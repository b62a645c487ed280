//! libFuzzer entry point of the `webhook` target; the body is in `src/webhook.rs`, shared with the
//! corpus replay that `cargo test` runs.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hotline_fuzz::webhook::run(data));
