//! The bodies of hotline's fuzz targets. Each `run` takes the fuzzer's bytes and panics only
//! when it finds a bug; `cargo test` replays the committed corpus through the same files.

pub mod flow_file;
pub mod twiml;
pub mod webhook;
