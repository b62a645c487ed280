//! `hotline doctor`: with the settings `serve` takes, checks what a live line depends on
//! before a caller finds out: the database and its schema, the flows, the public URL as the
//! provider reaches it, and the numbers' settings at the provider. One line per check.

mod numbers;
mod webhook;

use std::io::Write;
use std::time::Duration;

use crate::config::ServeArgs;
use crate::flow::FlowDiagnostic;
use crate::store::without_secrets;

/// How long the database has to answer.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(10);

/// Options of `hotline doctor`: exactly those of `hotline serve`, so one set of settings
/// (flags or `HOTLINE_*` variables) serves both.
#[derive(clap::Args, Debug)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// How a check turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Fail,
    /// Not checked, for want of a setting it needs; not a failure.
    Skip,
}

/// The outcome of one check, printed as one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub verdict: Verdict,
    /// What was checked: `database`, `flows`, `webhook`, `number`.
    pub topic: &'static str,
    pub text: String,
}

impl Finding {
    fn new(verdict: Verdict, topic: &'static str, text: impl Into<String>) -> Finding {
        Finding {
            verdict,
            topic,
            text: text.into(),
        }
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = match self.verdict {
            Verdict::Ok => "ok",
            Verdict::Fail => "FAIL",
            Verdict::Skip => "skip",
        };
        write!(f, "{word:<6}{}: {}", self.topic, self.text)
    }
}

/// Runs every check, writing each line to `out` as it is known; returns whether none failed.
pub async fn doctor(args: &DoctorArgs, out: &mut impl Write) -> anyhow::Result<bool> {
    let serve = &args.serve;
    let mut failed = false;
    let mut report = |finding: Finding, out: &mut dyn Write| -> std::io::Result<()> {
        failed |= finding.verdict == Verdict::Fail;
        writeln!(out, "{finding}")?;
        out.flush()
    };
    report(database(&serve.database_url).await, out)?;
    let (finding, numbers) = flows(serve);
    let flows_failed = finding.verdict == Verdict::Fail;
    report(finding, out)?;
    let public_url = public_url(serve);
    let to = numbers.first().map(String::as_str);
    report(webhook::check(serve, &public_url, to).await, out)?;
    if flows_failed {
        let why = "not checked: the flows, which list them, did not pass";
        report(Finding::new(Verdict::Skip, "numbers", why), out)?;
        return Ok(false);
    }
    for finding in numbers::check(&serve.provider_api, &public_url, &numbers).await {
        report(finding, out)?;
    }
    Ok(!failed)
}

/// The address the provider is given, as the server works it out.
fn public_url(args: &ServeArgs) -> String {
    let url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.bind));
    url.trim_end_matches('/').to_string()
}

/// Whether the database answers and its schema is the one this build migrates to.
async fn database(url: &str) -> Finding {
    let shown = without_secrets(url);
    if let Some(path) = crate::store::open::sqlite_file(url)
        && !path.exists()
    {
        return Finding::new(
            Verdict::Fail,
            "database",
            format!("{shown}: no such file (the server creates it when it first starts)"),
        );
    }
    let inspected =
        tokio::time::timeout(DATABASE_TIMEOUT, crate::store::open::inspect_schema(url)).await;
    let (verdict, text) = match inspected {
        Ok(Ok(schema)) if schema.is_current() => (
            Verdict::Ok,
            format!("{shown} answers, {}", schema.describe()),
        ),
        Ok(Ok(schema)) => (
            Verdict::Fail,
            format!("{shown} answers, {}", schema.describe()),
        ),
        Ok(Err(error)) => (Verdict::Fail, format!("{shown}: {error}")),
        Err(_) => (
            Verdict::Fail,
            format!(
                "{shown} did not answer within {} s",
                DATABASE_TIMEOUT.as_secs()
            ),
        ),
    };
    Finding::new(verdict, "database", text)
}

/// What `hotline flows check` says of the flows folder, and the numbers its flows answer.
fn flows(args: &ServeArgs) -> (Finding, Vec<String>) {
    let folder = args.flows.display();
    let (files, others) = match super::flows::check_path(&args.flows) {
        Ok(found) => found,
        Err(error) => {
            return (
                Finding::new(Verdict::Fail, "flows", format!("{error:#}")),
                vec![],
            );
        }
    };
    let summary = crate::authoring::report::summary(&files, &others);
    let errors = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .chain(&others)
        .any(FlowDiagnostic::is_error);
    if errors {
        let text = format!("{folder}: {summary}; `hotline flows check {folder}` shows them");
        return (Finding::new(Verdict::Fail, "flows", text), vec![]);
    }
    let numbers = crate::catalog::files::read_dir(&args.flows)
        .ok()
        .and_then(|sources| crate::catalog::FlowSet::from_sources(&sources).ok())
        .map(|set| {
            set.flows()
                .flat_map(|flow| flow.numbers.iter().cloned())
                .collect()
        })
        .unwrap_or_default();
    (
        Finding::new(Verdict::Ok, "flows", format!("{folder}: {summary}")),
        numbers,
    )
}
