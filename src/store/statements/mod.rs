//! SQL text and row shapes shared by the SQLite and PostgreSQL adapters: one statement per
//! operation, written in the subset of SQL both understand, so the two backends cannot drift.

pub(in crate::store) mod audit;
pub(in crate::store) mod calls;
pub(in crate::store) mod filters;
pub(in crate::store) mod reports;
pub(in crate::store) mod retention;
pub(in crate::store) mod roster;
pub(in crate::store) mod worklist;
