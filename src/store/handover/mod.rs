//! Coordinating operators around one caller: a supervisor handing a claimed request back to the
//! queue or over to another operator (audited with the change), and the other requests left by
//! the same caller, so two operators do not ring one person.

pub(in crate::store) mod bind;
pub(in crate::store) mod sql;

use super::error::StoreError;
use super::worklist::CallbackRequest;

/// A supervisor taking a claim off its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandOver {
    /// The claimed request.
    pub request_id: String,
    /// The operator to hold it now; `None` to return it to the queue.
    pub to: Option<String>,
    /// The supervisor.
    pub by: String,
    /// When.
    pub at: i64,
}

/// Handing requests over, and finding a caller's other requests.
#[async_trait::async_trait]
pub trait Handover: Send + Sync + 'static {
    /// Takes a claimed request off whoever holds it and gives it to `to` (or back to the
    /// queue), with an audit entry naming both in the same transaction. Refused with
    /// `not_claimed` when nobody holds it, `closed` when it is closed.
    async fn hand_over(&self, hand_over: &HandOver) -> Result<CallbackRequest, StoreError>;

    /// The other requests made since `since` by the caller of `request_id`: the same number to
    /// call, or calls from the same caller by their keyed hash. Newest first, at most 20.
    async fn same_caller_requests(
        &self,
        request_id: &str,
        since: i64,
    ) -> Result<Vec<CallbackRequest>, StoreError>;
}
