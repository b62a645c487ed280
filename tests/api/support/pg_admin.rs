//! The shared PostgreSQL database as its administrator and a supervisor see it, for tests of
//! several server processes: who listens for changes, cutting their connections, and a
//! supervisor's API token.

use std::time::{Duration, Instant};

use hotline::operators::Role;
use hotline::operators::credentials::{digest, hash_password, new_token};
use hotline::store::{NewOperator, OperatorChange, Store};

use super::backends::{Backend, POSTGRES_URL_VARIABLE};
use super::console_client::PASSWORD;

/// A supervisor in the shared database with a console password and an API token.
pub async fn add_supervisor(store: &dyn Store, name: &str) -> String {
    let new = NewOperator {
        name: name.into(),
        role: Role::Supervisor,
        categories: vec![],
        at: 0,
    };
    let operator = store.add_operator(&new).await.expect("added");
    let hash = hash_password(PASSWORD).expect("hash");
    let change = OperatorChange::Password(hash);
    store.update_operator(name, &change).await.expect("set");
    let token = new_token("hl_").expect("token");
    let digest = digest(&token);
    store
        .add_token(&operator.id, &digest, "live", 0)
        .await
        .expect("token");
    token
}

/// The PostgreSQL server as its administrator sees it, for the test's database.
pub struct Admin {
    conn: sqlx::PgConnection,
    database: String,
}

impl Admin {
    pub async fn connect(database: &Backend) -> Admin {
        use sqlx::Connection;
        let url = std::env::var(POSTGRES_URL_VARIABLE).expect("set when there is a database");
        let conn = sqlx::PgConnection::connect(&url).await.expect("admin");
        let name = database.url.rsplit('/').next().expect("a database name");
        Admin {
            conn,
            database: name.to_string(),
        }
    }

    /// How many instances listen for changes on the test's database.
    pub async fn listeners(&mut self) -> i64 {
        sqlx::query_scalar(
            "select count(*) from pg_stat_activity where datname = $1 and application_name = $2",
        )
        .bind(&self.database)
        .bind(hotline::store::postgres::LISTENER_NAME)
        .fetch_one(&mut self.conn)
        .await
        .expect("pg_stat_activity")
    }

    /// Waits until `count` instances listen; panics after `within`.
    pub async fn wait_for_listeners(&mut self, count: i64, within: Duration) {
        let until = Instant::now() + within;
        while self.listeners().await != count {
            assert!(Instant::now() < until, "never {count} listeners");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Ends every listener's connection, and with `refuse` keeps them from connecting again
    /// (connections already open go on serving).
    pub async fn cut_listeners(&mut self, refuse: bool) {
        self.allow_connections(!refuse).await;
        sqlx::query(
            "select pg_terminate_backend(pid) from pg_stat_activity \
             where datname = $1 and application_name = $2",
        )
        .bind(&self.database)
        .bind(hotline::store::postgres::LISTENER_NAME)
        .execute(&mut self.conn)
        .await
        .expect("terminated");
    }

    pub async fn allow_connections(&mut self, allow: bool) {
        let sql = format!("alter database {} allow_connections {allow}", self.database);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut self.conn)
            .await
            .expect("altered");
    }
}
