//! The writer's own SQLite connection and how it applies the call log's shared statements.
//!
//! The writer runs on a thread of its own with a plain synchronous connection, so a batch of
//! writes costs one hand-off between threads rather than one per statement, and each statement
//! is prepared once and reused.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, ErrorCode, ToSql};

use crate::store::CallWrite;
use crate::store::calls::sql::{Param, statement};

/// Placeholder names in the order of `statement`'s parameters. SQLite numbers `$n`
/// parameters by where they first appear in the text, not by `n`, so they are bound by name.
const NAMES: [&str; 16] = [
    "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
    "$16",
];

/// Opens the writer's connection with the same settings as the pools' (see `connect_options`):
/// WAL, a commit synced before it returns, and a wait for other processes' locks.
pub(super) fn open(path: &Path, busy_timeout: Duration) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(busy_timeout)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Applies one write on `conn`, which the caller has put in a transaction.
pub(super) fn apply(conn: &Connection, write: &CallWrite) -> rusqlite::Result<()> {
    let (sql, params) = statement(write);
    if params.len() > NAMES.len() {
        return Err(rusqlite::Error::InvalidParameterCount(
            params.len(),
            NAMES.len(),
        ));
    }
    let mut stmt = conn.prepare_cached(sql)?;
    for (name, param) in NAMES.iter().zip(&params) {
        let index = stmt
            .parameter_index(name)?
            .ok_or_else(|| rusqlite::Error::InvalidParameterName((*name).to_string()))?;
        stmt.raw_bind_parameter(index, param)?;
    }
    stmt.raw_execute()?;
    Ok(())
}

impl ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match self {
            Param::Text(v) => v.to_sql(),
            Param::MaybeText(v) => v.to_sql(),
            Param::Int(v) => v.to_sql(),
            Param::MaybeInt(v) => v.to_sql(),
            Param::MaybeBool(v) => v.to_sql(),
        }
    }
}

/// Whether `error` says the database cannot be written right now (locked by another process,
/// read-only, out of space, an I/O error) rather than that this write is wrong. Such writes are
/// kept and tried again; a wrong write would fail again, so it is given up.
pub(super) fn is_unavailable(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::ReadOnly
                | ErrorCode::SystemIoFailure
                | ErrorCode::DiskFull
                | ErrorCode::CannotOpen
                | ErrorCode::PermissionDenied
                | ErrorCode::FileLockingProtocolFailed
                | ErrorCode::OutOfMemory
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_bound_by_their_number_even_out_of_order() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "create table calls (call_sid text primary key, language text, category text)",
        )
        .unwrap();
        conn.execute("insert into calls values ('CA1', 'en', null)", [])
            .unwrap();
        // SET_LANGUAGE names $2 before $1.
        let write = CallWrite::SetLanguage {
            call_sid: "CA1".into(),
            language: "es".into(),
        };
        apply(&conn, &write).unwrap();
        let language: String = conn
            .query_row("select language from calls", [], |row| row.get(0))
            .unwrap();
        assert_eq!(language, "es");
    }
}
