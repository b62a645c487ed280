//! The code both database adapters run, written once as macros over an adapter's store and
//! driver types: the glue between the storage traits and the shared statements. Each adapter
//! expands them and provides `reads()`, `desk()` (the pool operators' changes use) and
//! `begin_desk()` (a transaction that takes the write lock where the database needs it).

mod call_log;
mod retention;
mod roster;
mod worklist;

pub(super) use call_log::{audit, call_log};
pub(super) use retention::retention;
pub(super) use roster::roster;
pub(super) use worklist::worklist;
