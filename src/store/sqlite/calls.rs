//! Binds the call log's shared statements with the SQLite driver.

use sqlx::Sqlite;
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteConnection};

use crate::store::CallWrite;
use crate::store::statements::calls::{Param, statement};

/// Applies one write on `conn`, which the caller has put in a transaction.
pub(super) async fn apply(conn: &mut SqliteConnection, write: &CallWrite) -> sqlx::Result<()> {
    let (sql, params) = statement(write);
    bind(sql, params).execute(conn).await?;
    Ok(())
}

fn bind(sql: &'static str, params: Vec<Param>) -> Query<'static, Sqlite, SqliteArguments> {
    params
        .into_iter()
        .fold(sqlx::query(sql), |query, param| match param {
            Param::Text(v) => query.bind(v),
            Param::MaybeText(v) => query.bind(v),
            Param::Int(v) => query.bind(v),
            Param::MaybeInt(v) => query.bind(v),
            Param::MaybeBool(v) => query.bind(v),
        })
}
