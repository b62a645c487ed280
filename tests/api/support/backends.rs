//! The storage backends the conformance tests run on: SQLite always, PostgreSQL when
//! `HOTLINE_TEST_POSTGRES_URL` names a server where the tests may create databases (each test
//! gets a fresh one, named `hotline_test_…`).

use std::future::Future;
use std::sync::{Arc, Once};

use hotline::store::Store;
use hotline::store::open::connect;
use sqlx::{Connection, Executor, PgConnection};
use tempfile::TempDir;

/// The variable that turns the PostgreSQL half on, e.g.
/// `postgres://postgres@127.0.0.1:5432/test`.
pub const POSTGRES_URL_VARIABLE: &str = "HOTLINE_TEST_POSTGRES_URL";

static SKIPPED: Once = Once::new();

/// A fresh, empty database of one backend.
pub struct Backend {
    pub name: &'static str,
    pub url: String,
    _dir: Option<TempDir>,
}

impl Backend {
    pub async fn open(&self) -> Arc<dyn Store> {
        connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("the {} store opens: {e}", self.name))
    }
}

/// A fresh SQLite file.
pub fn sqlite() -> Backend {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite:{}", dir.path().join("hotline.db").display());
    Backend {
        name: "sqlite",
        url,
        _dir: Some(dir),
    }
}

/// A fresh PostgreSQL database, or `None` (said once per run) when the variable is not set.
pub async fn postgres() -> Option<Backend> {
    let Ok(admin_url) = std::env::var(POSTGRES_URL_VARIABLE) else {
        SKIPPED.call_once(|| {
            eprintln!(
                "note: the PostgreSQL half of the storage tests was skipped: \
                 set {POSTGRES_URL_VARIABLE} (for example postgres://postgres@127.0.0.1:5432/test) to run it"
            );
        });
        return None;
    };
    let name = format!("hotline_test_{}", uuid::Uuid::now_v7().simple());
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("{POSTGRES_URL_VARIABLE} is set but the server refused: {e}"));
    let create = format!("create database {name}");
    admin
        .execute(sqlx::AssertSqlSafe(create))
        .await
        .expect("a test database is created");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(base, _)| base);
    Some(Backend {
        name: "postgres",
        url: format!("{base}/{name}"),
        _dir: None,
    })
}

/// Every backend available in this run, each fresh.
pub async fn backends() -> Vec<Backend> {
    let mut all = vec![sqlite()];
    all.extend(postgres().await);
    all
}

/// Runs `body` against a fresh store of every available backend, saying which on failure.
pub async fn on_every_backend<F, Fut>(body: F)
where
    F: Fn(Arc<dyn Store>) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in backends().await {
        eprintln!("storage backend: {}", backend.name);
        let store = backend.open().await;
        body(store).await;
    }
}
