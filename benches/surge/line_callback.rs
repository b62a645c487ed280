//! The line-callback scenario: operators calling callback requests back from the operator line.
//! Each operator has a PIN and a phone of their own (added with `hotline operators` before the
//! server starts), calls the line once and stays on it, as the line expects ("after a call"
//! brings the next one): the PIN; the next request read out; 1 to call; the provider rings the
//! number and plays the neutral check on that leg, where the person called presses 1 and is
//! connected; the dial ends (`completed`); the operator presses 1 (resolved) and the line reads
//! the next request, until nobody waits. Then the operator hangs up.

use std::process::Command;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::provider::{CallParams, HOTLINE_NUMBER, Sender, attribute, text};

/// The category every request is left in (2 at the main menu) and every operator works.
const CATEGORY: &str = "victim_assistance";
/// The operator line's own number, which operators dial.
const LINE_NUMBER: &str = "+18005550199";
/// What the person called back hears first (the flow's `screen` prompt, in English).
const CHECK_PROMPT: &str = "This is a return call";
/// What the line says once no request is left to offer.
const NOBODY: &str = "Nobody is waiting";
/// The top byte of the call ids of operators' calls to the line, and of the legs they dial (the
/// callers' calls count up from 0).
const LINE_LEGS: u128 = 1;
const CALLED_LEGS: u128 = 2;

/// How many kinds of webhook the line gets.
pub const STEPS: usize = 8;

/// The webhooks of the operator line, for latencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The call to the line (the PIN asked for) and the PIN (the first request read out).
    SignIn,
    /// The next request read out, after the last one was closed (or taken by someone else).
    Offer,
    /// 1 at the offer: the request claimed and its `<Dial>` placed.
    Dial,
    /// The `<Number url>`: the neutral check, on the leg of the person called.
    Check,
    /// Their 1 at the check: connected.
    Checked,
    /// The `<Dial action>`: the dial ended; the operator is asked how it went.
    DialResult,
    /// The operator's 1 (resolved): the request closed.
    Close,
    /// The status callback of the operator's call, at the end of the shift.
    HangUp,
}

impl Step {
    pub const ALL: [Step; STEPS] = [
        Step::SignIn,
        Step::Offer,
        Step::Dial,
        Step::Check,
        Step::Checked,
        Step::DialResult,
        Step::Close,
        Step::HangUp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Step::SignIn => "sign-in",
            Step::Offer => "offer",
            Step::Dial => "dial",
            Step::Check => "check",
            Step::Checked => "check key",
            Step::DialResult => "dial result",
            Step::Close => "close",
            Step::HangUp => "hang-up",
        }
    }
}

/// An operator of the line: their PIN and phone.
pub struct Staff {
    pub pin: String,
    pub phone: String,
}

/// Adds `count` operators of the requests' category, each with a phone and a PIN, with the
/// CLI, as a supervisor would before the line opens (the server must not be running yet).
pub fn add_operators(database_url: &str, count: usize) -> Vec<Staff> {
    (0..count)
        .map(|n| {
            let name = format!("line{n:04}");
            let phone = format!("+1312555{n:04}");
            let add = ["operators", "add", &name, "--category", CATEGORY];
            cli(database_url, &[&add[..], &["--phone", &phone]].concat());
            let printed = cli(database_url, &["operators", "pin", &name]);
            let pin = printed
                .lines()
                .next()
                .map(str::trim)
                .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .unwrap_or_else(|| panic!("`hotline operators pin {name}` printed {printed:?}"))
                .to_string();
            Staff { pin, phone }
        })
        .collect()
}

/// Runs `hotline <args>` on the benchmark's database and flows; its standard output.
fn cli(database_url: &str, args: &[&str]) -> String {
    let flows = crate::servers::flows();
    let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(args)
        .args(["--database-url", database_url])
        .arg("--flows")
        .arg(flows)
        .env("HOTLINE_SECRET_KEY", crate::servers::SECRET_KEY)
        .env_remove("HOTLINE_DATABASE_URL")
        .env_remove("HOTLINE_FLOWS")
        .output()
        .expect("the hotline CLI runs");
    assert!(
        output.status.success(),
        "`hotline {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What the operators measured between them.
#[derive(Default)]
pub struct Measured {
    /// Every webhook's latency, by [`Step`].
    pub latencies: [Vec<Duration>; STEPS],
    /// Requests called back, reached and closed.
    pub called_back: usize,
    /// Presses of 1 answered "cannot be called now": another operator claimed the request
    /// between its offer and the key.
    pub conflicts: usize,
    pub elapsed: Duration,
}

/// Every operator in `staff` works the line at `base` at once until no request is left, each
/// waiting `pause` before each webhook after their first.
pub async fn run(sender: &Sender, base: &str, staff: &[Staff], pause: Duration) -> Measured {
    let started = Instant::now();
    let mut shifts = JoinSet::new();
    for (n, member) in staff.iter().enumerate() {
        let line = CallParams::leg(
            call_sid(LINE_LEGS, n, 0),
            &member.phone,
            LINE_NUMBER,
            "inbound",
        );
        let operator = Operator {
            sender: sender.clone(),
            base: base.to_string(),
            n,
            line,
            pin: member.pin.clone(),
            pause,
            measured: Measured::default(),
        };
        shifts.spawn(operator.shift());
    }
    let mut all = Measured::default();
    while let Some(done) = shifts.join_next().await {
        let mine = done.expect("an operator failed (see the message above)");
        for (every, some) in all.latencies.iter_mut().zip(mine.latencies) {
            every.extend(some);
        }
        all.called_back += mine.called_back;
        all.conflicts += mine.conflicts;
    }
    all.elapsed = started.elapsed();
    all
}

/// A call id of its own: `leg` in the top byte, then the operator and their n-th call back.
fn call_sid(leg: u128, operator: usize, n: usize) -> String {
    format!(
        "CA{:032x}",
        leg << 120 | (operator as u128) << 32 | n as u128
    )
}

/// One operator's call to the line, with the provider's side of each dial.
struct Operator {
    sender: Sender,
    base: String,
    n: usize,
    line: CallParams,
    pin: String,
    /// The time on the phone between two webhooks, compressed: listening, ringing, talking.
    pause: Duration,
    measured: Measured,
}

impl Operator {
    /// Signs in, calls back every request offered until nobody waits, hangs up.
    async fn shift(mut self) -> Measured {
        let mut twiml = self.sign_in().await;
        while let Some(choose) = offer_action(&twiml) {
            let placed = self
                .post(Step::Dial, &choose, self.line.form(&[("Digits", "1")]))
                .await;
            twiml = if attribute(&placed, "Dial", "action").is_some() {
                self.call_back(&placed).await
            } else {
                self.measured.conflicts += 1;
                self.next(&placed, "cannot be called now").await
            };
        }
        assert!(
            twiml.contains(NOBODY),
            "{}: neither a request nor \"{NOBODY}\": {twiml}",
            self.line.sid
        );
        let status = format!("{}/voice/status", self.base);
        self.post(Step::HangUp, &status, self.line.completed())
            .await;
        self.measured
    }

    /// The call to the line and the PIN; returns the answer to the PIN.
    async fn sign_in(&mut self) -> String {
        let entry = format!("{}/voice/operator", self.base);
        let asked = self.post(Step::SignIn, &entry, self.line.form(&[])).await;
        let action = attribute(&asked, "Gather", "action")
            .unwrap_or_else(|| panic!("{}: no PIN asked for: {asked}", self.line.sid));
        // The provider leaves the `#` that ends the entry out of `Digits`.
        let pin = self.line.form(&[("Digits", &self.pin)]);
        self.post(Step::SignIn, &action, pin).await
    }

    /// The dial `placed` rings; the person called passes the check; the dial ends; the
    /// operator closes the request as resolved. Returns the next offer.
    async fn call_back(&mut self, placed: &str) -> String {
        let ended_url = attribute(placed, "Dial", "action").unwrap_or_default();
        let called = self.connect(placed).await;
        let ended = [
            ("DialCallStatus", "completed"),
            ("DialCallSid", called.sid.as_str()),
            ("DialCallDuration", "240"),
        ];
        let form = self.line.form(&ended);
        let asked = self.post(Step::DialResult, &ended_url, form).await;
        let close = attribute(&asked, "Gather", "action")
            .filter(|a| a.contains("/voice/operator/callback-close?"))
            .unwrap_or_else(|| panic!("{}: no outcome asked for: {asked}", self.line.sid));
        let closed = self
            .post(Step::Close, &close, self.line.form(&[("Digits", "1")]))
            .await;
        self.measured.called_back += 1;
        self.next(&closed, "Recorded: Resolved").await
    }

    /// The leg the dial rings, from the hotline's number: the check, and 1 at it.
    async fn connect(&mut self, placed: &str) -> CallParams {
        let sid = &self.line.sid;
        let caller_id = attribute(placed, "Dial", "callerId");
        assert_eq!(
            caller_id.as_deref(),
            Some(HOTLINE_NUMBER),
            "{sid}: {placed}"
        );
        let check = attribute(placed, "Number", "url")
            .unwrap_or_else(|| panic!("{sid}: no check before connecting: {placed}"));
        let number =
            text(placed, "Number").unwrap_or_else(|| panic!("{sid}: no number to ring: {placed}"));
        let leg = call_sid(CALLED_LEGS, self.n, self.measured.called_back);
        let called = CallParams::leg(leg, HOTLINE_NUMBER, &number, "outbound-dial");
        let parent = self.line.sid.clone();
        let answered = called.form(&[("ParentCallSid", &parent)]);
        let heard = self.post(Step::Check, &check, answered).await;
        assert!(heard.contains(CHECK_PROMPT), "{parent}: check: {heard}");
        let checked = attribute(&heard, "Gather", "action")
            .unwrap_or_else(|| panic!("{parent}: no key asked for at the check: {heard}"));
        let pressed = called.form(&[("ParentCallSid", &parent), ("Digits", "1")]);
        let connected = self.post(Step::Checked, &checked, pressed).await;
        assert!(
            !connected.contains("<Say") && !connected.contains("<Hangup"),
            "{parent}: an empty answer connects: {connected}"
        );
        called
    }

    /// Follows the `<Redirect>` of `twiml`, which must say `expected`: the next offer.
    async fn next(&mut self, twiml: &str, expected: &str) -> String {
        let sid = &self.line.sid;
        assert!(
            twiml.contains(expected),
            "{sid}: not \"{expected}\": {twiml}"
        );
        let url = text(twiml, "Redirect")
            .unwrap_or_else(|| panic!("{sid}: no <Redirect> to the next request: {twiml}"));
        self.post(Step::Offer, &url, self.line.form(&[])).await
    }

    /// Posts a signed form (after the pause, but for the first) and records its latency.
    async fn post(&mut self, step: Step, url: &str, form: Vec<(String, String)>) -> String {
        let first = self.measured.latencies.iter().all(Vec::is_empty);
        if !first && !self.pause.is_zero() {
            tokio::time::sleep(self.pause).await;
        }
        let (answer, latency) = self.sender.post(url, form).await;
        self.measured.latencies[step as usize].push(latency);
        answer
    }
}

/// Where 1 goes when `twiml` reads a request out.
fn offer_action(twiml: &str) -> Option<String> {
    attribute(twiml, "Gather", "action").filter(|a| a.contains("/voice/operator/callback?"))
}
