//! The audit log: who did what to a caller's data, and when. Entries are only ever added.

pub(in crate::store) mod bind;
pub(in crate::store) mod sql;

use super::error::StoreError;

/// One operator action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// When it happened.
    pub at: i64,
    /// Who did it.
    pub operator_id: String,
    /// Their name, when read back.
    pub operator_name: Option<String>,
    /// What they did, e.g. `view_request`, `claim`, `complete`, `play_recording`.
    pub action: String,
    /// What they did it to: a callback request id or a call sid.
    pub subject: String,
    /// Anything else worth keeping (never a phone number).
    pub detail: String,
}

/// Which entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Entries at or after this instant.
    pub from: Option<i64>,
    /// Entries before this instant.
    pub to: Option<i64>,
    /// Entries about this subject only.
    pub subject: Option<String>,
    /// Entries by the operator of this name only.
    pub operator: Option<String>,
    /// Entries of this action only (`claim`, `view_request`…).
    pub action: Option<String>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// The audit log.
#[async_trait::async_trait]
pub trait Audit: Send + Sync + 'static {
    /// Adds an entry; returns once it is durable, so an action is never shown before it is
    /// recorded.
    async fn record(&self, entry: &AuditEntry) -> Result<(), StoreError>;
    /// Entries matching `filter`, newest first.
    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;
}
