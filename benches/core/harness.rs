//! The timing loop and the table: warm up a case, size its batches from the warm-up, time
//! several batches, and report the median time per iteration with the spread of the batches.
//!
//! Its own loop rather than a benchmark crate: it compiles in seconds on a small machine, and
//! a median over a handful of batches is all a regression check on this code needs.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// How long each case runs.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Time spent running the case before measuring; also sizes the batches.
    pub warm_up: Duration,
    /// Number of timed batches.
    pub samples: usize,
    /// Aimed-for length of one batch.
    pub sample_time: Duration,
}

impl Settings {
    /// About 0.9 s per case: long enough for a stable median on a shared machine.
    pub const FULL: Settings = Settings {
        warm_up: Duration::from_millis(100),
        samples: 10,
        sample_time: Duration::from_millis(80),
    };

    /// About 0.1 s per case, to get a rough figure quickly.
    pub const QUICK: Settings = Settings {
        warm_up: Duration::from_millis(20),
        samples: 5,
        sample_time: Duration::from_millis(15),
    };

    /// One call per case: under `cargo test` the cases only have to show that they still run.
    pub const SMOKE: Settings = Settings {
        warm_up: Duration::ZERO,
        samples: 1,
        sample_time: Duration::ZERO,
    };
}

/// What one case measured.
#[derive(Debug)]
pub struct Measured {
    pub name: String,
    /// Nanoseconds per iteration of each batch, sorted.
    pub per_iter: Vec<f64>,
    /// Iterations in each batch.
    pub iterations: u64,
}

impl Measured {
    pub fn median(&self) -> f64 {
        let n = self.per_iter.len();
        if n % 2 == 1 {
            self.per_iter[n / 2]
        } else {
            (self.per_iter[n / 2 - 1] + self.per_iter[n / 2]) / 2.0
        }
    }
}

/// Runs the cases whose names match the filters and keeps what they measured.
pub struct Bench {
    settings: Settings,
    filters: Vec<String>,
    list_only: bool,
    results: Vec<Measured>,
}

impl Bench {
    /// `filters`: a case runs when its name contains any of them (all run when there are none).
    pub fn new(settings: Settings, filters: Vec<String>, list_only: bool) -> Bench {
        Bench {
            settings,
            filters,
            list_only,
            results: Vec::new(),
        }
    }

    /// Whether `name` is selected; setting up a case's inputs can be skipped when it is not.
    pub fn wants(&self, name: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str()))
    }

    /// Measures `f`. Its result goes through `black_box` so the work cannot be optimised away,
    /// and is dropped inside the timed loop, since freeing is part of the cost.
    pub fn case<R>(&mut self, name: &str, mut f: impl FnMut() -> R) {
        if !self.wants(name) {
            return;
        }
        if self.list_only {
            println!("{name}");
            return;
        }
        let estimate = warm_up(&mut f, self.settings.warm_up);
        let iterations =
            (self.settings.sample_time.as_secs_f64() / estimate).clamp(1.0, 1e9) as u64;
        let mut per_iter: Vec<f64> = (0..self.settings.samples)
            .map(|_| time_batch(&mut f, iterations))
            .collect();
        per_iter.sort_by(f64::total_cmp);
        let measured = Measured {
            name: name.to_string(),
            per_iter,
            iterations,
        };
        // Printed as soon as known, so a long run shows progress.
        println!("{}", row(&measured));
        self.results.push(measured);
    }

    /// What was measured, in the order the cases ran.
    pub fn results(&self) -> &[Measured] {
        &self.results
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }
}

/// Runs `f` in doubling batches for about `time`; returns the seconds one call took.
fn warm_up<R>(f: &mut impl FnMut() -> R, time: Duration) -> f64 {
    let started = Instant::now();
    let mut batch = 1u64;
    let mut done = 0u64;
    while started.elapsed() < time {
        for _ in 0..batch {
            black_box(f());
        }
        done += batch;
        batch = batch.saturating_mul(2);
    }
    started.elapsed().as_secs_f64() / done.max(1) as f64
}

/// Nanoseconds per call over one batch of `iterations` calls.
fn time_batch<R>(f: &mut impl FnMut() -> R, iterations: u64) -> f64 {
    let started = Instant::now();
    for _ in 0..iterations {
        black_box(f());
    }
    started.elapsed().as_nanos() as f64 / iterations as f64
}

/// The table's heading, matching [`row`].
pub fn header() -> String {
    format!(
        "{:<34} {:>14} {:>25} {:>7} {:>13}",
        "case", "median ns/iter", "min–max ns/iter", "spread", "iterations"
    )
}

/// One case as a table row: the spread is (max − min) / median.
pub fn row(m: &Measured) -> String {
    let median = m.median();
    let (min, max) = (m.per_iter[0], m.per_iter[m.per_iter.len() - 1]);
    let range = format!("{}–{}", nanos(min), nanos(max));
    let spread = format!("{:.1}%", (max - min) / median * 100.0);
    let iterations = format!("{}×{}", m.per_iter.len(), thousands(m.iterations));
    format!(
        "{:<34} {:>14} {:>25} {:>7} {:>13}",
        m.name,
        nanos(median),
        range,
        spread,
        iterations
    )
}

/// Nanoseconds with thousands separated, and a decimal below 100 where it still means something.
fn nanos(ns: f64) -> String {
    if ns < 100.0 {
        format!("{ns:.1}")
    } else {
        thousands(ns.round() as u64)
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
