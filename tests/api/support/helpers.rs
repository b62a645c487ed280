//! Test harness: a real server on an ephemeral port with its own SQLite file (or a fresh
//! PostgreSQL database, for the tests that run on every backend), and a call that behaves like
//! the provider: it signs requests, follows the URLs in the TwiML and parses it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hotline::app::Application;
use hotline::config::ServeArgs;
use hotline::http::signature::{AuthToken, expected_signature};
use hotline::store::Store;
use tempfile::TempDir;
use tokio::sync::oneshot;

use crate::support::xml::Element;

/// The token test servers that check signatures use.
pub const TOKEN: &str = "test-auth-token-12345";
/// The reference hotline's number.
pub const HOTLINE_NUMBER: &str = "+18005550100";
/// A caller.
pub const CALLER: &str = "+12025550123";

/// Tuesday 2026-12-01, 10:00 in New York: open.
pub const OPEN: &str = "2026-12-01T15:00:00Z";
/// Monday 2026-11-30, 21:00 in New York: after hours.
pub const AFTER_HOURS: &str = "2026-12-01T02:00:00Z";
/// Saturday 2026-12-05, 10:00 in New York: the office is closed, so callers are offered a call
/// back, but it is within the calling hours, so operators may call them back.
pub const WEEKEND_MORNING: &str = "2026-12-05T15:00:00Z";
/// Christmas Day 2026, noon in New York: a holiday.
pub const HOLIDAY: &str = "2026-12-25T17:00:00Z";

/// The repository's shipped flows.
pub fn shipped_flows() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("call_flows")
}

/// The reference flow's text, for tests that run an edited copy of it.
pub fn shipped_flow_text() -> String {
    std::fs::read_to_string(shipped_flows().join("victim_hotline.toml")).expect("the shipped flow")
}

/// A server whose only flow is `text` (an edited reference flow), at `clock`. The flows folder
/// lives as long as the returned guard.
pub async fn spawn_app_on_flow(text: &str, clock: &'static str) -> (TempDir, TestApp) {
    let dir = tempfile::tempdir().expect("a flows folder");
    std::fs::write(dir.path().join("victim_hotline.toml"), text).expect("the flow written");
    let app = spawn_app(Options {
        flows: dir.path().to_path_buf(),
        ..Options::at(clock)
    })
    .await;
    (dir, app)
}

/// How to start a test server.
pub struct Options {
    pub clock: &'static str,
    pub signed: bool,
    pub flows: PathBuf,
    /// Seconds a webhook may take before the fallback is spoken.
    pub deadline: f64,
    /// Seconds between looks at the flows folder; 0 (the tests' default) turns reloading off.
    pub reload_every: f64,
    /// The key that hashes callers' numbers; none by default.
    pub caller_key: Option<&'static str>,
    /// The address the provider is given (`--public-url`); the socket's own by default.
    pub public_url: Option<&'static str>,
    /// The provider's REST API (an emulator's address), with the test account; none by default.
    pub provider_api: Option<String>,
    /// The database; a fresh SQLite file in the server's folder by default.
    pub database_url: Option<String>,
}

impl Options {
    pub fn at(clock: &'static str) -> Options {
        Options {
            clock,
            signed: true,
            flows: shipped_flows(),
            deadline: 5.0,
            reload_every: 0.0,
            caller_key: None,
            public_url: None,
            provider_api: None,
            database_url: None,
        }
    }
}

/// A running server and its database.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub token: Option<AuthToken>,
    /// The SQLite file; empty on PostgreSQL.
    pub db_path: PathBuf,
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The database, as the server was given it.
    pub database_url: String,
    pub store: Arc<dyn Store>,
    /// The server's queue of console password checks.
    pub password_checks: Arc<tokio::sync::Semaphore>,
    _dir: TempDir,
    _stop: oneshot::Sender<()>,
}

pub async fn spawn_app(options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("hotline.db");
    start(options, dir, db_path).await
}

/// Runs `test` against a server on every available backend: a fresh SQLite file, and a fresh
/// PostgreSQL database when the storage tests' PostgreSQL is set (see `backends`), saying which
/// on failure.
pub async fn on_every_backend_app<F, Fut>(options: impl Fn() -> Options, test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in crate::support::backends::backends().await {
        eprintln!("server on the {} backend", backend.name);
        let options = Options {
            database_url: Some(backend.url.clone()),
            ..options()
        };
        test(spawn_app(options).await).await;
    }
}

/// A server on an existing database file (a restart).
pub async fn spawn_app_on(options: Options, db_path: &Path) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    start(options, dir, db_path.to_path_buf()).await
}

async fn start(options: Options, dir: TempDir, db_path: PathBuf) -> TestApp {
    let url = options
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite:{}", db_path.display()));
    let db_path = hotline::store::open::sqlite_file(&url).unwrap_or_default();
    let backend = if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let mut args = ServeArgs::for_tests(&url, options.flows);
    args.clock = Some(options.clock.parse().expect("test clock"));
    args.webhook_deadline = options.deadline;
    args.flows_poll_seconds = options.reload_every;
    args.caller_key = options.caller_key.map(str::to_string);
    args.public_url = options.public_url.map(str::to_string);
    if let Some(api) = options.provider_api {
        args.provider_api.twilio_api_url = api;
        args.provider_api.twilio_account_sid = Some(crate::support::provider_api::ACCOUNT.into());
        args.provider_api.twilio_api_key = Some(crate::support::provider_api::KEY.into());
        args.provider_api.twilio_api_secret = Some(crate::support::provider_api::SECRET.into());
    }
    if options.signed {
        args.twilio_auth_token = Some(TOKEN.to_string());
    }
    let app = Application::build(&args).await.expect("server starts");
    let base = format!("http://{}", app.local_addr());
    let store = app.state().store.clone();
    let password_checks = Arc::clone(&app.state().password_checks);
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    TestApp {
        base,
        client: crate::support::new_client(),
        token: args.auth_token(),
        db_path,
        backend,
        database_url: url,
        store,
        password_checks,
        _dir: dir,
        _stop: stop,
    }
}

impl TestApp {
    /// Stops the server and hands back its database, for a restart.
    pub async fn stop(self) -> (TempDir, PathBuf) {
        let TestApp {
            _dir,
            _stop,
            db_path,
            store,
            ..
        } = self;
        drop(_stop);
        drop(store);
        // Let the graceful shutdown and the writer task finish.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        (_dir, db_path)
    }

    /// POSTs a form the way the provider does, signed when the server checks signatures, then
    /// waits for the writes it queued. Writes the caller hears nothing about are committed just
    /// after the answer; the tests read the database next, so they wait for those writes as
    /// the provider's next request naturally would.
    /// The server's Prometheus text.
    pub async fn metrics(&self) -> String {
        let url = format!("{}/metrics", self.base);
        let response = self.client.get(url).send().await.expect("metrics answered");
        response.text().await.expect("metrics text")
    }

    pub async fn post(&self, url: &str, params: &[(&str, &str)]) -> reqwest::Response {
        let response = self.post_unsettled(url, params).await;
        self.store.flush().await.expect("queued writes committed");
        response
    }

    /// POSTs like `post` without waiting for the queued writes: for tests in which the
    /// database cannot take them.
    pub async fn post_unsettled(&self, url: &str, params: &[(&str, &str)]) -> reqwest::Response {
        let owned: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut request = self.client.post(url).form(&owned);
        if let Some(token) = &self.token {
            request = request.header("X-Twilio-Signature", expected_signature(token, url, &owned));
        }
        request.send().await.expect("request sent")
    }

    /// A new call from `from` to the reference hotline.
    pub fn call(&self, from: &str) -> Call<'_> {
        let sid = format!("CA{}", uuid::Uuid::now_v7().simple());
        Call {
            app: self,
            sid,
            from: from.to_string(),
            last: None,
            held: None,
            settle: true,
        }
    }

    /// A raw connection to the server's SQLite database, for sabotage.
    pub async fn raw_db(&self) -> sqlx::SqliteConnection {
        assert_eq!(self.backend, "sqlite", "raw_db opens SQLite files only");
        use sqlx::Connection;
        sqlx::SqliteConnection::connect(&format!("sqlite:{}", self.db_path.display()))
            .await
            .expect("db")
    }
}

/// One call, driven as the provider would drive it.
pub struct Call<'a> {
    pub app: &'a TestApp,
    pub sid: String,
    pub from: String,
    pub last: Option<Element>,
    /// What the last hold poll played, while `last` stays the response that queued the caller.
    pub held: Option<Element>,
    /// Whether each webhook waits for the writes it queued (see `TestApp::post`).
    pub settle: bool,
}

impl Call<'_> {
    fn params<'p>(&'p self, extra: &[(&'p str, &'p str)]) -> Vec<(&'p str, &'p str)> {
        let mut p = vec![
            ("CallSid", self.sid.as_str()),
            ("AccountSid", "AC00000000000000000000000000000000"),
            ("From", self.from.as_str()),
            ("To", HOTLINE_NUMBER),
            ("CallStatus", "in-progress"),
            ("Direction", "inbound"),
            ("ApiVersion", "2010-04-01"),
        ];
        p.extend_from_slice(extra);
        p
    }

    /// Sends one webhook and keeps its TwiML.
    pub async fn send(&mut self, url: &str, extra: &[(&str, &str)]) -> &Element {
        let params = self.params(extra);
        let response = if self.settle {
            self.app.post(url, &params).await
        } else {
            self.app.post_unsettled(url, &params).await
        };
        assert_eq!(response.status(), 200, "webhook {url} failed");
        let content_type = response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .to_string();
        assert!(
            content_type.starts_with("text/xml"),
            "content type {content_type}"
        );
        let body = response.text().await.expect("body");
        assert!(
            body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{body}"
        );
        let root = Element::parse(&body);
        assert_eq!(root.name, "Response", "{body}");
        for gather in root.find_all("Gather") {
            assert!(
                gather
                    .attr("action")
                    .is_some_and(|a| a.starts_with(&self.app.base)),
                "gather without action: {body}"
            );
        }
        self.last = Some(root);
        self.twiml()
    }

    pub fn twiml(&self) -> &Element {
        self.last.as_ref().expect("no response yet")
    }

    /// Everything said in the last response.
    pub fn heard(&self) -> String {
        self.twiml()
            .find_all("Say")
            .iter()
            .map(|s| s.text.trim())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub async fn start(&mut self) -> &Element {
        let url = format!("{}/voice/incoming", self.app.base);
        self.send(&url, &[]).await
    }

    fn url_of(&self, verb: &str, attr: Option<&str>) -> String {
        let root = self.twiml();
        let element = root
            .find_all(verb)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no <{verb}> in {root:?}"));
        match attr {
            Some(a) => element
                .attr(a)
                .unwrap_or_else(|| panic!("<{verb}> has no {a}"))
                .to_string(),
            None => element.text.trim().to_string(),
        }
    }

    /// Presses keys in the current gather.
    pub async fn press(&mut self, digits: &str) -> &Element {
        let url = self.url_of("Gather", Some("action"));
        self.send(&url, &[("Digits", digits)]).await
    }

    /// Speaks in the current gather: the provider's transcription and its confidence in it.
    pub async fn say(&mut self, words: &str, confidence: &str) -> &Element {
        let url = self.url_of("Gather", Some("action"));
        self.send(&url, &[("SpeechResult", words), ("Confidence", confidence)])
            .await
    }

    /// Stays silent: the provider falls through to the redirect after the gather.
    pub async fn silence(&mut self) -> &Element {
        self.follow_redirect().await
    }

    pub async fn follow_redirect(&mut self) -> &Element {
        let url = self.url_of("Redirect", None);
        self.send(&url, &[]).await
    }

    pub async fn record(&mut self, recording_url: &str, seconds: &str) -> &Element {
        let url = self.url_of("Record", Some("action"));
        self.send(
            &url,
            &[
                ("RecordingUrl", recording_url),
                ("RecordingDuration", seconds),
                ("Digits", "#"),
            ],
        )
        .await
    }

    pub async fn queue_result(&mut self, result: &str, seconds: &str) -> &Element {
        let url = self.url_of("Enqueue", Some("action"));
        self.send(
            &url,
            &[
                ("QueueResult", result),
                ("QueueTime", seconds),
                ("QueueSid", "QU123"),
            ],
        )
        .await
    }

    /// One hold poll while waiting in the queue; returns what the caller hears.
    pub async fn hold(&mut self, position: &str, seconds: &str) -> Element {
        let url = self.url_of("Enqueue", Some("waitUrl"));
        let keep = self.last.clone();
        let extra = [
            ("QueuePosition", position),
            ("QueueTime", seconds),
            ("CurrentQueueSize", position),
        ];
        let heard = self.send(&url, &extra).await.clone();
        self.last = keep;
        self.held = Some(heard.clone());
        heard
    }

    /// One hold poll after `wait_seconds` in the queue at `position`.
    pub async fn hold_with(&mut self, position: u32, wait_seconds: u32) -> Element {
        self.hold(&position.to_string(), &wait_seconds.to_string())
            .await
    }

    /// Presses keys during the last hold poll's offer; returns the answer, which the provider
    /// plays inside the queue (so `last` stays the response that queued the caller).
    pub async fn hold_choice(&mut self, digits: &str) -> Element {
        let held = self.held.as_ref().expect("no hold poll yet");
        let url = held
            .find_all("Gather")
            .first()
            .and_then(|g| g.attr("action"))
            .unwrap_or_else(|| panic!("the hold poll offers no choice: {held:?}"))
            .to_string();
        let keep = self.last.clone();
        let answer = self.send(&url, &[("Digits", digits)]).await.clone();
        self.last = keep;
        answer
    }

    pub async fn end(&self, status: &str, duration: &str, sequence: &str) -> reqwest::Response {
        let url = format!("{}/voice/status", self.app.base);
        let extra = [("CallDuration", duration), ("SequenceNumber", sequence)];
        let mut params = self.params(&extra);
        params.retain(|(k, _)| *k != "CallStatus");
        params.push(("CallStatus", status));
        self.app.post(&url, &params).await
    }

    /// The queue the last response put the caller in.
    pub fn queue(&self) -> Option<String> {
        self.twiml()
            .child("Enqueue")
            .map(|e| e.text.trim().to_string())
    }
}
