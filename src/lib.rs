//! hotline: a call-triage IVR backend. Call-flow files become TwiML; callers are triaged to
//! queues or callback requests; every call is recorded.
//!
//! The functional core (`flow`, `engine`, `twiml`, `triage`) does no I/O; the shell (`http`,
//! `store`, `app`, `cli`) connects it to the provider, the database and people.

pub mod app;
pub mod authoring;
pub mod callbacks;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod config;
pub mod desk;
pub mod engine;
pub mod flow;
pub mod http;
pub mod line;
pub mod operator_line;
pub mod operators;
pub mod privacy;
pub mod reports;
pub mod secret;
pub mod store;
pub mod telemetry;
pub mod telephony;
pub mod triage;
pub mod twiml;
