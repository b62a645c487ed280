//! What the hold scenario prints: wait-poll latencies overall and per window (steady or not),
//! how late polls left against their schedule, the server's CPU and memory per window, and the
//! check that every caller's call and queue entry were saved.

use std::time::Duration;

use crate::database::Database;
use crate::hold::{Measured, Plan, WINDOW};
use crate::preload::Preloaded;
use crate::report::percentiles;

/// The memory target with 5,000 callers waiting.
const TARGET_RSS_MIB: f64 = 200.0;

pub fn print(plan: &Plan, measured: &Measured) {
    let polls: Vec<Duration> = measured.polls.iter().map(|p| p.latency).collect();
    let planned = plan.callers as f64 * plan.duration.as_secs_f64() / plan.poll.as_secs_f64();
    println!(
        "\n{} wait polls in {:.1} s ({:.0}/s; about {planned:.0} planned)",
        polls.len(),
        measured.elapsed.as_secs_f64(),
        polls.len() as f64 / measured.elapsed.as_secs_f64()
    );
    println!(
        "\nhotline latency (ms)  {:>7} {:>7} {:>7} {:>7} {:>7}",
        "n", "p50", "p90", "p99", "max"
    );
    println!(
        "{:<20} {}",
        "ring, 1, 2",
        percentiles(measured.setup.clone())
    );
    println!("{:<20} {}", "wait polls", percentiles(polls));
    println!(
        "{:<20} {}",
        "hang-up, status",
        percentiles(measured.ending.clone())
    );
    let late: Vec<Duration> = measured.polls.iter().map(|p| p.late).collect();
    println!("{:<20} {}", "polls sent late", percentiles(late));
    windows(measured);
    if let Some(answer) = &measured.unexpected {
        println!(
            "\nUNEXPECTED: {} poll answers without the hold prompt; the first: {answer}",
            measured.unexpected_count
        );
    }
}

/// Per window: the polls sent in it, and the server's CPU use and resident memory.
fn windows(measured: &Measured) {
    println!(
        "\nwindow (s)  {:>7} {:>7} {:>7} {:>7} {:>7}   {:>8} {:>9}",
        "polls", "p50", "p90", "p99", "max", "CPU %", "RSS MiB"
    );
    let last = measured.elapsed.as_secs_f64() / WINDOW.as_secs_f64();
    for i in 0..last.ceil() as usize {
        let from = WINDOW * i as u32;
        let to = from + WINDOW;
        let mine: Vec<Duration> = measured
            .polls
            .iter()
            .filter(|p| p.sent >= from && p.sent < to)
            .map(|p| p.latency)
            .collect();
        let usage = usage_between(measured, from, to);
        println!(
            "{:>4}-{:<4}  {} {usage}",
            from.as_secs(),
            to.as_secs(),
            percentiles(mine)
        );
    }
    let first = measured.usage.first().map(|(_, u)| u);
    let last = measured.usage.last().map(|(_, u)| u);
    if let (Some(first), Some(last)) = (first, last) {
        let peak = last.peak_rss_kib as f64 / 1024.0;
        println!(
            "\nhotline server: {:.2} s CPU for the run ({:.0} % of one core); peak RSS {peak:.1} \
             MiB (target < {TARGET_RSS_MIB} MiB); {:.1} MiB before the run, {:.1} MiB at the end",
            last.cpu_seconds - first.cpu_seconds,
            (last.cpu_seconds - first.cpu_seconds) / measured.elapsed.as_secs_f64() * 100.0,
            first.rss_kib as f64 / 1024.0,
            last.rss_kib as f64 / 1024.0,
        );
    }
}

/// `CPU % RSS` over the samples that bound the window, or blanks without them.
fn usage_between(measured: &Measured, from: Duration, to: Duration) -> String {
    let near = |at: Duration| {
        measured
            .usage
            .iter()
            .min_by_key(|(when, _)| when.abs_diff(at))
    };
    match (near(from), near(to)) {
        (Some((t0, u0)), Some((t1, u1))) if t1 > t0 => {
            let cpu = (u1.cpu_seconds - u0.cpu_seconds) / (*t1 - *t0).as_secs_f64() * 100.0;
            format!("  {cpu:>8.0} {:>9.1}", u1.rss_kib as f64 / 1024.0)
        }
        _ => String::new(),
    }
}

/// Fails the benchmark unless every caller's call and queue entry are in the database, the entry
/// was polled and closed by the hang-up, and every poll answer was the hold prompt, besides what
/// was `preloaded` (calls whose queue entries were polled and ended long ago).
pub fn saved(db: &Database, plan: &Plan, measured: &Measured, preloaded: &Preloaded) {
    let calls = db.count("select count(*) from calls");
    let entries = db.count("select count(*) from queue_entries");
    let polled = db.count("select count(*) from queue_entries where last_polled_at is not null");
    let ended = db.count("select count(*) from queue_entries where ended_at is not null");
    println!(
        "saved: {calls} calls, {entries} queue entries ({polled} polled, {ended} ended by the \
         hang-up)"
    );
    println!(
        "(preloaded before the run: {} calls, {} queue entries)",
        preloaded.calls, preloaded.queue_entries
    );
    let n = plan.callers as i64;
    let e = n + preloaded.queue_entries;
    assert!(
        calls == n + preloaded.calls && entries == e && polled == e && ended == e,
        "FAILED: expected {n} calls and {n} queue entries, each polled and ended"
    );
    assert!(
        measured.unexpected.is_none(),
        "FAILED: {} poll answers were not the hold prompt",
        measured.unexpected_count
    );
}
