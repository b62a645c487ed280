//! The block list's binding, for every adapter: a block and its audit entry commit together,
//! with the announcement that keeps every instance's copy of the list (`cache.rs`) honest.

/// `impl BlockList for $store`.
macro_rules! block_list {
    ($store:ty) => {
        use super::audit;
        use crate::store::adapter::Adapter;
        use crate::store::blocks::sql::*;
        use crate::store::blocks::{Block, BlockList, NewBlock};
        use crate::store::{AuditEntry, StoreError};
        #[async_trait::async_trait]
        impl BlockList for $store {
            async fn block(&self, new: &NewBlock, entry: &AuditEntry) -> Result<Block, StoreError> {
                let mut tx = self.begin_desk().await?;
                sqlx::query(UPSERT_BLOCK)
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind(&new.number_tag)
                    .bind(&new.masked_number)
                    .bind(&new.reason)
                    .bind(&new.operator_id)
                    .bind(new.at)
                    .bind(new.expires_at)
                    .execute(&mut *tx)
                    .await?;
                let row: BlockRow = sqlx::query_as(sqlx::AssertSqlSafe(select_block(BY_TAG)))
                    .bind(&new.number_tag)
                    .fetch_one(&mut *tx)
                    .await?;
                let block = row.into_block();
                let entry = AuditEntry {
                    subject: block.id.clone(),
                    ..entry.clone()
                };
                audit::insert(&mut tx, &entry).await?;
                self.announce_blocks(&mut tx).await?;
                tx.commit().await?;
                self.blocks_changed();
                Ok(block)
            }

            async fn unblock(&self, id: &str, entry: &AuditEntry) -> Result<(), StoreError> {
                let mut tx = self.begin_desk().await?;
                let gone = sqlx::query(DELETE_BLOCK)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if gone == 0 {
                    return Err(StoreError::NotFound("block"));
                }
                audit::insert(&mut tx, entry).await?;
                self.announce_blocks(&mut tx).await?;
                tx.commit().await?;
                self.blocks_changed();
                Ok(())
            }

            async fn blocks(&self, now: i64) -> Result<Vec<Block>, StoreError> {
                let rows: Vec<BlockRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(select_block(IN_FORCE)))
                        .bind(now)
                        .fetch_all(self.reads())
                        .await?;
                Ok(rows.into_iter().map(BlockRow::into_block).collect())
            }

            async fn is_blocked(&self, number_tag: &str, now: i64) -> Result<bool, StoreError> {
                let cache = self.block_cache();
                if let Some(blocked) = cache.lookup(self.heard(), number_tag, now) {
                    return Ok(blocked);
                }
                if self.heard().live {
                    let _turn = cache.refreshing().await;
                    if let Some(blocked) = cache.lookup(self.heard(), number_tag, now) {
                        return Ok(blocked);
                    }
                    // Read before the list, so a change during the read makes the copy stale.
                    let heard = self.heard();
                    let blocks: Vec<(String, Option<i64>)> = sqlx::query_as(TAGS_IN_FORCE)
                        .bind(now)
                        .fetch_all(self.reads())
                        .await?;
                    return Ok(cache.keep(heard, blocks, number_tag, now));
                }
                let (count,): (i64,) = sqlx::query_as(IS_BLOCKED)
                    .bind(number_tag)
                    .bind(now)
                    .fetch_one(self.reads())
                    .await?;
                Ok(count > 0)
            }
        }
    };
}

pub(in crate::store) use block_list;
