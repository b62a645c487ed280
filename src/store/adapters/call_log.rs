//! The call log's reads and the audit log, for either adapter; each adapter applies a batch of
//! call writes and checks its health its own way.

/// `impl CallLog for $store`: the reads written once; each adapter applies writes and checks
/// its health its own way (`apply_writes`, `apply_writes_soon`, `settle_writes`,
/// `check_alive`).
macro_rules! call_log {
    ($store:ty, $db:ty) => {
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
                use crate::store::statements::calls::SELECT_CALL;
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
                use crate::store::statements::calls::SELECT_STEPS;
                Ok(sqlx::query_as(SELECT_STEPS)
                    .bind(call_sid)
                    .fetch_all(self.reads())
                    .await?)
            }

            async fn queue_entries(
                &self,
                call_sid: &str,
            ) -> Result<Vec<crate::store::QueueEntry>, crate::store::StoreError> {
                use crate::store::statements::calls::SELECT_QUEUE_ENTRIES;
                let query = sqlx::query_as(SELECT_QUEUE_ENTRIES).bind(call_sid);
                Ok(query.fetch_all(self.reads()).await?)
            }

            async fn search_calls(
                &self,
                search: &crate::store::CallSearch,
            ) -> Result<Vec<crate::store::CallRecord>, crate::store::StoreError> {
                let mut query = crate::store::statements::filters::calls::<$db>(search);
                Ok(query.build_query_as().fetch_all(self.reads()).await?)
            }

            async fn same_caller_calls(
                &self,
                call_sid: &str,
                since: i64,
            ) -> Result<u64, crate::store::StoreError> {
                use crate::store::statements::calls::COUNT_SAME_CALLER;
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
                use crate::store::statements::calls::COUNT_CALLS_FROM;
                let query = sqlx::query_as(COUNT_CALLS_FROM)
                    .bind(number)
                    .bind(since)
                    .bind(except);
                let (count,): (i64,) = query.fetch_one(self.reads()).await?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            async fn ping(&self) -> Result<(), crate::store::StoreError> {
                self.check_alive().await
            }
        }
    };
}

/// `impl Audit for $store`, and the `insert` that writes an entry inside a caller's
/// transaction (on `$conn`) so that an action and its record commit together.
macro_rules! audit {
    ($store:ty, $db:ty, $conn:ty) => {
        #[async_trait::async_trait]
        impl crate::store::Audit for $store {
            async fn record(
                &self,
                entry: &crate::store::AuditEntry,
            ) -> Result<(), crate::store::StoreError> {
                let mut conn = self.desk().acquire().await?;
                insert(&mut conn, entry).await
            }

            async fn audit_log(
                &self,
                filter: &crate::store::AuditFilter,
            ) -> Result<Vec<crate::store::AuditEntry>, crate::store::StoreError> {
                use crate::store::statements::audit::AuditRow;
                let mut query = crate::store::statements::filters::audit::<$db>(filter);
                let rows: Vec<AuditRow> = query.build_query_as().fetch_all(self.reads()).await?;
                Ok(rows.into_iter().map(AuditRow::into_entry).collect())
            }
        }

        /// Adds an entry on `conn`, inside the caller's transaction if it has one.
        pub(super) async fn insert(
            conn: &mut $conn,
            entry: &crate::store::AuditEntry,
        ) -> Result<(), crate::store::StoreError> {
            sqlx::query(crate::store::statements::audit::INSERT_AUDIT)
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(entry.at)
                .bind(&entry.operator_id)
                .bind(&entry.action)
                .bind(&entry.subject)
                .bind(&entry.detail)
                .execute(conn)
                .await?;
            Ok(())
        }
    };
}

pub(in crate::store) use {audit, call_log};
