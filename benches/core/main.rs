//! Micro-benchmarks of the pure work every webhook does (engine step, TwiML rendering, the
//! signature check, form parsing) and of loading the flows, over the shipped `call_flows/`, so
//! that a change that slows one of them shows up as a number.
//!
//! ```sh
//! cargo bench --bench core                     # every case, about a second each
//! cargo bench --bench core -- signature        # the cases whose names contain "signature"
//! cargo bench --bench core -- --quick engine   # a rough figure in a tenth of the time
//! cargo bench --bench core -- --list           # the case names
//! ```
//!
//! Each case warms up, then times ten batches sized to about 80 ms each; the table gives the
//! median time per iteration, the fastest and slowest batch, and their spread relative to the
//! median. Without `--bench` (that is, under `cargo test --benches`) every case runs once, only
//! to show that it still works.

mod cases;
mod fixtures;
mod harness;

use std::time::Instant;

use harness::{Bench, Settings};

const USAGE: &str = "usage: core [--quick] [--list] [FILTER...]";

fn main() {
    let mut settings = Settings::SMOKE;
    let mut quick = false;
    let mut list_only = false;
    let mut filters = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            // `cargo bench` passes `--bench`; `cargo test` does not.
            "--bench" => settings = Settings::FULL,
            "--quick" => quick = true,
            "--list" => list_only = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            flag if flag.starts_with('-') => panic!("unknown option {flag}; {USAGE}"),
            filter => filters.push(filter.to_string()),
        }
    }
    if quick {
        settings = Settings::QUICK;
    }
    let mut bench = Bench::new(settings, filters, list_only);
    if !list_only {
        println!("{}", harness::header());
    }
    let started = Instant::now();
    run_all(&mut bench);
    if !list_only {
        finish(&bench, started);
    }
}

fn run_all(bench: &mut Bench) {
    cases::flow_load(bench);
    let call = fixtures::Call::new();
    cases::engine_step(bench, &call);
    cases::twiml_render(bench, &call);
    cases::signature_check(bench, &call);
    cases::form_parse(bench);
    cases::webhook(bench, &call);
}

fn finish(bench: &Bench, started: Instant) {
    if bench.results().is_empty() {
        println!("no case matches; `--list` shows their names");
        return;
    }
    let s = bench.settings();
    if s.samples == 1 {
        println!(
            "{} cases ran once each; `cargo bench` times them",
            bench.results().len()
        );
        return;
    }
    println!(
        "{} cases in {:.1} s; {} batches of about {} ms each, after {} ms of warm-up",
        bench.results().len(),
        started.elapsed().as_secs_f64(),
        s.samples,
        s.sample_time.as_millis(),
        s.warm_up.as_millis()
    );
}
