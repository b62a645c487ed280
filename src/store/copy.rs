//! Copying every record from one database to another, e.g. from the embedded SQLite file to
//! PostgreSQL when a hotline outgrows one machine. Rows are upserted by their keys, so a copy
//! can be repeated: copy while the old server runs, stop it, copy again (only what changed
//! moves), start the new one.

use sqlx::postgres::PgPool;
use sqlx::query::Query;
use sqlx::sqlite::SqlitePool;
use sqlx::{AssertSqlSafe, Encode, Postgres, Row, Sqlite, Type};

use super::StoreError;

/// How a column is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Bool,
}

use Kind::{Bool, Int, Text};

/// A table: its name, its key columns and every column with its kind.
struct Table {
    name: &'static str,
    key: &'static [&'static str],
    columns: &'static [(&'static str, Kind)],
}

/// Every table worth keeping, in an order that never lists a row before what it refers to.
/// Sessions and availability marks are left behind: operators simply sign in, and mark
/// themselves available, again.
const TABLES: &[Table] = &[
    Table {
        name: "purges",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("at", Int),
            ("class", Text),
            ("rows_affected", Int),
        ],
    },
    Table {
        name: "calls",
        key: &["call_sid"],
        columns: &[
            ("call_sid", Text),
            ("hotline", Text),
            ("flow_version", Text),
            ("from_number", Text),
            ("to_number", Text),
            ("language", Text),
            ("category", Text),
            ("started_at", Int),
            ("ended_at", Int),
            ("status", Text),
            ("duration_seconds", Int),
            ("status_sequence", Int),
            ("caller_hash", Text),
        ],
    },
    Table {
        name: "call_steps",
        key: &["call_sid", "seq"],
        columns: &[
            ("call_sid", Text),
            ("seq", Int),
            ("node", Text),
            ("input", Text),
            ("outcome", Text),
            ("at", Int),
        ],
    },
    Table {
        name: "queue_entries",
        key: &["call_sid", "seq"],
        columns: &[
            ("call_sid", Text),
            ("seq", Int),
            ("category", Text),
            ("queue", Text),
            ("entered_at", Int),
            ("last_position", Int),
            ("last_wait_seconds", Int),
            ("last_polled_at", Int),
            ("ended_at", Int),
            ("result", Text),
            ("wait_seconds", Int),
        ],
    },
    Table {
        name: "operators",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("name", Text),
            ("role", Text),
            ("categories", Text),
            ("password_hash", Text),
            ("phone_number", Text),
            ("pin_hash", Text),
            ("created_at", Int),
            ("disabled_at", Int),
            ("failed_sign_ins", Int),
            ("locked_until", Int),
            ("shifts", Text),
        ],
    },
    Table {
        name: "callback_requests",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("call_sid", Text),
            ("hotline", Text),
            ("category", Text),
            ("language", Text),
            ("phone_number", Text),
            ("number_source", Text),
            ("dialable", Bool),
            ("incomplete", Bool),
            ("safe_to_leave_message", Bool),
            ("call_time", Text),
            ("recording_url", Text),
            ("recording_seconds", Int),
            ("created_at", Int),
            ("status", Text),
            ("priority", Int),
            ("waiting_since", Int),
            ("claimed_by", Text),
            ("claimed_at", Int),
            ("no_answer_attempts", Int),
            ("outcome", Text),
            ("closed_at", Int),
            ("closed_by", Text),
        ],
    },
    Table {
        name: "unfinished_requests",
        key: &["call_sid"],
        columns: &[
            ("call_sid", Text),
            ("hotline", Text),
            ("category", Text),
            ("language", Text),
            ("phone_number", Text),
            ("number_source", Text),
            ("dialable", Bool),
            ("safe_to_leave_message", Bool),
            ("call_time", Text),
            ("priority", Int),
            ("open", Bool),
            ("seq", Int),
            ("updated_at", Int),
        ],
    },
    Table {
        name: "callback_attempts",
        key: &["request_id", "attempt"],
        columns: &[
            ("request_id", Text),
            ("attempt", Int),
            ("operator_id", Text),
            ("outcome", Text),
            ("notes", Text),
            ("at", Int),
        ],
    },
    Table {
        name: "callback_dials",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("request_id", Text),
            ("operator_id", Text),
            ("started_at", Int),
            ("screen", Text),
            ("dial_status", Text),
            ("ended_at", Int),
            ("leg_status", Text),
        ],
    },
    Table {
        name: "known_devices",
        key: &["token_digest"],
        columns: &[
            ("token_digest", Text),
            ("operator_id", Text),
            ("created_at", Int),
            ("failed_sign_ins", Int),
        ],
    },
    Table {
        name: "pin_failures",
        key: &["id"],
        columns: &[("id", Text), ("caller_tag", Text), ("at", Int)],
    },
    Table {
        name: "api_tokens",
        key: &["token_hash"],
        columns: &[
            ("token_hash", Text),
            ("operator_id", Text),
            ("label", Text),
            ("created_at", Int),
            ("revoked_at", Int),
        ],
    },
    Table {
        name: "blocked_numbers",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("number_tag", Text),
            ("masked_number", Text),
            ("reason", Text),
            ("operator_id", Text),
            ("created_at", Int),
            ("expires_at", Int),
        ],
    },
    Table {
        name: "audit_log",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("at", Int),
            ("operator_id", Text),
            ("action", Text),
            ("subject", Text),
            ("detail", Text),
        ],
    },
];

/// Rows read per round trip.
const BATCH: i64 = 500;

/// One value on its way between databases.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(Option<bool>),
}

/// A database to copy from or to, opened (and migrated) by [`super::connect`] first.
pub enum Database {
    /// A SQLite file.
    Sqlite(SqlitePool),
    /// A PostgreSQL database.
    Postgres(PgPool),
}

impl Database {
    /// Opens the database at `url` for copying. Call [`super::connect`] on it first so its
    /// schema is current.
    pub async fn open(url: &str) -> Result<Database, StoreError> {
        if url.starts_with("sqlite:") {
            return Ok(Database::Sqlite(SqlitePool::connect(url).await?));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Database::Postgres(PgPool::connect(url).await?));
        }
        Err(StoreError::UnsupportedUrl(super::without_secrets(url)))
    }

    async fn read(&self, table: &Table, offset: i64) -> Result<Vec<Vec<Value>>, StoreError> {
        let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
        let sql = format!(
            "select {} from {} order by {} limit {BATCH} offset {offset}",
            names.join(", "),
            table.name,
            table.key.join(", ")
        );
        Ok(match self {
            Database::Sqlite(pool) => {
                let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(pool).await?;
                rows.iter()
                    .map(|r| values(r, table))
                    .collect::<Result<_, _>>()?
            }
            Database::Postgres(pool) => {
                let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(pool).await?;
                rows.iter()
                    .map(|r| values(r, table))
                    .collect::<Result<_, _>>()?
            }
        })
    }

    async fn write(&self, table: &Table, rows: Vec<Vec<Value>>) -> Result<(), StoreError> {
        let sql = upsert(table);
        match self {
            Database::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                for row in rows {
                    bound::<Sqlite>(&sql, row).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            Database::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                for row in rows {
                    bound::<Postgres>(&sql, row).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

/// The upsert with one row's values bound, for either database.
fn bound<DB>(sql: &str, row: Vec<Value>) -> Query<'static, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    Option<String>: for<'q> Encode<'q, DB> + Type<DB>,
    Option<i64>: for<'q> Encode<'q, DB> + Type<DB>,
    Option<bool>: for<'q> Encode<'q, DB> + Type<DB>,
{
    let query = sqlx::query::<DB>(AssertSqlSafe(sql.to_string()));
    row.into_iter().fold(query, |query, value| match value {
        Value::Text(v) => query.bind(v),
        Value::Int(v) => query.bind(v),
        Value::Bool(v) => query.bind(v),
    })
}

/// A row's values in the table's column order, from either database.
fn values<R>(row: &R, table: &Table) -> Result<Vec<Value>, sqlx::Error>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    Option<String>: for<'r> sqlx::Decode<'r, R::Database> + Type<R::Database>,
    Option<i64>: for<'r> sqlx::Decode<'r, R::Database> + Type<R::Database>,
    Option<bool>: for<'r> sqlx::Decode<'r, R::Database> + Type<R::Database>,
{
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            Ok(match kind {
                Text => Value::Text(row.try_get(i)?),
                Int => Value::Int(row.try_get(i)?),
                Bool => Value::Bool(row.try_get(i)?),
            })
        })
        .collect()
}

/// `insert ... on conflict (key) do update set` every other column: a repeated copy brings
/// changed rows up to date.
fn upsert(table: &Table) -> String {
    let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let updates: Vec<String> = names
        .iter()
        .filter(|n| !table.key.contains(n))
        .map(|n| format!("{n} = excluded.{n}"))
        .collect();
    format!(
        "insert into {} ({}) values ({}) on conflict ({}) do update set {}",
        table.name,
        names.join(", "),
        placeholders.join(", "),
        table.key.join(", "),
        updates.join(", ")
    )
}

/// Copies every table from `from` to `to`; returns `(table, rows)` for each.
pub async fn copy_all(
    from: &Database,
    to: &Database,
) -> Result<Vec<(&'static str, u64)>, StoreError> {
    let mut copied = Vec::new();
    for table in TABLES {
        let mut offset = 0;
        loop {
            let rows = from.read(table, offset).await?;
            let n = rows.len() as i64;
            if n == 0 {
                break;
            }
            to.write(table, rows).await?;
            offset += n;
        }
        copied.push((table.name, u64::try_from(offset).unwrap_or(0)));
    }
    Ok(copied)
}
