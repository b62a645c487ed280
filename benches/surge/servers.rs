//! The two servers under load: the real `hotline serve` as a child process, and the ceiling, a
//! trivial server in this process on a runtime of its own. Also what the child used (CPU time
//! and memory, from `/proc`).

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};

use hotline::http::signature::AuthToken;

use crate::cpu_quota::CpuQuota;
use crate::provider::{Balancer, Provider};

/// The signing token the child checks webhooks against.
const TOKEN: &str = "surge-auth-token-0123456789";
/// Monday 2026-11-30, 21:00 in New York: every category is closed, so callers get the offer.
pub const AFTER_HOURS: &str = "2026-12-01T02:00:00Z";
/// Tuesday 2026-12-01, 10:00 in New York: every category is open, so callers are queued.
pub const OPEN: &str = "2026-12-01T15:00:00Z";
/// Saturday 2026-12-05, 10:00 in New York: the office is closed, so callers are offered a call
/// back, and it is within the flow's calling hours (09:00-20:00), so the operator line offers
/// their requests to be called back.
pub const WEEKEND_MORNING: &str = "2026-12-05T15:00:00Z";
/// A command the server runs under, e.g. a profiler: its words come before the server's.
const WRAP_VARIABLE: &str = "HOTLINE_BENCH_WRAP";
/// A file to keep the server's log in, which is otherwise discarded.
const LOG_VARIABLE: &str = "HOTLINE_BENCH_SERVER_LOG";
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

/// The release `hotline serve` binary; killed if dropped before `stop`.
pub struct Hotline {
    pub base: String,
    child: Child,
    /// Dropped after the field above, so after `Drop` has ended the process.
    _quota: Option<CpuQuota>,
}

/// The server secret of every run: PostgreSQL needs one from a setting (instances share it),
/// and the operators' PINs the line-callback scenario sets are keyed with it.
pub const SECRET_KEY: &str = "surge-benchmark-secret-key-0123456789abcdef";

/// The flows folder the server runs: the shipped `call_flows/`, or `HOTLINE_BENCH_FLOWS`, so an
/// earlier build can be measured on the flow files of its own time.
pub fn flows() -> PathBuf {
    std::env::var_os("HOTLINE_BENCH_FLOWS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("call_flows"))
}

impl Hotline {
    /// Starts the server on `database_url` with its clock frozen at `clock`, and waits until it
    /// listens. Its public URL is left at the default, its own loopback address, which is the
    /// address the provider here posts to and signs.
    pub fn start(clock: &str, database_url: &str) -> Hotline {
        Hotline::start_behind(clock, database_url, None, None)
    }

    /// The same, with `public` as its public URL (the address a load balancer in front of
    /// several instances is reached at): signatures are checked against it; and with `cpus`,
    /// limited to that many cores' worth of CPU time from the start.
    pub fn start_behind(
        clock: &str,
        database_url: &str,
        public: Option<&str>,
        cpus: Option<f64>,
    ) -> Hotline {
        let flows = flows();
        let mut command = wrapped(env!("CARGO_BIN_EXE_hotline"));
        command
            .args(["--log-json", "serve", "--bind", "127.0.0.1:0"])
            .args(["--clock", clock, "--database-url", database_url])
            .arg("--flows")
            .arg(flows)
            .env("HOTLINE_TWILIO_AUTH_TOKEN", TOKEN)
            .env("HOTLINE_SECRET_KEY", SECRET_KEY)
            .env_remove("HOTLINE_DATABASE_URL")
            .env_remove("RUST_LOG");
        match public {
            Some(public) => command.env("HOTLINE_PUBLIC_URL", public),
            None => command.env_remove("HOTLINE_PUBLIC_URL"),
        };
        // To measure what logging costs: e.g. `hotline::app=info,warn` keeps the line the
        // benchmark waits for and drops the per-webhook ones.
        if let Ok(filter) = std::env::var("HOTLINE_BENCH_RUST_LOG") {
            command.env("RUST_LOG", filter);
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the hotline binary (or the HOTLINE_BENCH_WRAP command) starts");
        let quota = cpus.map(|cpus| CpuQuota::limit(child.id(), cpus));
        let stderr = child.stderr.take().expect("stderr is piped");
        let local = wait_until_listening(BufReader::new(stderr));
        Hotline {
            base: format!("http://{local}"),
            child,
            _quota: quota,
        }
    }

    /// The server's process: with a wrapper, the wrapper's, which is the same process when the
    /// wrapper execs the server (as valgrind does).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn token(&self) -> AuthToken {
        AuthToken::new(TOKEN.to_string())
    }

    /// CPU time and memory so far.
    pub fn usage(&self) -> Usage {
        Usage::of(self.child.id())
    }

    /// Stops the server the way an operator would (SIGTERM), so everything it holds is written.
    pub fn stop(&mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("`kill` runs");
        assert!(status.success(), "could not signal the hotline server");
        let exit = self.child.wait().expect("the hotline server exits");
        assert!(exit.success(), "the hotline server exited with {exit}");
    }
}

impl Drop for Hotline {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The command that runs `program`: as it is, or after the words of `HOTLINE_BENCH_WRAP`.
fn wrapped(program: &str) -> Command {
    let wrap = std::env::var(WRAP_VARIABLE).unwrap_or_default();
    let mut words = wrap.split_whitespace();
    let Some(first) = words.next() else {
        return Command::new(program);
    };
    println!("server runs under: {wrap}");
    let mut command = Command::new(first);
    command.args(words).arg(program);
    command
}

/// Reads the JSON log until the `listening` line and returns the bound address; a thread keeps
/// draining the log afterwards so the server never blocks on a full pipe. The log is discarded,
/// or copied to the file `HOTLINE_BENCH_SERVER_LOG` names. Lines that are not the server's JSON
/// (a wrapper such as valgrind writes to the same stderr) are skipped, and a JSON object is
/// looked for anywhere in a line in case the two outputs meet on one line.
fn wait_until_listening(mut stderr: BufReader<ChildStderr>) -> String {
    let mut copy: Box<dyn Write + Send> = match std::env::var_os(LOG_VARIABLE) {
        Some(path) => Box::new(File::create(path).expect("HOTLINE_BENCH_SERVER_LOG is writable")),
        None => Box::new(std::io::sink()),
    };
    let mut line = Vec::new();
    let local = loop {
        line.clear();
        let read = stderr
            .read_until(b'\n', &mut line)
            .expect("the server's stderr is readable");
        assert!(
            read > 0,
            "the server exited before it listened (HOTLINE_BENCH_SERVER_LOG keeps its log)"
        );
        copy.write_all(&line).expect("the server's log is copied");
        let text = String::from_utf8_lossy(&line);
        let Some(json) = text.find('{').map(|at| &text[at..]) else {
            continue;
        };
        let entry: serde_json::Value = serde_json::from_str(json.trim()).unwrap_or_default();
        if entry["fields"]["message"] == "listening" {
            break entry["fields"]["local"]
                .as_str()
                .expect("the listening line names the address")
                .to_string();
        }
    };
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut copy));
    local
}

/// What a process has used: CPU seconds (user + system), and resident memory now and at its
/// peak.
#[derive(Clone, Copy)]
pub struct Usage {
    pub cpu_seconds: f64,
    /// Every PostgreSQL process's, when the run is on PostgreSQL (0 on SQLite, which runs
    /// inside the server and is counted in `cpu_seconds`).
    pub database_cpu_seconds: f64,
    pub rss_kib: u64,
    pub peak_rss_kib: u64,
}

/// The CPU time (user + system, in seconds) of every PostgreSQL process on this machine, its
/// server's background workers and the backends serving the run's connections: the database's
/// side of each call on PostgreSQL.
pub fn postgres_cpu_seconds() -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    let ticks: u64 = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|stat| stat.contains("(postgres)"))
        .map(|stat| cpu_ticks(&stat))
        .sum();
    ticks as f64 / clock_ticks_per_second()
}

/// utime + stime of one `/proc/<pid>/stat` line. The fields after the command name, which is
/// in parentheses and may hold spaces: utime is field 14 and stime field 15 (see proc(5)).
fn cpu_ticks(stat: &str) -> u64 {
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let tick = |i: usize| -> u64 { fields.get(i - 3).and_then(|f| f.parse().ok()).unwrap_or(0) };
    tick(14) + tick(15)
}

impl Usage {
    pub fn of(pid: u32) -> Usage {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/<pid>/stat");
        let status =
            std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/<pid>/status");
        let kib = |field: &str| -> u64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or_else(|| panic!("{field} in /proc/{pid}/status"))
        };
        Usage {
            cpu_seconds: cpu_ticks(&stat) as f64 / clock_ticks_per_second(),
            database_cpu_seconds: postgres_cpu_seconds(),
            rss_kib: kib("VmRSS:"),
            peak_rss_kib: kib("VmHWM:"),
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

/// The public address of several instances behind a load balancer; any name works, since the
/// provider here sends each request to an instance's own loopback address.
const BALANCED_PUBLIC_URL: &str = "http://hotline-instances.test";

/// One server, or several on one database behind a load balancer (`--instances`).
pub struct Instances {
    servers: Vec<Hotline>,
    /// Where callers post: the only server's address, or the balancer's public one.
    pub base: String,
}

impl Instances {
    /// `count` servers, each limited to `cpus` cores' worth of CPU time if given.
    pub fn start(clock: &str, database_url: &str, count: usize, cpus: Option<f64>) -> Instances {
        if count == 1 {
            let server = Hotline::start_behind(clock, database_url, None, cpus);
            return Instances {
                base: server.base.clone(),
                servers: vec![server],
            };
        }
        let servers = (0..count)
            .map(|_| Hotline::start_behind(clock, database_url, Some(BALANCED_PUBLIC_URL), cpus))
            .collect();
        Instances {
            servers,
            base: BALANCED_PUBLIC_URL.to_string(),
        }
    }

    /// Callers for these servers: spread over them when there are several.
    pub fn provider(&self, concurrency: usize) -> Provider {
        let provider = Provider::new(concurrency, self.servers[0].token());
        if self.servers.len() == 1 {
            return provider;
        }
        let addresses = self.servers.iter().map(|s| s.base.clone()).collect();
        provider.behind(Balancer::new(BALANCED_PUBLIC_URL, addresses))
    }

    /// What the servers have used so far, added up (the database's once).
    pub fn usage(&self) -> Usage {
        let each: Vec<Usage> = self.servers.iter().map(Hotline::usage).collect();
        Usage {
            cpu_seconds: each.iter().map(|u| u.cpu_seconds).sum(),
            database_cpu_seconds: each[0].database_cpu_seconds,
            rss_kib: each.iter().map(|u| u.rss_kib).sum(),
            peak_rss_kib: each.iter().map(|u| u.peak_rss_kib).sum(),
        }
    }

    pub fn count(&self) -> usize {
        self.servers.len()
    }

    pub fn stop(&mut self) {
        for server in &mut self.servers {
            server.stop();
        }
    }
}
