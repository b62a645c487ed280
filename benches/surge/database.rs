//! The database the server under test runs on: a fresh SQLite file in a temporary directory (the
//! default), or a scratch PostgreSQL database made for the run; and counting rows in it once the
//! server has stopped.

use std::path::PathBuf;

use tempfile::TempDir;

use crate::postgres::Scratch;

/// A fresh database for one run, removed when dropped.
pub enum Database {
    Sqlite(TempDir),
    Postgres(Scratch),
}

impl Database {
    /// A new SQLite file in a temporary directory; the server creates it and its tables.
    pub fn sqlite() -> Database {
        Database::Sqlite(tempfile::tempdir().expect("a temporary directory"))
    }

    /// A new database on the PostgreSQL server `given` points at.
    pub fn postgres(given: &str) -> Database {
        Database::Postgres(Scratch::create(given))
    }

    /// What the server is given as `--database-url`.
    pub fn url(&self) -> String {
        match self {
            Database::Sqlite(dir) => format!("sqlite:{}", sqlite_file(dir).display()),
            Database::Postgres(scratch) => scratch.url.clone(),
        }
    }

    /// The SQLite file, for the preload; `None` on PostgreSQL.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match self {
            Database::Sqlite(dir) => Some(sqlite_file(dir)),
            Database::Postgres(_) => None,
        }
    }

    /// The single number `sql` selects; the SQL is the same on both databases.
    pub fn count(&self, sql: &'static str) -> i64 {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime starts");
        runtime.block_on(async {
            use sqlx::Connection;
            let count = match self {
                Database::Sqlite(_) => {
                    let url = format!("{}?mode=ro", self.url());
                    let mut db = sqlx::SqliteConnection::connect(&url)
                        .await
                        .expect("the benchmark database opens");
                    sqlx::query_scalar(sql).fetch_one(&mut db).await
                }
                Database::Postgres(scratch) => {
                    let mut db = sqlx::PgConnection::connect(&scratch.url)
                        .await
                        .expect("the benchmark database accepts a connection");
                    sqlx::query_scalar(sql).fetch_one(&mut db).await
                }
            };
            count.unwrap_or_else(|e| panic!("{sql}: {e}"))
        })
    }
}

fn sqlite_file(dir: &TempDir) -> PathBuf {
    dir.path().join("surge.db")
}

/// Rows saved in the database after the callback scenario.
pub struct Saved {
    pub calls: i64,
    pub callback_requests: i64,
    pub with_recording: i64,
}

impl Saved {
    pub fn count(db: &Database) -> Saved {
        Saved {
            calls: db.count("select count(*) from calls"),
            callback_requests: db.count("select count(*) from callback_requests"),
            with_recording: db
                .count("select count(*) from callback_requests where recording_url is not null"),
        }
    }
}
