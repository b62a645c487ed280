//! The retention binding: purging old callers' data and recording each purge, for either adapter.

/// `impl Retention for $store`.
macro_rules! retention {
    ($store:ty) => {
        use crate::store::adapter::Adapter;
        use crate::store::retention::cutoff_for;
        use crate::store::retention::sql::*;
        use crate::store::{Cutoffs, Purged, Retention, StoreError};
        #[async_trait::async_trait]
        impl Retention for $store {
            async fn purge(&self, cutoffs: &Cutoffs, at: i64) -> Result<Vec<Purged>, StoreError> {
                let mut tx = self.begin_desk().await?;
                let mut purged = Vec::new();
                for (class, sql) in PURGES {
                    let Some(cutoff) = cutoff_for(cutoffs, class) else {
                        continue;
                    };
                    let rows = sqlx::query(sql)
                        .bind(cutoff)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    sqlx::query(RECORD_PURGE)
                        .bind(uuid::Uuid::now_v7().to_string())
                        .bind(at)
                        .bind(class)
                        .bind(i64::try_from(rows).unwrap_or(i64::MAX))
                        .execute(&mut *tx)
                        .await?;
                    purged.push(Purged { class, rows });
                }
                tx.commit().await?;
                Ok(purged)
            }

            async fn purges(&self, limit: i64) -> Result<Vec<(i64, String, i64)>, StoreError> {
                let rows = sqlx::query_as(SELECT_PURGES)
                    .bind(limit)
                    .fetch_all(self.reads())
                    .await?;
                Ok(rows)
            }
        }
    };
}

pub(in crate::store) use retention;
