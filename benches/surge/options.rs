//! The command line: which scenario, how much load, and which database. Every option and what it
//! does is described in `main.rs`.

use std::time::Duration;

use crate::hold::Plan;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// Closed hours: callers leave callback requests, measured against the ceiling.
    Callback,
    /// Open hours: callers wait in a queue and poll its `waitUrl`.
    Hold,
    /// A weekend morning: callers leave callback requests, then operators call them back from
    /// the operator line.
    LineCallback,
}

pub struct Options {
    pub scenario: Scenario,
    pub calls: usize,
    /// Callers in the callback scenario (and in the line-callback scenario's first part);
    /// requests in flight at once in the hold scenario.
    pub concurrency: usize,
    pub callers: usize,
    pub poll_seconds: f64,
    pub seconds: f64,
    pub ramp_seconds: f64,
    /// Callback requests left and then called back in the line-callback scenario.
    pub requests: usize,
    /// Operators on the operator line at once in the line-callback scenario.
    pub operators: usize,
    /// Calls that callers place in another category while the operators work.
    pub surge_calls: usize,
    /// How long each operator waits before each webhook after the first.
    pub pause: Duration,
    pub preload_steps: i64,
    pub database_url: Option<String>,
    /// Servers on the one database, taking the callback scenario's webhooks in turn.
    pub instances: usize,
    /// Cores' worth of CPU time each server of the callback scenario may use.
    pub instance_cpus: Option<f64>,
}

const USAGE: &str = "options: [--scenario callback|hold|line-callback] [--calls N] \
    [--concurrency C] [--callers N] [--poll-seconds P] [--seconds S] [--ramp-seconds R] \
    [--requests N] [--operators K] [--surge-calls N] [--pause-ms P] [--preload-steps N] [--database-url postgres://…] [--instances N] [--instance-cpus C]";

/// Operators' phones are `+1312555` and four digits.
const MAX_OPERATORS: usize = 10_000;

impl Options {
    pub fn parse() -> Options {
        let mut options = Options {
            scenario: Scenario::Callback,
            calls: 2_000,
            concurrency: 32,
            callers: 5_000,
            poll_seconds: 3.0,
            seconds: 60.0,
            ramp_seconds: 5.0,
            requests: 1_000,
            operators: 16,
            surge_calls: 0,
            pause: Duration::ZERO,
            preload_steps: 0,
            database_url: None,
            instances: 1,
            instance_cpus: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            // `cargo bench` passes `--bench` to every benchmark binary.
            if arg == "--bench" {
                continue;
            }
            let value = args
                .next()
                .unwrap_or_else(|| panic!("{arg} needs a value; {USAGE}"));
            options.set(&arg, &value);
        }
        assert!(
            options.preload_steps == 0 || options.database_url.is_none(),
            "--preload-steps fills a SQLite database; leave out --database-url"
        );
        assert!(
            options.instances == 1
                || (options.database_url.is_some() && options.scenario == Scenario::Callback),
            "--instances shares a PostgreSQL database between servers in the callback \
             scenario: give --database-url too (one server owns a SQLite file)"
        );
        assert!(
            options.instance_cpus.is_none() || options.scenario == Scenario::Callback,
            "--instance-cpus limits the servers of the callback scenario"
        );
        options
    }

    fn set(&mut self, arg: &str, value: &str) {
        match arg {
            "--scenario" => {
                self.scenario = match value {
                    "callback" => Scenario::Callback,
                    "hold" => Scenario::Hold,
                    "line-callback" => Scenario::LineCallback,
                    other => {
                        panic!("unknown scenario {other}; use callback, hold or line-callback")
                    }
                }
            }
            "--calls" => self.calls = positive(arg, value),
            "--concurrency" => self.concurrency = positive(arg, value),
            "--callers" => self.callers = positive(arg, value),
            "--poll-seconds" => {
                self.poll_seconds = seconds(arg, value);
                assert!(self.poll_seconds > 0.0, "{arg} needs more than 0 seconds");
            }
            "--seconds" => self.seconds = seconds(arg, value),
            "--ramp-seconds" => self.ramp_seconds = seconds(arg, value),
            "--requests" => self.requests = positive(arg, value),
            "--operators" => {
                self.operators = positive(arg, value);
                assert!(
                    self.operators <= MAX_OPERATORS,
                    "{arg}: at most {MAX_OPERATORS}"
                );
            }
            "--surge-calls" => {
                self.surge_calls = value
                    .parse()
                    .unwrap_or_else(|_| panic!("{arg} needs a number of calls"))
            }
            "--pause-ms" => {
                let ms: u64 = value
                    .parse()
                    .unwrap_or_else(|_| panic!("{arg} needs a number of milliseconds"));
                self.pause = Duration::from_millis(ms);
            }
            "--preload-steps" => {
                self.preload_steps = value
                    .parse()
                    .ok()
                    .filter(|&n: &i64| n >= 0)
                    .unwrap_or_else(|| panic!("{arg} needs a number of steps"))
            }
            "--database-url" => self.database_url = Some(value.to_string()),
            "--instances" => self.instances = positive(arg, value),
            "--instance-cpus" => {
                let cpus = value
                    .parse()
                    .ok()
                    .filter(|&c: &f64| c.is_finite() && c >= 0.01)
                    .unwrap_or_else(|| panic!("{arg} needs a number of cores, 0.01 or more"));
                self.instance_cpus = Some(cpus);
            }
            other => panic!("unknown option {other}; {USAGE}"),
        }
    }

    pub fn hold_plan(&self) -> Plan {
        Plan {
            callers: self.callers,
            poll: Duration::from_secs_f64(self.poll_seconds),
            duration: Duration::from_secs_f64(self.seconds),
            ramp: Duration::from_secs_f64(self.ramp_seconds),
            in_flight: self.concurrency,
        }
    }
}

fn positive(arg: &str, value: &str) -> usize {
    value
        .parse()
        .ok()
        .filter(|&v| v > 0)
        .unwrap_or_else(|| panic!("{arg} needs a positive number"))
}

fn seconds(arg: &str, value: &str) -> f64 {
    value
        .parse()
        .ok()
        .filter(|&v: &f64| v.is_finite() && v >= 0.0)
        .unwrap_or_else(|| panic!("{arg} needs a number of seconds"))
}
