//! The integration tests: one binary (one link on a two-core machine), real servers on real
//! sockets, real SQLite files.

mod abuse;
mod backends;
mod browser;
mod calls;
mod cli;
mod console;
mod console_browser;
mod console_client;
mod console_lockout;
mod console_queue;
mod console_reports;
mod db_copy;
mod engine;
mod faults;
mod flows;
mod flows_check;
mod flows_tools;
mod fuzz_corpus;
mod helpers;
mod instances;
mod operator_api;
mod operator_line;
mod privacy;
mod queue;
mod reload;
mod repeat_callers;
mod retention;
mod staff;
mod startup;
mod store;
mod store_backends;
mod webhooks;
mod worklist;
mod xml;
