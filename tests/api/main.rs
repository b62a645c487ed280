//! The integration tests: one binary (one link on a two-core machine), real servers on real
//! sockets, real SQLite files.

mod abuse;
mod calls;
mod cli;
mod console;
mod db_copy;
mod dialable;
mod docs;
mod engine;
mod faults;
mod flows;
mod flows_check;
mod flows_tools;
mod fuzz_corpus;
mod hostile_webhooks;
mod instances;
mod layers;
mod no_store;
mod operator_api;
mod operator_line;
mod outage;
mod pacing;
mod privacy;
mod queue;
mod reload;
mod repeat_callers;
mod replay;
mod retention;
mod staff;
mod startup;
mod store;
mod store_backends;
mod support;
mod webhooks;
mod worklist;
