//! A `hotline serve` child process for the outage tests: started on a database URL, sent
//! signed webhooks as the provider would, watched through its log (for panics), `/readyz`
//! and `/metrics`, and stopped with SIGTERM or, when dropped, SIGKILL.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hotline::http::signature::{AuthToken, expected_signature};
use reqwest::StatusCode;

use crate::support::helpers::{CALLER, HOTLINE_NUMBER, TOKEN, WEEKEND_MORNING, shipped_flows};
use crate::support::xml::Element;

/// The address the provider is given; requests go to the process's own socket.
pub const PUBLIC: &str = "http://hotline.test";
/// The server secret every instance of these tests is given.
const SECRET_KEY: &str = "the secret these instances share, long enough";
/// The digest these instances look `pin` up by.
pub fn pin_digest(pin: &str) -> String {
    let secret = hotline::secret::ServerSecret::from_text(SECRET_KEY).expect("a long secret");
    hotline::operators::pin_key::PinKey::from_secret(&secret).digest(pin)
}

/// Longer than any answer may take: a request still unanswered then counts as a hang.
const HANG: Duration = Duration::from_secs(20);

pub struct ServerProcess {
    child: Child,
    pub base: String,
    log: Arc<Mutex<Vec<String>>>,
    client: reqwest::Client,
}

/// One webhook's answer and how long it took.
pub struct Answer {
    pub status: StatusCode,
    pub twiml: Element,
    pub took: Duration,
}

impl Answer {
    pub fn text(&self) -> String {
        self.twiml.all_text()
    }

    pub fn is_fallback(&self) -> bool {
        self.text().contains("we are having a technical problem")
    }

    /// The URL the provider requests next: the gather's or the recording's action.
    pub fn next_url(&self) -> Option<String> {
        ["Gather", "Record"].into_iter().find_map(|verb| {
            let element = self.twiml.find_all(verb).into_iter().next()?;
            element.attr("action").map(str::to_string)
        })
    }
}

impl ServerProcess {
    /// Starts the server after hours (the reference flow's callback path) on `database_url`
    /// and returns once it listens.
    pub fn start(database_url: &str) -> ServerProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hotline"))
            .args(["--log-json", "serve", "--bind", "127.0.0.1:0"])
            .args(["--public-url", PUBLIC, "--clock", WEEKEND_MORNING])
            .args(["--database-url", database_url])
            .arg("--flows")
            .arg(shipped_flows())
            .env("HOTLINE_TWILIO_AUTH_TOKEN", TOKEN)
            // Instances on one database share one secret, as a deployment must.
            .env("HOTLINE_SECRET_KEY", SECRET_KEY)
            .env("RUST_LOG", "hotline=info")
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let mut lines = BufReader::new(stderr).lines();
        let local = loop {
            let line = lines
                .next()
                .expect("the server logs until it listens")
                .expect("utf-8 log");
            let entry: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
            if entry["fields"]["message"] == "listening" {
                break entry["fields"]["local"]
                    .as_str()
                    .expect("address")
                    .to_string();
            }
        };
        let log = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&log);
        // Keep reading, so the process never blocks on a full pipe and panics can be found.
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                kept.lock().expect("log").push(line);
            }
        });
        let client = crate::support::client_builder()
            .timeout(HANG)
            .build()
            .unwrap();
        ServerProcess {
            child,
            base: format!("http://{local}"),
            log,
            client,
        }
    }

    /// Sends a signed webhook for `url` (under the public address) as the provider would.
    pub async fn webhook(&self, url: &str, sid: &str, extra: &[(&str, &str)]) -> Answer {
        let mut params: Vec<(String, String)> =
            [("CallSid", sid), ("From", CALLER), ("To", HOTLINE_NUMBER)]
                .iter()
                .chain(extra)
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        params.push(("CallStatus".into(), "in-progress".into()));
        let signature = expected_signature(&AuthToken::new(TOKEN.into()), url, &params);
        let started = Instant::now();
        let response = self
            .client
            .post(url.replacen(PUBLIC, &self.base, 1))
            .header("X-Twilio-Signature", signature)
            .form(&params)
            .send()
            .await
            .unwrap_or_else(|e| panic!("no answer from the server to {url}: {e}"));
        let status = response.status();
        let body = response.text().await.expect("a body");
        Answer {
            status,
            twiml: Element::parse(&body),
            took: started.elapsed(),
        }
    }

    /// The first webhook of a call.
    pub async fn incoming(&self, sid: &str) -> Answer {
        self.webhook(&format!("{PUBLIC}/voice/incoming"), sid, &[])
            .await
    }

    /// `/readyz`'s status.
    pub async fn readiness(&self) -> StatusCode {
        let response = self.client.get(format!("{}/readyz", self.base)).send();
        response.await.expect("/readyz answers").status()
    }

    /// Polls `/readyz` until it answers `want`; false if it never does within `within`.
    pub async fn becomes(&self, want: StatusCode, within: Duration) -> bool {
        let until = Instant::now() + within;
        while Instant::now() < until {
            if self.readiness().await == want {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// The sum of a metric's series in `/metrics` (0 before its first event).
    pub async fn metric(&self, name: &str) -> f64 {
        let response = self.client.get(format!("{}/metrics", self.base)).send();
        let text = response.await.expect("/metrics answers").text().await;
        text.expect("metrics text")
            .lines()
            .filter(|line| {
                line.strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with([' ', '{']))
            })
            .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child
            .try_wait()
            .expect("the process can be asked")
            .is_none()
    }

    /// The log lines that report a panic.
    pub fn panics(&self) -> Vec<String> {
        self.logged("panicked")
    }

    /// The log lines that contain `text`.
    pub fn logged(&self, text: &str) -> Vec<String> {
        let log = self.log.lock().expect("log");
        log.iter().filter(|l| l.contains(text)).cloned().collect()
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        assert!(sent.expect("kill runs").success());
    }

    /// Waits for the process to exit, at most `within`; `None` if it is still running.
    pub async fn exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let until = Instant::now() + within;
        while Instant::now() < until {
            if let Some(status) = self.child.try_wait().expect("the process can be asked") {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}

/// A loopback port free now, for a server that must come back on the same one after a restart.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

/// Waits until the server at `base` says it is ready; panics if it never does.
pub async fn wait_until_ready(base: &str) {
    // Built through the support module, which installs the crypto provider first: a test that
    // runs alone has no other test to do it.
    let client = crate::support::new_client();
    for _ in 0..200 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the server never became ready");
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
