//! What the line-callback scenario prints: call backs and webhooks per second, the latency of
//! each kind of operator-line webhook, the server's CPU per call back, and the check in the
//! database that every request was dialled exactly once, reached, and closed with the outcome
//! the operator pressed, none left claimed.

use std::time::Duration;

use crate::database::Database;
use crate::line_callback::{Measured, Step};
use crate::report::percentiles;
use crate::servers::Usage;

/// The target for every operator-line webhook.
const TARGET_P99_MS: f64 = 5.0;

pub fn print(measured: &Measured, before: &Usage, after: &Usage, on_postgres: bool) {
    let seconds = measured.elapsed.as_secs_f64();
    let webhooks: usize = measured.latencies.iter().map(Vec::len).sum();
    let called_back = measured.called_back;
    println!(
        "\n{called_back} call backs in {seconds:.2} s: {:.0} call backs/s, {:.0} webhooks/s \
         ({webhooks} webhooks)",
        called_back as f64 / seconds,
        webhooks as f64 / seconds
    );
    println!(
        "{} presses of 1 found the request claimed by another operator since it was read out \
         (the line then read the next one)",
        measured.conflicts
    );
    println!(
        "\nhotline latency (ms)  {:>7} {:>7} {:>7} {:>7} {:>7}",
        "n", "p50", "p90", "p99", "max"
    );
    for step in Step::ALL {
        let mine = measured.latencies[step as usize].clone();
        println!("{:<20} {}", step.name(), percentiles(mine));
    }
    let all: Vec<Duration> = measured.latencies.iter().flatten().copied().collect();
    println!("{:<20} {}", "all", percentiles(all));
    println!("(target: p99 < {TARGET_P99_MS} ms)");
    let cpu = after.cpu_seconds - before.cpu_seconds;
    println!(
        "\nhotline server: {cpu:.2} s CPU for the call backs ({:.0} % of one core), {:.0} µs per \
         call back, {:.0} µs per webhook; peak RSS {:.1} MiB ({:.1} MiB before)",
        cpu / seconds * 100.0,
        cpu / called_back.max(1) as f64 * 1e6,
        cpu / webhooks.max(1) as f64 * 1e6,
        after.peak_rss_kib as f64 / 1024.0,
        before.peak_rss_kib as f64 / 1024.0,
    );
    if on_postgres {
        let database = after.database_cpu_seconds - before.database_cpu_seconds;
        println!(
            "PostgreSQL's processes: {database:.2} s CPU, {:.0} µs per call back",
            database / called_back.max(1) as f64 * 1e6
        );
    }
}

/// What a count in the database must be: every request's, or none.
#[derive(Clone, Copy)]
enum Expected {
    Every,
    Zero,
}

/// The counts `saved` checks: what each counts, its SQL, and what it must be.
const CHECKS: [(&str, &str, Expected); 9] = [
    (
        "callback requests",
        "select count(*) from callback_requests where category = 'victim_assistance'",
        Expected::Every,
    ),
    (
        "completed as resolved",
        "select count(*) from callback_requests where status = 'completed' \
         and outcome = 'resolved'",
        Expected::Every,
    ),
    (
        "left claimed or pending",
        "select count(*) from callback_requests where status in ('claimed', 'pending') \
         and category = 'victim_assistance'",
        Expected::Zero,
    ),
    (
        "dials",
        "select count(*) from callback_dials",
        Expected::Every,
    ),
    (
        "requests dialled more than once",
        "select count(*) from (select request_id from callback_dials group by request_id \
         having count(*) > 1) twice",
        Expected::Zero,
    ),
    (
        "dials confirmed at the check and ended",
        "select count(*) from callback_dials where screen = 'confirmed' \
         and dial_status = 'completed' and ended_at is not null",
        Expected::Every,
    ),
    (
        "closed by the operator who dialled",
        "select count(*) from callback_dials d join callback_requests r on r.id = d.request_id \
         where r.closed_by = d.operator_id",
        Expected::Every,
    ),
    (
        "attempts, each the first and resolved",
        "select count(*) from callback_attempts where attempt = 1 and outcome = 'resolved'",
        Expected::Every,
    ),
    (
        "attempts in all",
        "select count(*) from callback_attempts",
        Expected::Every,
    ),
];

/// Fails the benchmark unless each of the `requests` requests was dialled exactly once, by the
/// operator who then closed it as resolved, was confirmed at the check, and none is left
/// claimed; `called_back` is how many the operators closed by their own count.
pub fn saved(db: &Database, requests: usize, called_back: usize) {
    let mut failed = Vec::new();
    println!("\nsaved:");
    for (what, sql, expected) in CHECKS {
        let expected = match expected {
            Expected::Every => requests as i64,
            Expected::Zero => 0,
        };
        let found = db.count(sql);
        println!("  {what:<40} {found:>7} (expected {expected})");
        if found != expected {
            failed.push(what);
        }
    }
    assert!(
        failed.is_empty() && called_back == requests,
        "FAILED: {failed:?}; the operators closed {called_back} of {requests} requests"
    );
}
