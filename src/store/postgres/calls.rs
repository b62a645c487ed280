//! Applies the call log's shared statements with the PostgreSQL driver.

use sqlx::Postgres;
use sqlx::postgres::PgConnection;

use crate::store::CallWrite;
use crate::store::statements::calls::bound;

/// Applies one write on `conn`, which the caller has put in a transaction.
pub(super) async fn apply(conn: &mut PgConnection, write: &CallWrite) -> sqlx::Result<()> {
    bound::<Postgres>(write).execute(conn).await?;
    Ok(())
}
