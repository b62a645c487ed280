//! Applies the call log's shared statements with the SQLite driver.

use sqlx::Sqlite;
use sqlx::sqlite::SqliteConnection;

use crate::store::CallWrite;
use crate::store::statements::calls::bound;

/// Applies one write on `conn`, which the caller has put in a transaction.
pub(super) async fn apply(conn: &mut SqliteConnection, write: &CallWrite) -> sqlx::Result<()> {
    bound::<Sqlite>(write).execute(conn).await?;
    Ok(())
}
