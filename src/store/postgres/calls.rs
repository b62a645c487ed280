//! Binds the call log's shared statements with the PostgreSQL driver.

use sqlx::Postgres;
use sqlx::postgres::{PgArguments, PgConnection};
use sqlx::query::Query;

use crate::store::CallWrite;
use crate::store::statements::calls::{Param, statement};

/// Applies one write on `conn`, which the caller has put in a transaction.
pub(super) async fn apply(conn: &mut PgConnection, write: &CallWrite) -> sqlx::Result<()> {
    let (sql, params) = statement(write);
    bind(sql, params).execute(conn).await?;
    Ok(())
}

fn bind(sql: &'static str, params: Vec<Param>) -> Query<'static, Postgres, PgArguments> {
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
