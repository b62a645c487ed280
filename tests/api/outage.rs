//! The database away or slow under real server processes: SQLite locked by another process
//! (also across a SIGTERM), and PostgreSQL cut off or slowed down by a proxy. Callers get an
//! answer in time, never "saved" without a commit, nothing panics, writes made meanwhile land,
//! and the server recovers without a restart.

use std::time::Duration;

use futures_util::future::join_all;
use hotline::store::open::connect;
use hotline::store::{CallbackFilter, Store};
use reqwest::StatusCode;
use sqlx::{Connection, Executor, SqliteConnection};

use crate::support::backends::{POSTGRES_URL_VARIABLE, postgres};
use crate::support::pg_proxy::{Mode, Proxy};
use crate::support::server_process::{Answer, ServerProcess};

/// The server's default `--webhook-deadline`.
const DEADLINE: Duration = Duration::from_secs(5);
/// Room for the answer to travel and a busy machine; the provider itself waits 15 s.
const MARGIN: Duration = Duration::from_secs(2);
/// A menu answer that waited for the writer would take its 1 s busy timeout at least.
const FAST: Duration = Duration::from_secs(1);
/// The keys of the reference flow's callback path after hours.
const KEYS: [&str; 5] = ["1", "2", "1", "2", "4"];
const RECORDING: [(&str, &str); 2] = [
    ("RecordingUrl", "https://rec.example/RE1"),
    ("RecordingDuration", "4"),
];

/// A call up to the question that asks for a message, stopping early if an answer offers no
/// way on.
async fn to_message(server: &ServerProcess, sid: &str) -> Vec<Answer> {
    let mut answers = vec![server.incoming(sid).await];
    for key in KEYS {
        let Some(url) = answers.last().and_then(Answer::next_url) else {
            return answers;
        };
        answers.push(server.webhook(&url, sid, &[("Digits", key)]).await);
    }
    answers
}

/// A whole call along the callback path.
async fn callback_call(server: &ServerProcess, sid: &str) -> Vec<Answer> {
    let mut answers = to_message(server, sid).await;
    if let Some(url) = answers.last().and_then(Answer::next_url) {
        answers.push(server.webhook(&url, sid, &RECORDING).await);
    }
    answers
}

fn heard_saved(answer: &Answer) -> bool {
    answer.text().contains("has been saved")
}

/// Waits until `store` holds a callback request for every call in `sids`.
async fn requests_land(store: &dyn Store, sids: &[String], within: Duration) -> bool {
    let until = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < until {
        let saved = store.callback_requests(&CallbackFilter::default()).await;
        let saved: Vec<String> = saved
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.call_sid)
            .collect();
        if sids.iter().all(|sid| saved.contains(sid)) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// The call's row, steps and callback request are as complete as the `reference` call's.
async fn recorded_like(store: &dyn Store, sid: &str, reference: &str) {
    let call = store
        .call(sid)
        .await
        .expect("read")
        .unwrap_or_else(|| panic!("{sid} has no row"));
    let model = store
        .call(reference)
        .await
        .expect("read")
        .expect("the reference call");
    assert_eq!(
        (&call.language, &call.category),
        (&model.language, &model.category),
        "{sid}: language and category recorded"
    );
    let steps = store.steps(sid).await.expect("steps").len();
    let expected = store.steps(reference).await.expect("steps").len();
    assert_eq!(steps, expected, "{sid}: every step recorded");
    let requests = store.callback_requests(&CallbackFilter::default()).await;
    assert!(
        requests.expect("list").iter().any(|r| r.call_sid == sid),
        "{sid}: the callback request is saved"
    );
}

fn sqlite_file() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite:{}", dir.path().join("hotline.db").display());
    (dir, url)
}

/// Another process's connection holding the write lock, as a long transaction would.
async fn lock(url: &str) -> SqliteConnection {
    let mut holder = SqliteConnection::connect(url)
        .await
        .expect("the file opens");
    holder
        .execute("begin exclusive")
        .await
        .expect("the lock is taken");
    holder
}

/// Calls made while the file is locked: menus answer at once, as for the reference call; the
/// confirmation is the fallback, in time.
fn check_locked_calls(calls: &[Vec<Answer>], reference: &[Answer]) {
    for answers in calls {
        assert_eq!(answers.len(), reference.len(), "every call reached its end");
        let (last, menus) = answers.split_last().expect("answers");
        let slowest = menus.iter().map(|a| a.took).max();
        eprintln!(
            "locked: slowest menu {slowest:?}, confirmation {:?}",
            last.took
        );
        for (answer, model) in menus.iter().zip(reference) {
            assert_eq!(answer.status, StatusCode::OK);
            assert!(answer.took < FAST, "a menu waited {:?}", answer.took);
            assert_eq!(answer.text(), model.text(), "the normal menu");
        }
        assert_eq!(last.status, StatusCode::OK);
        assert!(
            last.took < DEADLINE,
            "the confirmation took {:?}",
            last.took
        );
        assert!(last.is_fallback() && !heard_saved(last), "{}", last.text());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_sqlite_file_keeps_calls_going_and_every_write_lands_once_it_is_released() {
    let (_dir, url) = sqlite_file();
    let mut server = ServerProcess::start(&url);
    let reference = callback_call(&server, "CA-before").await;
    assert!(
        heard_saved(reference.last().expect("answers")),
        "the database works at first"
    );

    let mut holder = lock(&url).await;
    let sids: Vec<String> = (0..6).map(|i| format!("CA-locked-{i}")).collect();
    let calls = join_all(sids.iter().map(|sid| callback_call(&server, sid))).await;
    check_locked_calls(&calls, &reference);
    assert!(
        server
            .becomes(StatusCode::SERVICE_UNAVAILABLE, DEADLINE)
            .await,
        "/readyz says not ready while commits fail"
    );
    assert!(server.metric("hotline_store_commit_failures_total").await > 0.0);
    assert!(server.metric("hotline_store_writes_waiting").await > 0.0);
    assert!(server.alive(), "the server is still running");

    holder
        .execute("rollback")
        .await
        .expect("the lock is released");
    recovers(&mut server, &url, &sids).await;
}

/// Once the lock is gone: ready again, every write made meanwhile is in the file, and a new
/// call is saved at once.
async fn recovers(server: &mut ServerProcess, url: &str, sids: &[String]) {
    assert!(
        server
            .becomes(StatusCode::OK, Duration::from_secs(10))
            .await,
        "ready again without a restart"
    );
    let store = connect(url).await.expect("the database opens");
    assert!(requests_land(&*store, sids, Duration::from_secs(10)).await);
    for sid in sids {
        recorded_like(&*store, sid, "CA-before").await;
    }
    let after = callback_call(server, "CA-after").await;
    let last = after.last().expect("answers");
    assert!(heard_saved(last) && last.took < FAST, "{}", last.text());
    recorded_like(&*store, "CA-after", "CA-before").await;
    let dropped = server.metric("hotline_store_writes_dropped_total").await;
    assert_eq!(dropped, 0.0, "no write was given up");
    assert!(server.alive());
    assert_eq!(server.panics(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_sqlite_is_locked_waits_for_the_queued_writes() {
    let (_dir, url) = sqlite_file();
    let mut server = ServerProcess::start(&url);
    callback_call(&server, "CA-before").await;
    let mut holder = lock(&url).await;
    let sids: Vec<String> = (0..3).map(|i| format!("CA-term-{i}")).collect();
    join_all(sids.iter().map(|sid| callback_call(&server, sid))).await;

    server.terminate();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        server.alive(),
        "the server waits for the writes still queued"
    );
    holder
        .execute("rollback")
        .await
        .expect("the lock is released");
    let status = server.exit(Duration::from_secs(10)).await;
    assert!(
        status.is_some_and(|s| s.success()),
        "exited cleanly: {status:?}"
    );
    assert_eq!(server.panics(), Vec::<String>::new());

    let store = connect(&url).await.expect("the database opens");
    for sid in &sids {
        recorded_like(&*store, sid, "CA-before").await;
    }
}

/// Where the PostgreSQL server named by the test variable listens.
fn postgres_address() -> std::net::SocketAddr {
    let admin = std::env::var(POSTGRES_URL_VARIABLE).expect("set");
    let url = reqwest::Url::parse(&admin).expect("a URL");
    let host = url
        .host_str()
        .expect("a host name or address, not a socket folder");
    let port = url.port().unwrap_or(5432);
    std::net::ToSocketAddrs::to_socket_addrs(&(host, port))
        .expect("the host resolves")
        .next()
        .expect("an address")
}

/// `url` with its host and port replaced by the proxy's.
fn through(url: &str, proxy: &Proxy) -> String {
    let mut url = reqwest::Url::parse(url).expect("a URL");
    url.set_host(Some("127.0.0.1")).expect("a host");
    url.set_port(Some(proxy.port)).expect("a port");
    url.to_string()
}

/// While the database is away (`mode`): a new caller hears the normal first menu (a failed write
/// the caller hears nothing about does not stop the call) and a caller leaving a message hears
/// the fallback, both in time; the failure is counted and reported; nothing panics.
async fn outage(server: &mut ServerProcess, proxy: &Proxy, mode: Mode, first_menu: &Answer) {
    let name = match mode {
        Mode::Through => "through",
        Mode::Cut => "cut",
        Mode::Slow(_) => "slow",
    };
    let sid = format!("CA-{name}");
    let before = to_message(server, &sid).await;
    let record = before
        .last()
        .and_then(Answer::next_url)
        .expect("asked for a message");
    let errors = server.metric("hotline_store_errors_total").await;
    let new_sid = format!("CA-{name}-new");
    proxy.set(mode);
    let (menu, confirmation) = tokio::join!(
        server.incoming(&new_sid),
        server.webhook(&record, &sid, &RECORDING),
    );
    eprintln!(
        "{name}: menu {:?}, confirmation {:?}",
        menu.took, confirmation.took
    );
    for answer in [&menu, &confirmation] {
        assert_eq!(answer.status, StatusCode::OK, "{name}: {}", answer.text());
        assert!(
            answer.took < DEADLINE + MARGIN,
            "{name}: took {:?}",
            answer.took
        );
    }
    assert_eq!(menu.text(), first_menu.text(), "{name}: the call goes on");
    let heard = confirmation.text();
    assert!(
        confirmation.is_fallback() && !heard_saved(&confirmation),
        "{name}: {heard}"
    );
    assert!(
        server
            .becomes(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(10))
            .await,
        "{name}: /readyz says not ready"
    );
    assert!(
        rises(server, "hotline_store_errors_total", errors).await,
        "{name}: counted"
    );
    assert!(
        server.alive() && server.panics().is_empty(),
        "{name}: still serving"
    );
    proxy.set(Mode::Through);
    assert!(
        server
            .becomes(StatusCode::OK, Duration::from_secs(15))
            .await,
        "{name}: ready again without a restart"
    );
}

/// Whether the metric goes above `before` within a few seconds.
async fn rises(server: &ServerProcess, metric: &str, before: f64) -> bool {
    let until = tokio::time::Instant::now() + Duration::from_secs(10);
    while tokio::time::Instant::now() < until {
        if server.metric(metric).await > before {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_cut_off_or_slow_gives_callers_an_answer_in_time_and_recovers_by_itself() {
    let Some(database) = postgres().await else {
        return;
    };
    let proxy = Proxy::start(postgres_address()).await;
    let mut server = ServerProcess::start(&through(&database.url, &proxy));
    assert!(
        server
            .becomes(StatusCode::OK, Duration::from_secs(10))
            .await
    );
    let reference = callback_call(&server, "CA-before").await;
    assert!(heard_saved(reference.last().expect("answers")));

    let first_menu = reference.first().expect("answers");
    outage(&mut server, &proxy, Mode::Cut, first_menu).await;
    let slow = Mode::Slow(Duration::from_secs(6));
    outage(&mut server, &proxy, slow, first_menu).await;

    let after = callback_call(&server, "CA-after").await;
    assert!(heard_saved(after.last().expect("answers")));
    let store = connect(&database.url).await.expect("the database opens");
    recorded_like(&*store, "CA-after", "CA-before").await;
    assert!(server.alive());
    assert_eq!(server.panics(), Vec::<String>::new());
}
