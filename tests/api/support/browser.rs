//! Browser tests' harness: owns a chromedriver process, the headless Chromium it starts and their
//! throwaway profile, and the waiting helpers that turn a stuck page into a readable failure.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
pub use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use tempfile::TempDir;
use tokio::sync::{Semaphore, SemaphorePermit};

const INSTALL: &str = "apt-get install -y chromium chromium-driver";
const MISSING: &str = "browser tests need chromium and chromedriver on PATH: run `apt-get \
    install -y chromium chromium-driver`";

// One browser at a time: two Chromiums on two cores beside the other tests make 10 s waits flaky.
static ONE_AT_A_TIME: Semaphore = Semaphore::const_new(1);

/// A headless Chromium session; dropping it, also in a panic, ends every process it started.
pub struct Browser {
    client: Client,
    /// How long the waiting helpers wait before failing the test.
    pub timeout: Duration,
    _driver: Driver,
    _slot: SemaphorePermit<'static>,
}

/// Owns the processes from the moment they exist, so a panic while starting leaks nothing.
struct Driver {
    child: Child,
    port: u16,
    // Dropped after `drop` below has ended the processes that write into it.
    dir: TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Chromium runs in a process group of its own, so it outlives a killed chromedriver
        // unless it is hunted down too.
        let _ = self.child.kill();
        let _ = self.child.wait();
        kill_strays(self.dir.path());
    }
}

impl Browser {
    /// A 1280x900 session, or `None` after a notice when the test is skipped: with
    /// HOTLINE_SKIP_BROWSER=1, or when Chromium and chromedriver are not installed (so that
    /// `cargo test` works on a machine with only Rust), unless HOTLINE_REQUIRE_BROWSER=1 (CI,
    /// which installs them) makes their absence a failure.
    pub async fn start() -> Option<Browser> {
        if std::env::var("HOTLINE_SKIP_BROWSER").as_deref() == Ok("1") {
            eprintln!("HOTLINE_SKIP_BROWSER=1: skipping a browser test");
            return None;
        }
        let (Some(driver_bin), Some(chromium)) = (on_path("chromedriver"), on_path("chromium"))
        else {
            if std::env::var("HOTLINE_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("{MISSING}");
            }
            eprintln!("note: the browser test was skipped: {MISSING}");
            return None;
        };
        // Bounded, because a test that holds two browsers at once would otherwise hang forever.
        let slot = tokio::time::timeout(Duration::from_secs(300), ONE_AT_A_TIME.acquire()).await;
        let slot = slot.expect("no browser free in 5 min: one Browser per test at a time");
        let slot = slot.expect("never closed");
        let driver = spawn_driver(&driver_bin).await;
        let driver = driver.unwrap_or_else(|log| panic!("chromedriver never listened\n{log}"));
        let client = connect(&driver, &chromium).await.unwrap_or_else(|e| {
            let log = log_tail(driver.dir.path());
            let pair = format!("chromium and chromedriver must be the same release: `{INSTALL}`");
            panic!("Chromium did not start: {e}\n{pair}\n{log}")
        });
        let (timeout, _driver, _slot) = (Duration::from_secs(10), driver, slot);
        Some(Browser {
            client,
            timeout,
            _driver,
            _slot,
        })
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub async fn goto(&self, url: &str) {
        let result = self.client.goto(url).await;
        self.check(result, &format!("goto {url}")).await;
    }

    /// A 390x844 page, a phone's.
    pub async fn phone(&self) {
        self.page_size(390, 844).await;
    }

    /// A page (the viewport, not the window) `width` by `height` CSS pixels. Even headless, the
    /// window is taller than the page by a (virtual) toolbar, so the window is measured and
    /// padded.
    pub async fn page_size(&self, width: u32, height: u32) {
        let script = "return [outerWidth - innerWidth, outerHeight - innerHeight]";
        let frame = self.client.execute(script, vec![]).await;
        let frame = serde_json::from_value(self.check(frame, "measure the window").await);
        let [dw, dh]: [u32; 2] = frame.expect("two pixel counts");
        let result = self.client.set_window_size(width + dw, height + dh).await;
        let what = format!("resize to {width}x{height}");
        self.check(result, &what).await;
    }

    /// Replaces the value of the field, once it exists.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        let result = async { field.clear().await.and(field.send_keys(text).await) }.await;
        self.check(result, &format!("fill {css:?}")).await;
    }

    pub async fn click(&self, css: &str) {
        let result = self.wait_for(css).await.click().await;
        self.check(result, &format!("click {css:?}")).await;
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        let wait = self.client.wait().at_most(self.timeout);
        let found = wait.for_element(Locator::Css(css)).await;
        let what = format!("no {css:?} within {:?}", self.timeout);
        self.check(found, &what).await
    }

    /// The first element matching `css` whose text contains `text`, once there is one.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Element {
        let deadline = Instant::now() + self.timeout;
        while Instant::now() < deadline {
            // An element can go stale between the find and the read while the page changes.
            let found = self.client.find_all(Locator::Css(css)).await;
            for element in found.unwrap_or_default() {
                if element.text().await.is_ok_and(|t| t.contains(text)) {
                    return element;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let what = format!("no {css:?} containing {text:?} within {:?}", self.timeout);
        panic!("{what}\n{}", self.page_summary().await);
    }

    pub async fn text(&self, css: &str) -> String {
        let result = self.wait_for(css).await.text().await;
        self.check(result, &format!("text of {css:?}")).await
    }

    /// A key pressed and released wherever the focus is, as a keyboard-only user would.
    pub async fn press_key(&self, key: Key) {
        let stroke = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        let result = self.client.perform_actions(stroke).await;
        self.check(result, &format!("press {key:?}")).await;
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self, path: impl AsRef<Path>) {
        let (path, png) = (path.as_ref(), self.client.screenshot().await);
        let png = self.check(png, "screenshot").await;
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("screenshot dir");
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    async fn check<T>(&self, result: Result<T, CmdError>, what: &str) -> T {
        match result {
            Ok(value) => value,
            Err(e) => panic!("{what}: {e}\n{}", self.page_summary().await),
        }
    }

    /// Where the browser is and what a person reads there: most failures are explained by an
    /// error page or a form that never submitted.
    async fn page_summary(&self) -> String {
        let script =
            "return location.href + '\\n' + (document.body ? document.body.innerText : '')";
        let page = match self.client.execute(script, vec![]).await {
            Ok(page) => page.as_str().unwrap_or_default().to_string(),
            Err(e) => return format!("(the page is unreachable: {e})"),
        };
        let (url, text) = page.split_once('\n').unwrap_or_default();
        let snippet: String = text.chars().take(600).collect();
        format!("page: {url}\npage text (600 characters at most):\n{snippet}")
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// chromedriver on a free port, once it accepts connections. A port probed free can be taken
/// before chromedriver binds it (it cannot bind port 0 itself): it then exits, and is retried.
async fn spawn_driver(bin: &Path) -> Result<Driver, String> {
    let mut log = String::new();
    for _ in 0..3 {
        let dir = tempfile::tempdir().expect("temp dir for the browser");
        let probe = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).and_then(|l| l.local_addr());
        let port = probe.expect("a free port").port();
        let child = Command::new(bin)
            .arg(format!("--port={port}"))
            .arg("--enable-chrome-logs")
            .arg(format!("--log-path={}", dir.path().join("log").display()))
            // Chromium's scratch files and crash database then go with the temp dir.
            .envs([("TMPDIR", dir.path()), ("XDG_CONFIG_HOME", dir.path())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", bin.display()));
        let mut driver = Driver { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && matches!(driver.child.try_wait(), Ok(None)) {
            if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                return Ok(driver);
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        log = log_tail(driver.dir.path());
    }
    Err(log)
}

async fn connect(driver: &Driver, chromium: &Path) -> Result<Client, String> {
    let profile = driver.dir.path().join("profile");
    let capabilities = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            // Pinned, so that a Google Chrome of another major version on PATH is not used.
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                // Docker's 64 MB /dev/shm crashes tabs; Debian's launcher only adds this flag
                // when its own check of /dev/shm works.
                "--disable-dev-shm-usage", "--no-first-run", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ],
        },
    });
    ClientBuilder::new(HttpConnector::new())
        .capabilities(serde_json::from_value(capabilities).expect("a JSON object"))
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .map_err(|e| e.to_string())
}

fn log_tail(dir: &Path) -> String {
    let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
    let tail: Vec<&str> = log.lines().rev().take(15).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    format!("chromedriver log, last lines:\n{}", tail.join("\n"))
}

/// SIGKILL, for up to 2 s, to every live process with `dir` on its command line: Chromium's all
/// carry the profile path, while a zombie's command line reads empty.
fn kill_strays(dir: &Path) {
    let mark = format!("{}/", dir.display());
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        let pids: Vec<String> = (std::fs::read_dir("/proc").into_iter().flatten().flatten())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
            .filter(|pid| {
                let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                String::from_utf8_lossy(&cmdline).contains(&mark)
            })
            .collect();
        if pids.is_empty() {
            return;
        }
        // The shell's builtin kill: no extra crate and no unsafe code.
        let script = ["-c", "kill -KILL \"$@\" 2>/dev/null", "sh"];
        let _ = Command::new("sh").args(script).args(&pids).status();
        std::thread::sleep(Duration::from_millis(20));
    }
}
