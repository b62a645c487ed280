//! The preload: a SQLite database that already holds a long history (by default none) before the
//! server starts, so latency can be compared with that of an empty one. The history is calls of
//! eight steps each, spread over the 80 days before the server's frozen clock, each with its stay in
//! the queue (answered), written the way the server writes them (same tables, keys and indexes).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

/// Steps per preloaded call: an open-hours call answered from the queue.
const STEPS: [(&str, Option<&str>, &str); 8] = [
    ("welcome", None, "played"),
    ("language", None, "asked"),
    ("language", Some("1"), "chose main_menu"),
    ("main_menu", None, "asked"),
    ("main_menu", Some("2"), "chose to_victim_assistance"),
    ("to_victim_assistance", None, "queued in victim_assistance"),
    ("to_victim_assistance", None, "left queue: bridged"),
    ("goodbye", None, "hung up"),
];
/// Seconds between two steps of one call.
const STEP_SECONDS: i64 = 2;
/// The history's span: inside the server's default retention (90 days), as a database kept under
/// it would be; older rows would be purged at start, a large delete that holds the write lock.
const SPAN_MS: i64 = 80 * 24 * 3600 * 1000;

/// What the preload wrote, and what it cost; all zero without a preload.
#[derive(Default)]
pub struct Preloaded {
    pub calls: i64,
    pub queue_entries: i64,
    pub steps: i64,
    pub took: Duration,
    pub file_bytes: u64,
}

/// Creates the tables with the server's own migrations, then writes `steps` call steps (and their
/// calls) into the SQLite file at `path`, ending before `clock_ms`.
pub fn fill(path: &Path, steps: i64, clock_ms: i64) -> Preloaded {
    let started = Instant::now();
    migrate(path);
    let per_call = STEPS.len() as i64;
    let calls = (steps + per_call - 1) / per_call;
    let mut db = Connection::open(path).expect("the preload opens the database");
    // One transaction and no journal to speak of: the file is new, and if the preload fails
    // the benchmark fails with it. The server's WAL mode is restored afterwards.
    db.execute_batch(
        "pragma journal_mode = delete; pragma synchronous = off; pragma cache_size = -262144;",
    )
    .expect("the preload's pragmas");
    let tx = db.transaction().expect("the preload's transaction");
    let queue_entries = write_history(&tx, calls, steps, clock_ms).expect("the preload's inserts");
    tx.commit().expect("the preload commits");
    db.execute_batch("pragma journal_mode = wal;")
        .expect("the database is back in WAL mode");
    drop(db);
    // Written without syncs, the file's gigabytes would still be waiting in the page cache, and
    // the server's first checkpoint would pay for flushing them all in the middle of the run: a
    // history that grew over months has long been on disk.
    std::fs::File::open(path)
        .and_then(|file| file.sync_all())
        .expect("the preloaded database reaches the disk");
    let file_bytes = std::fs::metadata(path)
        .expect("the preloaded database file")
        .len();
    Preloaded {
        calls,
        queue_entries,
        steps,
        took: started.elapsed(),
        file_bytes,
    }
}

/// `hotline db migrate`, as an operator would run it before the first start.
fn migrate(path: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["db", "migrate", "--database-url"])
        .arg(format!("sqlite:{}", path.display()))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("`hotline db migrate` runs");
    assert!(status.success(), "`hotline db migrate` failed: {status}");
}

/// Calls in order of their start, so every index is filled from its end as it would be in
/// production; their ids cannot clash with the benchmark's own (`CA0…`). Returns the number of
/// queue entries.
fn write_history(
    tx: &rusqlite::Transaction,
    calls: i64,
    steps: i64,
    clock_ms: i64,
) -> rusqlite::Result<i64> {
    let mut call = tx.prepare(
        "insert into calls (call_sid, hotline, flow_version, from_number, to_number, language,
            category, started_at, ended_at, status, duration_seconds, status_sequence,
            caller_hash)
         values (?1, 'victim_hotline', 'preload', ?2, '+18005550100', 'en',
            'victim_assistance', ?3, ?4, 'completed', ?5, 0, ?6)",
    )?;
    let mut queued = tx.prepare(
        "insert into queue_entries (call_sid, seq, category, queue, entered_at, last_position,
            last_wait_seconds, last_polled_at, ended_at, result, wait_seconds)
         values (?1, 5, 'victim_assistance', 'victim_assistance', ?2, 1, ?3, ?4, ?4, 'bridged',
            ?3)",
    )?;
    let mut step = tx.prepare(
        "insert into call_steps (call_sid, seq, node, input, outcome, at)
         values (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let spacing = SPAN_MS / calls.max(1);
    let first = clock_ms - SPAN_MS;
    let mut written = 0;
    let mut entries = 0;
    for n in 0..calls {
        let sid = format!("CAb{n:031x}");
        let started = first + n * spacing;
        let mine = (steps - written).min(STEPS.len() as i64);
        let duration = mine * STEP_SECONDS;
        // Callers call more than once: a tenth as many numbers as calls.
        let caller = n % (calls / 10).max(1);
        let from = format!("+1202{:07}", caller % 10_000_000);
        let hash = format!("{caller:064x}");
        let ended = started + duration * 1000;
        call.execute(params![sid, from, started, ended, duration, hash])?;
        if mine > 6 {
            let entered = started + 5 * STEP_SECONDS * 1000;
            let wait = 30 + n % 270;
            queued.execute(params![sid, entered, wait, entered + wait * 1000])?;
            entries += 1;
        }
        for (seq, (node, input, outcome)) in STEPS.iter().take(mine as usize).enumerate() {
            let at = started + seq as i64 * STEP_SECONDS * 1000;
            step.execute(params![sid, seq as i64, node, input, outcome, at])?;
        }
        written += mine;
    }
    Ok(entries)
}
