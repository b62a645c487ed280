//! PostgreSQL glue for the audit log.

use sqlx::{PgConnection, Postgres};

use super::PgStore;
use crate::store::statements::audit::*;
use crate::store::statements::filters;
use crate::store::{Audit, AuditEntry, AuditFilter, StoreError};

#[async_trait::async_trait]
impl Audit for PgStore {
    async fn record(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        insert(&mut conn, entry).await
    }

    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut query = filters::audit::<Postgres>(filter);
        let rows: Vec<AuditRow> = query.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(AuditRow::into_entry).collect())
    }
}

/// Adds an entry on `conn`, inside the caller's transaction if it has one, so that an action
/// and its record commit together.
pub(super) async fn insert(conn: &mut PgConnection, entry: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(INSERT_AUDIT)
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
