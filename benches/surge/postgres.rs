//! A scratch PostgreSQL database for one run: created on the server `--database-url` points at,
//! through that URL's own database (`postgres` when it names none), and dropped when the run
//! ends, so every run starts from empty tables and leaves nothing behind.

use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// A database of the run's own; dropped (with any connection still open to it) on drop.
pub struct Scratch {
    /// The database the server under test is given.
    pub url: String,
    /// The database the scratch one is created and dropped through.
    admin_url: String,
    name: String,
}

impl Scratch {
    /// Creates `hotline_bench_<pid>` on the server of `given`.
    pub fn create(given: &str) -> Scratch {
        let name = format!("hotline_bench_{}", std::process::id());
        let (admin_url, url) = urls(given, &name);
        // The name is made here of letters, digits and underscores, so it needs no quoting.
        admin(&admin_url, &format!("drop database if exists {name}"));
        admin(&admin_url, &format!("create database {name}"));
        println!("PostgreSQL: created the scratch database {name}");
        Scratch {
            url,
            admin_url,
            name,
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let name = &self.name;
        admin(
            &self.admin_url,
            &format!("drop database if exists {name} with (force)"),
        );
        println!("PostgreSQL: dropped the scratch database {name}");
    }
}

/// The URL to administer through (`given`, or `given` with `/postgres` when it names no
/// database) and the URL of database `name` on the same server with the same options.
fn urls(given: &str, name: &str) -> (String, String) {
    let (scheme, rest) = given
        .split_once("://")
        .expect("--database-url is a postgres:// URL");
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, format!("?{query}")),
        None => (rest, String::new()),
    };
    let (server, database) = before_query
        .split_once('/')
        .unwrap_or((before_query, "postgres"));
    let database = if database.is_empty() {
        "postgres"
    } else {
        database
    };
    (
        format!("{scheme}://{server}/{database}{query}"),
        format!("{scheme}://{server}/{name}{query}"),
    )
}

/// Runs one administrative statement, which cannot run inside a transaction.
fn admin(admin_url: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    runtime.block_on(async {
        let mut db = PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the --database-url server: {e}"));
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(&mut db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let _ = db.close().await;
    });
}
