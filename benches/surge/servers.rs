//! The two servers under load: the real `hotline serve` as a child process, and the ceiling, a
//! trivial server in this process on a runtime of its own. Also what the child used (CPU time
//! and peak memory, from `/proc`) and what it saved (counted in its SQLite file).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use hotline::http::signature::AuthToken;
use tempfile::TempDir;

/// The signing token the child checks webhooks against.
const TOKEN: &str = "surge-auth-token-0123456789";
/// Monday 2026-11-30, 21:00 in New York: every category is closed, so callers get the offer.
const AFTER_HOURS: &str = "2026-12-01T02:00:00Z";
/// What the ceiling answers to every request.
const CEILING_TWIML: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Hello.</Say></Response>";

/// The ceiling: every request gets the same small TwiML, as fast as axum can send it.
pub struct Ceiling {
    pub base: String,
}

impl Ceiling {
    /// Binds a loopback port and serves on `runtime` until the runtime is dropped.
    pub fn start(runtime: &tokio::runtime::Runtime) -> Ceiling {
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("the ceiling binds a loopback port");
        let local = listener.local_addr().expect("the ceiling's address");
        let router = axum::Router::new().fallback(|| async {
            (
                [(axum::http::header::CONTENT_TYPE, "text/xml")],
                CEILING_TWIML,
            )
        });
        runtime.spawn(async move { axum::serve(listener, router).await });
        Ceiling {
            base: format!("http://{local}"),
        }
    }
}

/// The release `hotline serve` binary on a fresh database; killed if dropped before `stop`.
/// The database file is removed when this is dropped.
pub struct Hotline {
    pub base: String,
    child: Child,
    dir: TempDir,
}

impl Hotline {
    /// Starts the server and waits until it listens. Its public URL is left at the default, its
    /// own loopback address, which is the address the provider here posts to and signs.
    pub fn start() -> Hotline {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let database = format!("sqlite:{}", dir.path().join("surge.db").display());
        let flows = Path::new(env!("CARGO_MANIFEST_DIR")).join("call_flows");
        let mut command = Command::new(env!("CARGO_BIN_EXE_hotline"));
        command
            .args(["--log-json", "serve", "--bind", "127.0.0.1:0"])
            .args(["--clock", AFTER_HOURS, "--database-url", &database])
            .arg("--flows")
            .arg(flows)
            .env("HOTLINE_TWILIO_AUTH_TOKEN", TOKEN)
            .env_remove("HOTLINE_PUBLIC_URL")
            .env_remove("RUST_LOG");
        // To measure what logging costs: e.g. `hotline::app=info,warn` keeps the line the
        // benchmark waits for and drops the per-webhook ones.
        if let Ok(filter) = std::env::var("HOTLINE_BENCH_RUST_LOG") {
            command.env("RUST_LOG", filter);
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the hotline binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let local = wait_until_listening(BufReader::new(stderr));
        Hotline {
            base: format!("http://{local}"),
            child,
            dir,
        }
    }

    pub fn token(&self) -> AuthToken {
        AuthToken::new(TOKEN.to_string())
    }

    /// CPU time and peak memory so far.
    pub fn usage(&self) -> Usage {
        Usage::of(self.child.id())
    }

    /// Stops the server the way an operator would (SIGTERM), so everything it holds is written.
    /// Returns the database file, which lives as long as `self`.
    pub fn stop(&mut self) -> PathBuf {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("`kill` runs");
        assert!(status.success(), "could not signal the hotline server");
        let exit = self.child.wait().expect("the hotline server exits");
        assert!(exit.success(), "the hotline server exited with {exit}");
        self.dir.path().join("surge.db")
    }
}

impl Drop for Hotline {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads the JSON log until the `listening` line and returns the bound address; a thread keeps
/// draining the log afterwards so the server never blocks on a full pipe.
fn wait_until_listening(stderr: BufReader<std::process::ChildStderr>) -> String {
    let mut lines = stderr.lines();
    let local = loop {
        let line = lines
            .next()
            .expect("the server logs until it listens (did it fail to start?)")
            .expect("a UTF-8 log line");
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if entry["fields"]["message"] == "listening" {
            break entry["fields"]["local"]
                .as_str()
                .expect("the listening line names the address")
                .to_string();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    local
}

/// What a process has used: CPU seconds (user + system) and peak resident memory.
pub struct Usage {
    pub cpu_seconds: f64,
    pub peak_rss_kib: u64,
}

impl Usage {
    fn of(pid: u32) -> Usage {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/<pid>/stat");
        // The fields after the command name, which is in parentheses and may hold spaces:
        // state is field 3, utime field 14 and stime field 15 (see proc(5)).
        let after_name = stat.rsplit_once(')').expect("a stat line").1;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks = |i: usize| -> u64 { fields[i - 3].parse().expect("a tick count") };
        let status =
            std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/<pid>/status");
        let peak_rss_kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/<pid>/status");
        Usage {
            cpu_seconds: (ticks(14) + ticks(15)) as f64 / clock_ticks_per_second(),
            peak_rss_kib,
        }
    }
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// Rows saved in the database after the run.
pub struct Saved {
    pub calls: i64,
    pub callback_requests: i64,
    pub with_recording: i64,
}

/// Counts the calls and callback requests in the stopped server's SQLite file.
pub fn saved_counts(path: &Path) -> Saved {
    use sqlx::Connection;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime starts");
    runtime.block_on(async {
        let url = format!("sqlite:{}?mode=ro", path.display());
        let mut db = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("the benchmark database opens");
        let mut count = async |sql: &'static str| -> i64 {
            sqlx::query_scalar(sql)
                .fetch_one(&mut db)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        };
        Saved {
            calls: count("select count(*) from calls").await,
            callback_requests: count("select count(*) from callback_requests").await,
            with_recording: count(
                "select count(*) from callback_requests where recording_url is not null",
            )
            .await,
        }
    })
}
