//! What is particular to each storage backend: SQLite's group commit, its file and its
//! connections; PostgreSQL's migrations; which URLs are refused.

use std::sync::Arc;
use std::time::Duration;

use hotline::store::open::connect;
use hotline::store::sqlite::SqliteStore;
use hotline::store::{CallLog, CallWrite, StoreError};
use sqlx::{Connection, Executor, Row, SqliteConnection};

use crate::store::{all_callbacks, callback, database_url, new_call, open_store, step};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_writes_all_succeed_in_fewer_transactions() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = database_url(&dir);
    let store = Arc::new(SqliteStore::open(&url).await.expect("the store opens"));
    // Holding the write lock for a moment lets the jobs pile up behind it,
    // as they do behind a slow disk.
    let mut blocker = SqliteConnection::connect(&url).await.expect("connect");
    blocker.execute("begin immediate").await.expect("lock");
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let sid = format!("CA{i}");
                store
                    .write(vec![
                        CallWrite::StartCall(new_call(&sid)),
                        CallWrite::Step(step(&sid, 1, "welcome")),
                    ])
                    .await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    blocker.execute("commit").await.expect("unlock");
    for task in tasks {
        task.await.expect("the task").expect("the write");
    }

    for i in 0..200 {
        let sid = format!("CA{i}");
        assert!(store.call(&sid).await.expect("read").is_some(), "{sid}");
        assert_eq!(store.steps(&sid).await.expect("steps").len(), 1, "{sid}");
    }
    assert!(store.commits() < 200, "{} commits", store.commits());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_does_not_fail_the_jobs_batched_with_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = database_url(&dir);
    let store = connect(&url).await.expect("the store opens");
    let mut saboteur = SqliteConnection::connect(&url).await.expect("connect");
    saboteur.execute("begin immediate").await.expect("lock");
    saboteur
        .execute("drop table callback_requests")
        .await
        .expect("drop");
    let write = |writes: Vec<CallWrite>| {
        let store = Arc::clone(&store);
        tokio::spawn(async move { store.write(writes).await })
    };
    let mut steps: Vec<_> = (1..=5)
        .map(|seq| write(vec![CallWrite::Step(step("CA1", seq, "n"))]))
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let request = write(vec![CallWrite::CallbackRequested(callback("CA1", 1))]);
    steps.extend((6..=10).map(|seq| write(vec![CallWrite::Step(step("CA1", seq, "n"))])));
    tokio::time::sleep(Duration::from_millis(200)).await;
    saboteur.execute("commit").await.expect("unlock");

    let failure = request
        .await
        .expect("the task")
        .expect_err("the table is gone");
    assert!(matches!(failure, StoreError::Refused(_)), "{failure}");
    for task in steps {
        task.await.expect("the task").expect("a step");
    }
    assert_eq!(store.steps("CA1").await.expect("steps").len(), 10);
}

#[tokio::test]
async fn the_database_file_is_created_and_reopening_it_keeps_the_data() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("hotline.db");
    assert!(!path.exists());
    let store = connect(&database_url(&dir)).await.expect("the store opens");
    assert!(path.exists());
    store.ping().await.expect("ping");
    store
        .write(vec![CallWrite::StartCall(new_call("CA1"))])
        .await
        .expect("start");
    drop(store);

    let url = format!("sqlite://{}", path.display());
    let reopened = connect(&url).await.expect("the store reopens");
    let call = reopened.call("CA1").await.expect("read").expect("the call");
    assert_eq!(call.hotline, "tenants");
    reopened.ping().await.expect("ping");
}

#[tokio::test]
async fn a_write_is_visible_to_a_new_connection_once_it_returns() {
    let (dir, store) = open_store().await;
    store
        .write(vec![CallWrite::CallbackRequested(callback("CA1", 7))])
        .await
        .expect("callback request");

    let mut fresh = SqliteConnection::connect(&database_url(&dir))
        .await
        .expect("connect");
    let (count,): (i64,) = sqlx::query_as("select count(*) from callback_requests")
        .fetch_one(&mut fresh)
        .await
        .expect("count");
    assert_eq!(count, 1);
    let other_store = connect(&database_url(&dir)).await.expect("a second store");
    assert_eq!(all_callbacks(&*other_store).await.len(), 1);
}

#[tokio::test]
async fn an_unsupported_url_is_refused_without_showing_its_password() {
    let Err(error) = connect("mysql://hotline:s3cret@db/hotline").await else {
        panic!("a MySQL URL is not supported");
    };
    assert!(matches!(error, StoreError::UnsupportedUrl(_)));
    let message = error.to_string();
    assert!(!message.contains("s3cret"), "{message}");
    assert!(
        message.contains("mysql://db/hotline") && message.contains("postgres://"),
        "{message}"
    );
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |backend: &str| -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| {
                entry
                    .expect("a directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    };
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite,
        names("postgres"),
        "every migration needs its twin, same version and name"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_starting_together_on_one_postgres_database_both_migrate_it() {
    let Some(database) = crate::support::backends::postgres().await else {
        return;
    };
    let opens = (0..4).map(|_| connect(&database.url));
    let stores: Vec<_> = futures_util::future::join_all(opens).await;
    for store in stores {
        let store = store.expect("every instance opens the database");
        assert!(all_callbacks(&*store).await.is_empty());
    }
}

/// On PostgreSQL, webhooks writing at the same moment share transactions (their rows carry
/// few distinct transaction ids), a retried step is recorded once, and a write the database
/// refuses costs only its own webhook.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_concurrent_writes_share_commits_and_a_refused_one_costs_only_its_own() {
    let Some(backend) = crate::support::backends::postgres().await else {
        return;
    };
    let store = backend.open().await;
    let mut blocker = sqlx::PgConnection::connect(&backend.url)
        .await
        .expect("connect");
    // Holding the table lets the writes pile up behind it, as they do behind a slow disk.
    blocker.execute("begin").await.expect("begin");
    (blocker
        .execute("lock table call_steps in exclusive mode")
        .await)
        .expect("lock");
    let write = |writes: Vec<CallWrite>| {
        let store = Arc::clone(&store);
        tokio::spawn(async move { store.write(writes).await })
    };
    let mut good: Vec<_> = (0..100)
        .map(|i| {
            let sid = format!("CA{i}");
            let retried = step(&sid, 1, "welcome");
            write(vec![
                CallWrite::StartCall(new_call(&sid)),
                CallWrite::Step(retried.clone()),
                CallWrite::Step(retried),
            ])
        })
        .collect();
    // PostgreSQL refuses a NUL character in text.
    let mut poisoned = step("CA-bad", 1, "welcome");
    poisoned.input = Some("\u{0}".into());
    let bad = write(vec![CallWrite::Step(poisoned)]);
    good.extend((100..150).map(|i| write(vec![CallWrite::Step(step(&format!("CA{i}"), 1, "n"))])));
    tokio::time::sleep(Duration::from_millis(500)).await;
    blocker.execute("commit").await.expect("unlock");

    assert!(bad.await.expect("the task").is_err(), "the NUL is refused");
    for task in good {
        task.await
            .expect("the task")
            .expect("a write batched with a refused one");
    }
    for i in 0..150 {
        let sid = format!("CA{i}");
        assert_eq!(store.steps(&sid).await.expect("steps").len(), 1, "{sid}");
    }
    let transactions: i64 = sqlx::query_scalar("select count(distinct xmin::text) from call_steps")
        .fetch_one(&mut blocker)
        .await
        .expect("count");
    assert!(
        transactions < 100,
        "150 webhooks' steps in {transactions} transactions"
    );
}

/// Operators' changes on SQLite share transactions: sixteen claims made while the file is
/// locked commit in a few transactions, each claim answers only once its transaction is
/// committed, and a claim refused (the request already taken) changes nothing and costs the
/// others nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_changes_on_sqlite_share_commits_and_a_refused_one_costs_only_its_own() {
    use hotline::store::{Claim, Worklist};
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = database_url(&dir);
    let store = Arc::new(SqliteStore::open(&url).await.expect("the store opens"));
    for i in 0..16 {
        let request = CallWrite::CallbackRequested(callback(&format!("CA{i}"), i));
        store.write(vec![request]).await.expect("a request");
    }
    let ids: Vec<String> = all_callbacks(&*store)
        .await
        .into_iter()
        .map(|r| r.id)
        .collect();
    let claim = |id: &str, who: &str| Claim {
        request_id: id.to_string(),
        operator_id: who.to_string(),
        at: 1_000,
        stale_before: 0,
    };
    store
        .claim(&claim(&ids[0], "sam"))
        .await
        .expect("sam's claim");
    let before = store.desk_commits();
    let mut blocker = SqliteConnection::connect(&url).await.expect("connect");
    blocker.execute("begin immediate").await.expect("lock");
    let claims: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let (store, wanted) = (Arc::clone(&store), claim(id, &format!("op{n}")));
            tokio::spawn(async move { store.claim(&wanted).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    blocker.execute("commit").await.expect("unlock");

    let mut answers = Vec::new();
    for task in claims {
        answers.push(task.await.expect("the task"));
    }
    let refused = answers[0].as_ref().expect_err("sam holds the first");
    assert!(matches!(
        refused,
        StoreError::Conflict {
            code: "already_claimed",
            ..
        }
    ));
    for (n, answer) in answers.iter().enumerate().skip(1) {
        let claimed = answer.as_ref().expect("a claim batched with a refused one");
        assert_eq!(
            claimed.claimed_by.as_deref(),
            Some(format!("op{n}").as_str())
        );
    }
    let held = all_callbacks(&*store).await;
    assert_eq!(
        held.iter()
            .filter(|r| r.claimed_by.as_deref() == Some("sam"))
            .count(),
        1
    );
    let commits = store.desk_commits() - before;
    assert!(commits < 8, "sixteen claims in {commits} transactions");
}

#[tokio::test]
async fn sqlite_checks_a_callback_write_without_building_a_temporary_table() {
    // A CHECK written `x in ('a', 'b', 'c')` makes SQLite fill a temporary b-tree with the
    // list on every write it checks; the callback tables are written on every callback path.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = database_url(&dir);
    drop(SqliteStore::open(&url).await.expect("the store opens"));
    let mut conn = SqliteConnection::connect(&url).await.expect("connect");
    for table in [
        "callback_requests",
        "unfinished_requests",
        "callback_attempts",
        "callback_dials",
    ] {
        let program: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "explain insert into {table} default values"
        )))
        .fetch_all(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{table}: {e}"))
        .iter()
        .map(|row| row.get("opcode"))
        .collect();
        assert!(
            program.iter().any(|op| op == "Insert"),
            "{table}: {program:?}"
        );
        assert!(
            !program.iter().any(|op| op == "OpenEphemeral"),
            "{table}: a write builds a temporary table"
        );
    }
}
