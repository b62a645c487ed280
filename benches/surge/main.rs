//! The surge benchmark: how many calls per second hotline answers when many callers ring at once,
//! measured against a "ceiling" server that answers every webhook with a fixed TwiML string.
//!
//! It owns the whole run: it starts the release `hotline serve` binary as a child process on a
//! fresh SQLite file, with the shipped flows, a signing token and the clock frozen after hours;
//! it starts the ceiling in this process on a runtime of its own; then it plays the provider.
//! Each of `--concurrency` callers places calls until `--calls` calls are done, following the
//! closed-hours callback scenario (see `provider::SCENARIO`) through the URLs in the TwiML, with
//! signed form posts. The ceiling gets the same number of posts in the same shape, unfollowed.
//! At the end it prints throughput, latencies per webhook kind, the server's CPU time and peak
//! memory, and checks in the database that every call and callback request was saved.
//!
//! Run it with:
//!
//! ```sh
//! cargo bench --bench surge -- --calls 2000 --concurrency 32
//! ```
//!
//! The server runs as a child process so that its CPU time and memory can be read from
//! `/proc/<pid>` apart from the load generator's, and so that it runs exactly as deployed.

mod provider;
mod report;
mod servers;

use std::time::Duration;

use provider::{Provider, Run};
use servers::{Ceiling, Hotline};

/// Number of calls and simultaneous callers, from `--calls N --concurrency C`.
struct Options {
    calls: usize,
    concurrency: usize,
}

fn parse_options() -> Options {
    let mut options = Options {
        calls: 2_000,
        concurrency: 32,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let target = match arg.as_str() {
            "--calls" => &mut options.calls,
            "--concurrency" => &mut options.concurrency,
            // `cargo bench` passes `--bench` to every benchmark binary.
            "--bench" => continue,
            other => panic!("unknown option {other}; use --calls N --concurrency C"),
        };
        *target = args
            .next()
            .and_then(|v| v.parse().ok())
            .filter(|&v| v > 0)
            .unwrap_or_else(|| panic!("{arg} needs a positive number"));
    }
    options
}

fn runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

fn main() {
    let options = parse_options();
    let provider_rt = runtime("provider");
    let ceiling_rt = runtime("ceiling");
    let ceiling = Ceiling::start(&ceiling_rt);
    let mut hotline = Hotline::start();
    println!(
        "surge: {} calls, {} concurrent callers, {} webhooks per call",
        options.calls,
        options.concurrency,
        provider::SCENARIO.len()
    );

    let provider = Provider::new(options.concurrency, hotline.token());
    let ceiling_run = provider_rt.block_on(provider.run(
        &ceiling.base,
        Run::Ceiling,
        options.calls,
        options.concurrency,
    ));
    drop(ceiling_rt);

    let before = hotline.usage();
    let hotline_run = provider_rt.block_on(provider.run(
        &hotline.base,
        Run::Hotline,
        options.calls,
        options.concurrency,
    ));
    let after = hotline.usage();
    let db_path = hotline.stop();
    // Let the client's idle connections close before the runtime goes.
    provider_rt.shutdown_timeout(Duration::from_secs(1));

    report::throughput(&hotline_run, &ceiling_run, options.calls);
    report::latencies(&hotline_run);
    report::usage(&before, &after, options.calls);
    let saved = servers::saved_counts(&db_path);
    report::saved(&saved, options.calls);
}
