//! The call log's binding: its reads written once for every adapter; each adapter applies a
//! batch of call writes and checks its health its own way (see `store::adapter`).

/// `impl CallLog for $store`: the reads written once; each adapter applies writes and checks
/// its health its own way (`apply_writes`, `apply_writes_soon`, `settle_writes`,
/// `check_alive`).
macro_rules! call_log {
    ($store:ty) => {
        use crate::store::adapter::Adapter;
        type Db = <$store as crate::store::adapter::Adapter>::Db;
        #[async_trait::async_trait]
        impl crate::store::CallLog for $store {
            async fn write(
                &self,
                writes: Vec<crate::store::CallWrite>,
            ) -> Result<(), crate::store::StoreError> {
                if writes.is_empty() {
                    return Ok(());
                }
                self.apply_writes(writes).await
            }

            async fn write_soon(
                &self,
                writes: Vec<crate::store::CallWrite>,
            ) -> Result<(), crate::store::StoreError> {
                if writes.is_empty() {
                    return Ok(());
                }
                self.apply_writes_soon(writes).await
            }

            async fn flush(&self) -> Result<(), crate::store::StoreError> {
                self.settle_writes().await
            }

            async fn call(
                &self,
                call_sid: &str,
            ) -> Result<Option<crate::store::CallRecord>, crate::store::StoreError> {
                use crate::store::calls::sql::SELECT_CALL;
                let call = sqlx::query_as(SELECT_CALL)
                    .bind(call_sid)
                    .fetch_optional(self.reads())
                    .await?;
                Ok(call)
            }

            async fn steps(
                &self,
                call_sid: &str,
            ) -> Result<Vec<crate::store::StepRecord>, crate::store::StoreError> {
                use crate::store::calls::sql::SELECT_STEPS;
                Ok(sqlx::query_as(SELECT_STEPS)
                    .bind(call_sid)
                    .fetch_all(self.reads())
                    .await?)
            }

            async fn queue_entries(
                &self,
                call_sid: &str,
            ) -> Result<Vec<crate::store::QueueEntry>, crate::store::StoreError> {
                use crate::store::calls::sql::SELECT_QUEUE_ENTRIES;
                let query = sqlx::query_as(SELECT_QUEUE_ENTRIES).bind(call_sid);
                Ok(query.fetch_all(self.reads()).await?)
            }

            async fn search_calls(
                &self,
                search: &crate::store::CallSearch,
            ) -> Result<Vec<crate::store::CallRecord>, crate::store::StoreError> {
                let mut query = crate::store::filters::calls::<Db>(search);
                Ok(query.build_query_as().fetch_all(self.reads()).await?)
            }

            async fn same_caller_calls(
                &self,
                call_sid: &str,
                since: i64,
            ) -> Result<u64, crate::store::StoreError> {
                use crate::store::calls::sql::COUNT_SAME_CALLER;
                let query = sqlx::query_as(COUNT_SAME_CALLER).bind(call_sid).bind(since);
                let (count,): (i64,) = query.fetch_one(self.reads()).await?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            async fn calls_from(
                &self,
                number: &str,
                since: i64,
                except: &str,
            ) -> Result<u64, crate::store::StoreError> {
                use crate::store::calls::sql::COUNT_CALLS_FROM;
                let query = sqlx::query_as(COUNT_CALLS_FROM)
                    .bind(number)
                    .bind(since)
                    .bind(except);
                let (count,): (i64,) = query.fetch_one(self.reads()).await?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            async fn forgotten_unfinished(
                &self,
                before: i64,
            ) -> Result<Vec<String>, crate::store::StoreError> {
                use crate::store::calls::sql::FORGOTTEN_UNFINISHED;
                let query = sqlx::query_scalar(FORGOTTEN_UNFINISHED).bind(before);
                Ok(query.fetch_all(self.reads()).await?)
            }

            async fn ping(&self) -> Result<(), crate::store::StoreError> {
                self.check_alive().await
            }
        }
    };
}

pub(in crate::store) use call_log;
