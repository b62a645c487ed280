//! The staff's block list: numbers supervisors turned away, kept as keyed tags with a masked
//! form for people, each with its reason, who blocked it, and until when.

pub(in crate::store) mod bind;
pub(in crate::store) mod cache;
pub(in crate::store) mod sql;

use super::audit::AuditEntry;
use super::error::StoreError;

/// A block to add; it replaces any earlier block on the same tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBlock {
    /// The number's keyed tag (`operators::block_key`).
    pub number_tag: String,
    /// The number as staff see it, masked.
    pub masked_number: String,
    /// Why it was blocked.
    pub reason: String,
    /// Who blocked it.
    pub operator_id: String,
    /// When.
    pub at: i64,
    /// Until when; `None` until someone unblocks it.
    pub expires_at: Option<i64>,
}

/// A block as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Block {
    /// Its id, for unblocking.
    pub id: String,
    /// The number, masked.
    pub masked_number: String,
    /// Why it was blocked.
    pub reason: String,
    /// Who blocked it.
    pub operator_id: String,
    /// Their name, when they are still on the roster.
    pub operator_name: Option<String>,
    /// When it was blocked.
    pub created_at: i64,
    /// Until when; `None` until someone unblocks it.
    pub expires_at: Option<i64>,
}

/// The block list.
#[async_trait::async_trait]
pub trait BlockList: Send + Sync + 'static {
    /// Adds (or replaces) a block and records `audit` in the same transaction; the entry's
    /// subject is set to the block's id.
    async fn block(&self, new: &NewBlock, audit: &AuditEntry) -> Result<Block, StoreError>;
    /// Removes a block, recording `audit` with it; [`StoreError::NotFound`] when there is none.
    async fn unblock(&self, id: &str, audit: &AuditEntry) -> Result<(), StoreError>;
    /// The blocks in force at `now`, newest first.
    async fn blocks(&self, now: i64) -> Result<Vec<Block>, StoreError>;
    /// Whether a block on `number_tag` is in force at `now`, on every incoming call: answered
    /// from a copy of the list kept in memory while every change to it is heard of, otherwise
    /// one lookup by the unique tag.
    async fn is_blocked(&self, number_tag: &str, now: i64) -> Result<bool, StoreError>;
}
