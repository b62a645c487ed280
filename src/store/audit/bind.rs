//! The audit log's binding, for every adapter: reading the log, and the `insert` other
//! bindings call inside their own transaction so that an action and its record commit
//! together.

/// `impl Audit for $store`, and the `insert` that writes an entry inside a caller's
/// transaction (on `Conn`) so that an action and its record commit together.
macro_rules! audit {
    ($store:ty) => {
        use crate::store::adapter::Adapter;
        type Db = <$store as crate::store::adapter::Adapter>::Db;
        type Conn = <Db as sqlx::Database>::Connection;
        #[async_trait::async_trait]
        impl crate::store::Audit for $store {
            async fn record(
                &self,
                entry: &crate::store::AuditEntry,
            ) -> Result<(), crate::store::StoreError> {
                let mut desk = self.begin_desk().await?;
                insert(&mut desk, entry).await?;
                Ok(desk.commit().await?)
            }

            async fn audit_log(
                &self,
                filter: &crate::store::AuditFilter,
            ) -> Result<Vec<crate::store::AuditEntry>, crate::store::StoreError> {
                use crate::store::audit::sql::AuditRow;
                let mut query = crate::store::filters::audit::<Db>(filter);
                let rows: Vec<AuditRow> = query.build_query_as().fetch_all(self.reads()).await?;
                Ok(rows.into_iter().map(AuditRow::into_entry).collect())
            }
        }

        /// Adds an entry on `conn`, inside the caller's transaction if it has one.
        pub(super) async fn insert(
            conn: &mut Conn,
            entry: &crate::store::AuditEntry,
        ) -> Result<(), crate::store::StoreError> {
            sqlx::query(crate::store::audit::sql::INSERT_AUDIT)
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

pub(in crate::store) use audit;
