//! The `hotline` command line: `serve` runs the server, `callbacks` lists callback requests,
//! `operators` manages the people who work the queue, `db` migrates and copies databases,
//! `flows` checks call-flow files, `doctor` checks a deployment's settings end to end, `probe`
//! asks a local server whether it is ready.

mod callbacks;
mod db;
mod doctor;
mod flows;
mod operators;
mod probe;
mod purge;
mod simulate;

use clap::{Parser, Subcommand};

use crate::config::ServeArgs;
pub use callbacks::{CallbacksArgs, callbacks};
pub use db::{DbArgs, DbCommand, db};
pub use doctor::{DoctorArgs, Finding, Verdict, doctor};
pub use flows::{
    CheckArgs, Color, DiffArgs, FlowsArgs, FlowsCommand, Format, GraphArgs, GraphFormat, compare,
    draw, flows,
};
pub use operators::{OperatorsArgs, OperatorsCommand, PasswordInput, operators};
pub use probe::{ProbeArgs, probe};
pub use purge::{PurgeArgs, purge};
pub use simulate::{SimulateArgs, simulate};

/// Hotline call-triage IVR backend.
#[derive(Parser, Debug)]
#[command(name = "hotline", version, about)]
pub struct Cli {
    /// Log as JSON lines instead of text.
    #[arg(long, global = true, env = "HOTLINE_LOG_JSON")]
    pub log_json: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the webhook server.
    // Boxed: the server's settings outweigh every other command's.
    Serve(Box<ServeArgs>),
    /// List callback requests, oldest first.
    Callbacks(CallbacksArgs),
    /// Add operators and supervisors, set their passwords, PINs and API tokens, disable them.
    Operators(OperatorsArgs),
    /// Migrate a database, or copy a hotline's records into another (SQLite to PostgreSQL).
    Db(DbArgs),
    /// Remove callers' data older than the retention allows (the server does it hourly).
    Purge(PurgeArgs),
    /// Check call-flow files and run the scenarios written in them.
    Flows(FlowsArgs),
    /// Check, with the settings of `serve`, the database, the flows, the public URL and the
    /// numbers at the provider; exits 1 if any check fails.
    // Boxed like `Serve`: it takes the same settings.
    Doctor(Box<DoctorArgs>),
    /// Ask the server on this machine whether it is ready (`/readyz`); exits 1 if not. For
    /// container health checks.
    Probe(ProbeArgs),
}
