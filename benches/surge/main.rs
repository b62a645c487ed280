//! The surge benchmark: how hotline holds up when many callers ring at once, measured against
//! the release `hotline serve` binary running as a child process.
//!
//! It owns the whole run. It starts the server with the shipped flows, a signing token and a
//! frozen clock on a fresh database, plays the provider with signed form posts that follow the
//! URLs in the TwiML, prints what it measured, stops the server with SIGTERM, and checks in the
//! database that everything was saved. Three scenarios:
//!
//! - `--scenario callback` (the default): closed hours. Each of `--concurrency` callers (32)
//!   places calls until `--calls` calls (2,000) are done, following the callback scenario (see
//!   `provider::SCENARIO`, 7 webhooks). A "ceiling" server in this process, which answers every
//!   webhook with a fixed TwiML string, gets the same posts unfollowed first. It prints
//!   throughput against the ceiling, latency per webhook kind, and the server's CPU and memory.
//! - `--scenario hold`: opening hours. `--callers` callers (5,000) ring, spread evenly over
//!   `--ramp-seconds` (5), press 1 and 2, are queued, and poll the `<Enqueue waitUrl>` every
//!   `--poll-seconds` (3; each interval drawn from 80–120 % of it, the first from 0–100 %) until
//!   `--seconds` (60) after the first ring; then each hangs up in the queue. At most
//!   `--concurrency` requests are in flight at once, over as many keep-alive connections. It
//!   prints the latency of the polls overall and per 10-second window with the server's CPU and
//!   memory in each, how late polls were sent against their schedule, and the peak RSS. Use
//!   `--seconds` longer than ramp plus one poll interval, so every caller polls at least once.
//! - `--scenario line-callback`: the operator line's call backs, on a Saturday morning in New
//!   York (`WEEKEND_MORNING`: every category is closed, so callers are offered a call back, and
//!   it is within the flow's calling hours, so the line offers their requests). Before the
//!   server starts, `--operators` operators (16) of the victim-assistance category are added
//!   with `hotline operators add NAME --category victim_assistance --phone +1312555…` and
//!   `hotline operators pin NAME`, each with a phone and a PIN of their own. Then
//!   `--concurrency` callers (32) leave `--requests` callback requests (1,000) by the callback
//!   scenario (unmeasured). Then the operators work at once, each on one call to the operator
//!   line, as the line is meant to be worked (after each call it reads the next request): the
//!   call to `/voice/operator` and the PIN (the first request read out); 1 at the offer (the
//!   request claimed, a `<Dial>` from the hotline's number); the `<Number url>` on the leg of
//!   the person called (the neutral check) and their 1 (connected); the `<Dial action>` with
//!   `DialCallStatus=completed`; 1 (resolved) at the operator's close; the `<Redirect>` to the
//!   next request; when the line says nobody waits, the status callback of the operator's call.
//!   A 1 pressed for a request that another operator claimed since it was read out is answered
//!   "cannot be called now" with a redirect to the next one; those are counted. It prints call
//!   backs/s and webhooks/s, latency per webhook kind, the server's CPU per call back, and
//!   checks in the database that each request was dialled exactly once, confirmed at the
//!   check, closed as resolved by the operator who dialled it, with one attempt, and that none
//!   is left claimed or pending. It has no ceiling run (see BENCHMARKS.md). With
//!   `--surge-calls N`, `--concurrency` callers place N more calls while the operators work,
//!   in social services (3), a category the operators do not work, and their latency is
//!   printed too: the line measured during a surge of callers. With `--pause-ms P`, each
//!   operator waits P ms before each webhook after their first (the minutes of listening,
//!   ringing and talking between two webhooks of a real call back, compressed).
//!
//! Options for any scenario:
//!
//! - `--preload-steps N`: before the server starts, its SQLite file is migrated
//!   (`hotline db migrate`) and filled with N call steps in calls of eight steps over the
//!   previous 80 days (within the default retention), each call with its (answered) queue entry (see `preload`), so latency can be
//!   compared with an empty database.
//! - `--database-url postgres://user@host:port/db`: run the server on PostgreSQL. A scratch
//!   database `hotline_bench_<pid>` is created through `db` (`postgres` if the URL names none)
//!   and dropped at the end; the saved rows are counted there.
//! - `--instances N` (with `--database-url`, callback scenario): N servers on the one
//!   database, all with the public URL of a load balancer in front of them; the provider sends
//!   each webhook to the next server in turn (no stickiness: a call's webhooks land on
//!   different servers), signed for the public URL. CPU and memory are the servers' added up.
//! - `--instance-cpus C` (callback scenario): each server may use C cores' worth of CPU time
//!   (a cgroup CPU quota with a 10 ms period; needs root and the cgroup CPU controller, v1 or
//!   v2), so instances sharing this machine stand for instances on machines of their own: with
//!   a small C, the servers rather than the machine limit the rate, and whether adding
//!   instances adds calls per second shows.
//! - `HOTLINE_BENCH_WRAP="valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p.out"`: the
//!   server's command is prefixed with these words, to profile it under the same load. CPU and
//!   memory are then read from the wrapper's process, which is the server's own when the
//!   wrapper execs it (valgrind does, and its RSS includes valgrind's own).
//! - `HOTLINE_BENCH_RUST_LOG`: the server's `RUST_LOG` (by default its own, `hotline=info`).
//! - `HOTLINE_BENCH_SERVER_LOG=path`: keep the server's log (JSON) in that file instead of
//!   discarding it.
//! - `HOTLINE_BENCH_FLOWS=folder`: the flows the server runs instead of `call_flows/`, so a
//!   build of another day can be measured on the flow files it reads.
//!
//! Run it with:
//!
//! ```sh
//! cargo bench --bench surge -- --calls 2000 --concurrency 32
//! cargo bench --bench surge -- --scenario hold --callers 5000 --poll-seconds 3 --seconds 60
//! cargo bench --bench surge -- --scenario line-callback --requests 1000 --operators 16
//! cargo bench --bench surge -- --scenario line-callback --surge-calls 4000 --pause-ms 20
//! cargo bench --bench surge -- --preload-steps 10000000
//! cargo bench --bench surge -- --database-url postgres://postgres@127.0.0.1:5432/test
//! cargo bench --bench surge -- --database-url postgres://postgres@127.0.0.1:5432/test \
//!     --instances 2
//! HOTLINE_DATABASE_POOL_SIZE=3 cargo bench --bench surge -- \
//!     --database-url postgres://postgres@127.0.0.1:5432/test --instances 2 --instance-cpus 0.25
//! HOTLINE_BENCH_WRAP="valgrind --tool=callgrind" cargo bench --bench surge -- --calls 200 \
//!     --concurrency 4
//! ```
//!
//! The server runs as a child process so that its CPU time and memory can be read from
//! `/proc/<pid>` apart from the load generator's, and so that it runs exactly as deployed.

mod cpu_quota;
mod database;
mod hold;
mod hold_report;
mod line_callback;
mod line_report;
mod options;
mod postgres;
mod preload;
mod provider;
mod report;
mod servers;

use std::time::Duration;

use database::{Database, Saved};
use options::{Options, Scenario};
use preload::Preloaded;
use provider::{Provider, Run, Sender};
use servers::{AFTER_HOURS, Ceiling, Hotline, Instances, OPEN, WEEKEND_MORNING};

fn runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

fn main() {
    let options = Options::parse();
    let database = match &options.database_url {
        Some(url) => Database::postgres(url),
        None => Database::sqlite(),
    };
    let clock = match options.scenario {
        Scenario::Callback => AFTER_HOURS,
        Scenario::Hold => OPEN,
        Scenario::LineCallback => WEEKEND_MORNING,
    };
    let preloaded = preload(&options, &database, clock);
    match options.scenario {
        Scenario::Callback => callback(&options, &database, &preloaded),
        Scenario::Hold => hold(&options, &database, &preloaded),
        Scenario::LineCallback => line_callback(&options, &database),
    }
}

/// Fills the database before the server starts.
fn preload(options: &Options, database: &Database, clock: &str) -> Preloaded {
    if options.preload_steps == 0 {
        return Preloaded::default();
    }
    let path = database
        .sqlite_path()
        .expect("--preload-steps fills a SQLite database");
    let clock_ms = clock
        .parse::<jiff::Timestamp>()
        .expect("the frozen clock is an instant")
        .as_millisecond();
    let done = preload::fill(&path, options.preload_steps, clock_ms);
    println!(
        "preload: {} call steps in {} calls ({} queue entries) in {:.1} s; the database file is \
         {:.0} MiB",
        done.steps,
        done.calls,
        done.queue_entries,
        done.took.as_secs_f64(),
        done.file_bytes as f64 / (1024.0 * 1024.0)
    );
    done
}

/// Closed hours: callback requests at full speed, against the ceiling.
fn callback(options: &Options, database: &Database, preloaded: &Preloaded) {
    let provider_rt = runtime("provider");
    let ceiling_rt = runtime("ceiling");
    let ceiling = Ceiling::start(&ceiling_rt);
    let mut hotline = Instances::start(
        AFTER_HOURS,
        &database.url(),
        options.instances,
        options.instance_cpus,
    );
    println!(
        "surge: {} calls, {} concurrent callers, {} webhooks per call{}{}",
        options.calls,
        options.concurrency,
        provider::SCENARIO.len(),
        match hotline.count() {
            1 => String::new(),
            n => format!(", {n} instances taking webhooks in turn"),
        },
        match options.instance_cpus {
            Some(cpus) => format!(", each server limited to {cpus} cores"),
            None => String::new(),
        }
    );

    let provider = hotline.provider(options.concurrency);
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
    hotline.stop();
    // Let the client's idle connections close before the runtime goes.
    provider_rt.shutdown_timeout(Duration::from_secs(1));

    report::throughput(&hotline_run, &ceiling_run, options.calls);
    report::latencies(&hotline_run);
    report::usage(
        &before,
        &after,
        options.calls,
        database.sqlite_path().is_none(),
    );
    report::saved(&Saved::count(database), options.calls, preloaded.calls);
}

/// Opening hours: callers waiting in a queue, polling.
fn hold(options: &Options, database: &Database, preloaded: &Preloaded) {
    let provider_rt = runtime("provider");
    let mut hotline = Hotline::start(OPEN, &database.url());
    let plan = options.hold_plan();
    println!(
        "hold: {} callers ringing over {:.0} s, polling every {:.1} s until {:.0} s, at most {} \
         requests in flight",
        plan.callers,
        plan.ramp.as_secs_f64(),
        plan.poll.as_secs_f64(),
        plan.duration.as_secs_f64(),
        plan.in_flight
    );
    let sender = Sender::new(plan.in_flight, hotline.token());
    let measured = provider_rt.block_on(hold::run(sender, &hotline.base, &plan, hotline.pid()));
    hotline.stop();
    provider_rt.shutdown_timeout(Duration::from_secs(1));
    hold_report::print(&plan, &measured);
    hold_report::saved(database, &plan, &measured, preloaded);
}

/// A weekend morning: callers leave callback requests, then operators call them back from the
/// operator line, each request once; with `--surge-calls`, callers of another category keep
/// calling meanwhile.
fn line_callback(options: &Options, database: &Database) {
    let url = database.url();
    let staff = line_callback::add_operators(&url, options.operators);
    let provider_rt = runtime("provider");
    let mut hotline = Hotline::start(WEEKEND_MORNING, &url);
    println!(
        "line-callback: {} callers leave {} callback requests, then {} operators call them back \
         (pausing {} ms before each webhook){}",
        options.concurrency,
        options.requests,
        options.operators,
        options.pause.as_millis(),
        match options.surge_calls {
            0 => String::new(),
            n => format!(
                ", while {} callers place {n} calls in another category",
                options.concurrency
            ),
        }
    );
    let callers = Provider::new(options.concurrency, hotline.token());
    let left = provider_rt.block_on(callers.run(
        &hotline.base,
        Run::Hotline,
        options.requests,
        options.concurrency,
    ));
    println!(
        "callers: {} requests left in {:.2} s",
        options.requests,
        left.elapsed.as_secs_f64()
    );

    let operators = Sender::new(options.operators, hotline.token());
    // Social services (3): a category the operators do not work, so the surge's requests are
    // not theirs to call back.
    let surge =
        Provider::new(options.concurrency, hotline.token()).numbered_from(options.requests, "3");
    let before = hotline.usage();
    let (measured, surged) = provider_rt.block_on(async {
        tokio::join!(
            line_callback::run(&operators, &hotline.base, &staff, options.pause),
            surge.run(
                &hotline.base,
                Run::Hotline,
                options.surge_calls,
                options.concurrency
            )
        )
    });
    let after = hotline.usage();
    hotline.stop();
    provider_rt.shutdown_timeout(Duration::from_secs(1));
    line_report::print(&measured, &before, &after, database.sqlite_path().is_none());
    if options.surge_calls > 0 {
        println!(
            "\nthe callers meanwhile: {} calls in {:.2} s",
            options.surge_calls,
            surged.elapsed.as_secs_f64()
        );
        report::latencies(&surged);
    }
    line_report::saved(database, options.requests, measured.called_back);
}
