//! Keeping callers' data only as long as it is needed: what a purge removes, and the record
//! of each purge (the class of data, how many rows, when; never what).

pub(in crate::store) mod bind;
pub(in crate::store) mod sql;

use super::error::StoreError;

/// The instants before which each class of data goes (ms since the epoch); `None` keeps it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cutoffs {
    /// Steps through the menus and stays in queues.
    pub call_details: Option<i64>,
    /// Callers' numbers on call records.
    pub caller_numbers: Option<i64>,
    /// Recorded messages' addresses on callback requests.
    pub recordings: Option<i64>,
    /// Closed callback requests (completed or unreachable) and their attempts.
    pub closed_requests: Option<i64>,
    /// Wrong operator-line PINs, kept only while a limit counts them.
    pub pin_failures: Option<i64>,
    /// Staff blocks that expired: they no longer turn anyone away.
    pub expired_blocks: Option<i64>,
}

/// One class purged: its name and how many rows changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Purged {
    /// `call_steps`, `queue_entries`, `caller_numbers`, `recordings`, `closed_requests`,
    /// `callback_attempts`, `callback_dials`, `unfinished_requests`, `pin_failures` or
    /// `expired_blocks`.
    pub class: &'static str,
    /// Rows deleted or cleared.
    pub rows: u64,
}

/// Purging.
#[async_trait::async_trait]
pub trait Retention: Send + Sync + 'static {
    /// Removes what is older than the cutoffs, in one transaction, and records each class
    /// purged (with its count, even zero) at `at`.
    async fn purge(&self, cutoffs: &Cutoffs, at: i64) -> Result<Vec<Purged>, StoreError>;
    /// The recorded purges, newest first.
    async fn purges(&self, limit: i64) -> Result<Vec<(i64, String, i64)>, StoreError>;
}

/// The cutoff that applies to a purge class.
pub(in crate::store) fn cutoff_for(cutoffs: &Cutoffs, class: &str) -> Option<i64> {
    match class {
        "call_steps" | "queue_entries" | "unfinished_requests" => cutoffs.call_details,
        "caller_numbers" => cutoffs.caller_numbers,
        "recordings" => cutoffs.recordings,
        "callback_attempts" | "callback_dials" | "closed_requests" => cutoffs.closed_requests,
        "pin_failures" => cutoffs.pin_failures,
        "expired_blocks" => cutoffs.expired_blocks,
        _ => None,
    }
}
