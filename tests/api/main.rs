//! The integration tests: one binary (one link on a two-core machine), real servers on real
//! sockets, real SQLite files.

mod browser;
mod calls;
mod cli;
mod console;
mod console_browser;
mod console_client;
mod console_queue;
mod engine;
mod flows;
mod helpers;
mod operator_api;
mod staff;
mod startup;
mod store;
mod webhooks;
mod worklist;
mod xml;
