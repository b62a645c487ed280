//! The storage port: what the server records (calls, callback requests and their handling,
//! operators, the audit log, the block list) and the role-sized traits every database
//! adapter implements.
//! The port names no adapter; `open` picks one for a URL.
//!
//! Times are `i64` milliseconds since the Unix epoch throughout; the domain
//! converts. Every write from a webhook is idempotent, because webhooks are
//! retried: a repeated insert is ignored and a repeated update changes nothing.

mod adapter;
mod audit;
mod blocks;
mod calls;
mod changes;
pub mod copy;
mod desk_conn;
mod error;
mod filters;
mod handover;
pub mod open;
pub mod postgres;
mod reports;
mod retention;
mod roster;
mod schema;
pub mod sqlite;
mod worklist;

pub use audit::{Audit, AuditEntry, AuditFilter};
pub use blocks::{Block, BlockList, NewBlock};
pub use calls::*;
pub use changes::{ChangeFeed, Changes};
pub use error::StoreError;
pub use handover::{HandOver, Handover};
pub use reports::Reports;
pub use retention::{Cutoffs, Purged, Retention};
pub use roster::{NewOperator, NewSession, OperatorChange, Roster, RosterEntry, SignIn};
pub use schema::Schema;
pub use worklist::*;

/// Everything a database adapter provides: one trait per role, so each part of the server
/// names the part of the store it uses.
pub trait Store:
    CallLog + Worklist + Handover + Roster + Audit + BlockList + Reports + Retention + ChangeFeed
{
}

impl<T> Store for T where
    T: CallLog
        + Worklist
        + Handover
        + Roster
        + Audit
        + BlockList
        + Reports
        + Retention
        + ChangeFeed
{
}

/// A database URL fit for a message: a URL that is not SQLite may carry a password, so only its
/// scheme, host and database are kept.
pub fn without_secrets(url: &str) -> String {
    if url.starts_with("sqlite:") {
        return url.to_string();
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        let scheme = url.split(':').next().unwrap_or_default();
        return format!("{scheme}:…");
    };
    let host_and_path = rest.rsplit_once('@').map_or(rest, |(_, after)| after);
    let without_query = host_and_path.split('?').next().unwrap_or_default();
    format!("{scheme}://{without_query}")
}
