//! The hold scenario: thousands of callers waiting in a live queue at once. Each caller rings
//! during opening hours, presses 1 (English) and 2 (victim assistance), is put in the queue by
//! `<Enqueue>`, then polls its `waitUrl` every few seconds like the provider's hold music, and
//! finally hangs up in the queue (the `<Enqueue action>` with `QueueResult=hangup`, then the
//! status callback).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until};

use crate::provider::{CallParams, Sender, attribute};
use crate::servers::Usage;

/// Every window of this length gets its own latencies and server usage.
pub const WINDOW: Duration = Duration::from_secs(10);
/// What every poll answer must say, so that a fallback is noticed.
const HOLD_PROMPT: &str = "in line";
const QUEUE_SID: &str = "QU0123456789abcdef0123456789abcdef";

/// How the scenario is played.
pub struct Plan {
    pub callers: usize,
    pub poll: Duration,
    /// From the first caller's ring until callers stop polling.
    pub duration: Duration,
    /// Callers start evenly spread over this time.
    pub ramp: Duration,
    /// The most requests in flight at once; the provider too uses few connections.
    pub in_flight: usize,
}

/// One wait poll: when it was sent (since the start), how long the answer took, and how much
/// later than planned it was sent.
pub struct Poll {
    pub sent: Duration,
    pub latency: Duration,
    pub late: Duration,
}

/// What a run measured.
#[derive(Default)]
pub struct Measured {
    /// `/voice/incoming` and the two key presses.
    pub setup: Vec<Duration>,
    pub polls: Vec<Poll>,
    /// The queue result and the status callback.
    pub ending: Vec<Duration>,
    /// Poll answers without the hold prompt: the first, and how many.
    pub unexpected: Option<String>,
    pub unexpected_count: usize,
    /// The server's usage at the start and at the end of every window.
    pub usage: Vec<(Duration, Usage)>,
    pub elapsed: Duration,
}

/// What every caller shares.
struct Shared {
    sender: Sender,
    base: String,
    plan_poll: Duration,
    start: Instant,
    end: Instant,
    in_flight: Semaphore,
    queued: AtomicUsize,
}

/// Plays the scenario against the server at `base`, reading the usage of process `pid`.
pub async fn run(sender: Sender, base: &str, plan: &Plan, pid: u32) -> Measured {
    let start = Instant::now();
    let shared = Arc::new(Shared {
        sender,
        base: base.to_string(),
        plan_poll: plan.poll,
        start,
        end: start + plan.duration,
        in_flight: Semaphore::new(plan.in_flight),
        queued: AtomicUsize::new(0),
    });
    let (stop, stopped) = oneshot::channel();
    let sampler = tokio::spawn(sample_usage(pid, start, stopped));
    let mut callers = JoinSet::new();
    for n in 0..plan.callers {
        let offset = plan.ramp.mul_f64(n as f64 / plan.callers as f64);
        callers.spawn(caller(Arc::clone(&shared), n, start + offset));
    }
    let mut measured = Measured::default();
    while let Some(done) = callers.join_next().await {
        let mine = done.expect("a caller failed (see the message above)");
        measured.setup.extend(mine.setup);
        measured.polls.extend(mine.polls);
        measured.ending.extend(mine.ending);
        measured.unexpected_count += mine.unexpected_count;
        if measured.unexpected.is_none() {
            measured.unexpected = mine.unexpected;
        }
    }
    measured.elapsed = start.elapsed();
    let _ = stop.send(());
    measured.usage = sampler.await.expect("the usage sampler");
    measured
}

/// The server's usage now and at every window's end, until told to stop (then once more).
async fn sample_usage(
    pid: u32,
    start: Instant,
    mut stopped: oneshot::Receiver<()>,
) -> Vec<(Duration, Usage)> {
    let mut samples = vec![(Duration::ZERO, Usage::of(pid))];
    let mut ticks = tokio::time::interval_at(start + WINDOW, WINDOW);
    loop {
        tokio::select! {
            _ = ticks.tick() => samples.push((start.elapsed(), Usage::of(pid))),
            _ = &mut stopped => break,
        }
    }
    samples.push((start.elapsed(), Usage::of(pid)));
    samples
}

/// One caller: rings at `ring`, gets queued, polls until the end, hangs up.
async fn caller(shared: Arc<Shared>, n: usize, ring: Instant) -> Measured {
    sleep_until(ring).await;
    let call = CallParams::new(n);
    let mut mine = Measured::default();
    let incoming = format!("{}/voice/incoming", shared.base);
    let mut twiml = shared
        .send(&incoming, call.form(&[]), &mut mine.setup)
        .await;
    for key in ["1", "2"] {
        let action = attribute(&twiml, "Gather", "action")
            .unwrap_or_else(|| panic!("{}: no <Gather action> to press {key}: {twiml}", call.sid));
        let form = call.form(&[("Digits", key)]);
        twiml = shared.send(&action, form, &mut mine.setup).await;
    }
    let wait_url = attribute(&twiml, "Enqueue", "waitUrl")
        .unwrap_or_else(|| panic!("{}: not queued (no <Enqueue waitUrl>): {twiml}", call.sid));
    let action = attribute(&twiml, "Enqueue", "action")
        .unwrap_or_else(|| panic!("{}: no <Enqueue action>: {twiml}", call.sid));
    let position = shared.queued.fetch_add(1, Ordering::Relaxed) + 1;
    let queued = Instant::now();
    let mut jitter = Jitter::new(n as u64);
    // The first poll comes anywhere within one period, so polls do not arrive in step.
    let mut due = queued + shared.plan_poll.mul_f64(jitter.next());
    while due < shared.end {
        sleep_until(due).await;
        poll(&shared, &call, &wait_url, position, queued, due, &mut mine).await;
        due += shared.plan_poll.mul_f64(0.8 + 0.4 * jitter.next());
    }
    // Hang up when the next poll would have come, so hang-ups spread out like the polls.
    sleep_until(due).await;
    let waited = queued.elapsed().as_secs().to_string();
    let hangup = [
        ("QueueResult", "hangup"),
        ("QueueTime", waited.as_str()),
        ("QueueSid", QUEUE_SID),
    ];
    let form = call.form(&hangup);
    shared.send(&action, form, &mut mine.ending).await;
    let status = format!("{}/voice/status", shared.base);
    shared
        .send(&status, call.completed(), &mut mine.ending)
        .await;
    mine
}

/// One wait poll, with what the provider sends: place in line and time in the queue.
async fn poll(
    shared: &Shared,
    call: &CallParams,
    wait_url: &str,
    position: usize,
    queued: Instant,
    due: Instant,
    mine: &mut Measured,
) {
    let permit = shared
        .in_flight
        .acquire()
        .await
        .expect("the semaphore is never closed");
    let sent = Instant::now();
    let waited = sent.duration_since(queued).as_secs().to_string();
    let size = shared.queued.load(Ordering::Relaxed).to_string();
    let position = position.to_string();
    let extra = [
        ("QueuePosition", position.as_str()),
        ("QueueTime", waited.as_str()),
        ("CurrentQueueSize", size.as_str()),
        ("AvgQueueTime", waited.as_str()),
        ("QueueSid", QUEUE_SID),
    ];
    let (answer, latency) = shared.sender.post(wait_url, call.form(&extra)).await;
    drop(permit);
    mine.polls.push(Poll {
        sent: sent.duration_since(shared.start),
        latency,
        late: sent.duration_since(due),
    });
    if !answer.contains(HOLD_PROMPT) {
        mine.unexpected_count += 1;
        mine.unexpected.get_or_insert(answer);
    }
}

impl Shared {
    /// Posts within the in-flight limit and records the latency in `into`.
    async fn send(
        &self,
        url: &str,
        form: Vec<(String, String)>,
        into: &mut Vec<Duration>,
    ) -> String {
        let _permit = self
            .in_flight
            .acquire()
            .await
            .expect("the semaphore is never closed");
        let (answer, latency) = self.sender.post(url, form).await;
        into.push(latency);
        answer
    }
}

/// Fractions in [0, 1) from a seed (splitmix64): every caller's jitter differs, and a run can be
/// repeated exactly.
struct Jitter(u64);

impl Jitter {
    fn new(seed: u64) -> Jitter {
        Jitter(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}
