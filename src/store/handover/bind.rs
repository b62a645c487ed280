//! The hand-over binding, for either adapter: the change and its audit entry commit together,
//! holding the request's row where the database needs telling.

/// `impl Handover for $store`.
macro_rules! handover {
    ($store:ty) => {
        use super::audit;
        use super::worklist::read_request_with;
        use crate::store::adapter::Adapter;
        use crate::store::handover::sql::{HAND_OVER, SAME_CALLER, refusal};
        use crate::store::handover::{HandOver, Handover};
        use crate::store::worklist::sql::{RequestRow, SELECT_REQUESTS, action};
        use crate::store::{CallbackRequest, StoreError};
        #[async_trait::async_trait]
        impl Handover for $store {
            async fn hand_over(&self, over: &HandOver) -> Result<CallbackRequest, StoreError> {
                let mut tx = self.begin_desk().await?;
                let before =
                    read_request_with(&mut tx, &over.request_id, <$store as Adapter>::ROW_LOCK)
                        .await?
                        .ok_or(StoreError::NotFound("callback request"))?;
                let holder = before.claimed_by.clone().unwrap_or_default();
                let moved = sqlx::query(HAND_OVER)
                    .bind(&over.request_id)
                    .bind(over.to.as_deref())
                    .bind(over.at)
                    .bind(&holder)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if moved == 0 {
                    return Err(refusal(&before));
                }
                let after = read_request_with(&mut tx, &over.request_id, "")
                    .await?
                    .ok_or(StoreError::NotFound("callback request"))?;
                let from = before.claimed_by_name.as_deref().unwrap_or("someone");
                let (what, detail) = match after.claimed_by_name.as_deref() {
                    Some(to) => ("reassign_claim", format!("from {from} to {to}")),
                    None => ("release_claim", format!("from {from}")),
                };
                let entry = action(&over.by, what, &over.request_id, over.at, &detail);
                audit::insert(&mut tx, &entry).await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn same_caller_requests(
                &self,
                request_id: &str,
                since: i64,
            ) -> Result<Vec<CallbackRequest>, StoreError> {
                let sql = format!("{SELECT_REQUESTS}{SAME_CALLER}");
                let rows: Vec<RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(request_id)
                    .bind(since)
                    .fetch_all(self.reads())
                    .await?;
                rows.into_iter().map(RequestRow::into_request).collect()
            }
        }
    };
}

pub(in crate::store) use handover;
