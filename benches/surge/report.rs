//! What the run prints: throughput against the ceiling, latency percentiles per webhook kind,
//! the server's CPU time and memory, and the check that every call was saved.

use std::time::Duration;

use crate::database::Saved;
use crate::provider::{Kind, Outcome, SCENARIO};
use crate::servers::Usage;

/// The targets for the closed-hours callback scenario at 32 concurrent callers.
const TARGET_RATIO: f64 = 0.6;
const TARGET_P99_MS: f64 = 5.0;

pub fn throughput(hotline: &Outcome, ceiling: &Outcome, calls: usize) {
    let rate = |o: &Outcome| calls as f64 / o.elapsed.as_secs_f64();
    let per_call = SCENARIO.len() as f64;
    println!(
        "\n{:<10} {:>10} {:>12} {:>10}",
        "server", "calls/s", "webhooks/s", "seconds"
    );
    for (name, outcome) in [("hotline", hotline), ("ceiling", ceiling)] {
        println!(
            "{name:<10} {:>10.0} {:>12.0} {:>10.2}",
            rate(outcome),
            rate(outcome) * per_call,
            outcome.elapsed.as_secs_f64()
        );
    }
    let ratio = rate(hotline) / rate(ceiling);
    println!("hotline/ceiling: {ratio:.2} (target ≥ {TARGET_RATIO})");
    let all: Vec<Duration> = ceiling.latencies.iter().flatten().copied().collect();
    println!("ceiling latency, all webhooks: {}", percentiles(all));
}

pub fn latencies(hotline: &Outcome) {
    println!(
        "\nhotline latency (ms)  {:>7} {:>7} {:>7} {:>7} {:>7}",
        "n", "p50", "p90", "p99", "max"
    );
    for kind in Kind::ALL {
        let mine = hotline.latencies[kind as usize].clone();
        println!(
            "{:<20} {}",
            format!("{kind:?}").to_lowercase(),
            percentiles(mine)
        );
    }
    let all: Vec<Duration> = hotline.latencies.iter().flatten().copied().collect();
    println!("{:<20} {}", "all", percentiles(all));
    println!("(target: p99 < {TARGET_P99_MS} ms)");
}

/// `n p50 p90 p99 max`, in milliseconds, by the nearest-rank method.
pub fn percentiles(mut samples: Vec<Duration>) -> String {
    if samples.is_empty() {
        return "no samples".to_string();
    }
    samples.sort_unstable();
    let at = |q: f64| {
        let rank = (q * samples.len() as f64).ceil() as usize;
        samples[rank.clamp(1, samples.len()) - 1].as_secs_f64() * 1000.0
    };
    format!(
        "{:>7} {:>7.2} {:>7.2} {:>7.2} {:>7.2}",
        samples.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    )
}

pub fn usage(before: &Usage, after: &Usage, calls: usize, on_postgres: bool) {
    let cpu = after.cpu_seconds - before.cpu_seconds;
    println!(
        "\nhotline server: {cpu:.2} s CPU for the run, {:.0} µs per call; peak RSS {:.1} MiB \
         ({:.1} MiB before the run)",
        cpu / calls as f64 * 1e6,
        after.peak_rss_kib as f64 / 1024.0,
        before.peak_rss_kib as f64 / 1024.0,
    );
    let database = if on_postgres {
        after.database_cpu_seconds - before.database_cpu_seconds
    } else {
        0.0
    };
    let place = if on_postgres {
        "PostgreSQL's processes"
    } else {
        "SQLite runs inside the server"
    };
    println!(
        "database: {database:.2} s CPU ({place}); server and database together {:.0} µs per call",
        (cpu + database) / calls as f64 * 1e6
    );
}

/// Fails the benchmark unless every call and every callback request (with its recording) is in
/// the database, besides the `preloaded` calls.
pub fn saved(saved: &Saved, calls: usize, preloaded: i64) {
    println!(
        "saved: {} calls ({preloaded} of them preloaded), {} callback requests ({} with a \
         recording)",
        saved.calls, saved.callback_requests, saved.with_recording
    );
    let expected = calls as i64;
    assert!(
        saved.calls == expected + preloaded
            && saved.callback_requests == expected
            && saved.with_recording == expected,
        "FAILED: expected {calls} calls and {calls} callback requests with recordings in the database"
    );
}
