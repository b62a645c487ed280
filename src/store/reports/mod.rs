//! The facts supervisors' reports are computed from.

pub(in crate::store) mod bind;
pub(in crate::store) mod sql;

use crate::reports::Facts;

use super::error::StoreError;

/// Reads for reports.
#[async_trait::async_trait]
pub trait Reports: Send + Sync + 'static {
    /// The calls that started in `[from, to)` with their steps, the queue stays that ended in
    /// that period, the callback requests made in it, and the calls back placed in it.
    async fn report_facts(&self, from: i64, to: i64) -> Result<Facts, StoreError>;
}
