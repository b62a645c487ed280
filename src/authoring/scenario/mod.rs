//! Flow tests written next to the flow (`[[tests]]`): a scripted call at a given instant,
//! run through the real engine with no server, and what it should lead to. A scenario that
//! does not turn out as written is reported at its line, with what the caller heard.

pub mod call;
pub mod call_back;
mod expect;
pub mod listen;
pub mod script;

use std::collections::BTreeSet;
use std::ops::Range;

use jiff::Timestamp;

use crate::engine::{CallContext, Links};
use crate::flow::diagnostic::{FlowDiagnostic, SourceFile, did_you_mean};
use crate::flow::model::Flow;
use crate::flow::raw::{RawScenario, S};
use call::Call;
pub use script::Input;

/// The public address the scripted calls' links are built on; never requested.
const BASE_URL: &str = "https://hotline.example.org";

/// The number scenarios call from unless they say otherwise.
const DEFAULT_CALLER: &str = "+12025550123";

/// What running a file's scenarios found.
#[derive(Debug, Default)]
pub struct ScenarioResults {
    /// Failed and unusable scenarios (errors), and scenarios that check nothing (warnings).
    pub diagnostics: Vec<FlowDiagnostic>,
    /// Scenarios in the file.
    pub run: usize,
    /// Scenarios that turned out as written.
    pub passed: usize,
}

/// Runs every scenario of a file against its flow.
pub fn run_all(flow: &Flow, tests: &[S<RawScenario>], file: SourceFile<'_>) -> ScenarioResults {
    let mut results = ScenarioResults::default();
    for test in tests {
        results.run += 1;
        let found = run_one(flow, test.get_ref(), file);
        if !found.iter().any(FlowDiagnostic::is_error) {
            results.passed += 1;
        }
        results.diagnostics.extend(found);
    }
    results
}

/// A scenario as written, once every part of it is understood.
struct Scenario<'r> {
    name: &'r str,
    at: Timestamp,
    caller: Option<&'r str>,
    inputs: Vec<(Input, &'r S<String>)>,
    /// The categories someone is available for; `None`: every one.
    staffed: Option<BTreeSet<String>>,
}

fn run_one(flow: &Flow, raw: &RawScenario, file: SourceFile<'_>) -> Vec<FlowDiagnostic> {
    let scenario = match understand(flow, raw) {
        Ok(s) => s,
        Err(problems) => {
            return problems
                .into_iter()
                .map(|(span, why, help)| {
                    let message = format!("scenario \"{}\": {why}", raw.name.get_ref());
                    file.diagnostic(span, "bad-scenario", message, help)
                })
                .collect();
        }
    };
    if expects_nothing(raw) {
        let message = format!("scenario \"{}\" checks nothing", scenario.name);
        let help = "add what the call should lead to: `outcome`, `category`, `language`, `hears`, \
                    `not_hears`, `safe_to_leave_message`, `callback_number`, `call_time`, \
                    `first_call_back`, `call_back_hears` or `call_back_not_hears`";
        return vec![
            file.diagnostic(raw.name.span(), "empty-scenario", message, help)
                .into_warning(),
        ];
    }
    let links = Links::new(BASE_URL);
    let ctx = CallContext {
        caller: scenario.caller,
        now: scenario.at,
        links: &links,
        staffed: scenario.staffed.as_ref(),
    };
    let mut call = Call::start(flow, &ctx);
    for (input, written) in &scenario.inputs {
        if let Err(why) = call.act(input) {
            let message = format!(
                "scenario \"{}\": the caller cannot do \"{}\" at this point: {why}",
                scenario.name,
                written.get_ref()
            );
            let help = format!(
                "change the inputs to follow the call; what happened up to here:\n{}",
                transcript(&call)
            );
            return vec![file.diagnostic(written.span(), "bad-scenario", message, help)];
        }
    }
    verdict(&call, raw, flow, file)
}

/// The failed expectations as one diagnostic, at the first of them.
fn verdict(
    call: &Call<'_>,
    raw: &RawScenario,
    flow: &Flow,
    file: SourceFile<'_>,
) -> Vec<FlowDiagnostic> {
    let failures = expect::failures(call, raw, flow);
    let Some(first) = failures.first() else {
        return Vec::new();
    };
    let more = match failures.len() {
        1 => String::new(),
        2 => " (and 1 more problem)".to_string(),
        n => format!(" (and {} more problems)", n - 1),
    };
    let message = format!(
        "scenario \"{}\" failed: {}{more}",
        raw.name.get_ref(),
        first.what
    );
    let mut help = String::new();
    if failures.len() > 1 {
        help.push_str("problems:\n");
        for f in &failures {
            help.push_str(&format!("  - {}\n", f.what));
        }
    }
    help.push_str(&format!(
        "what happened:\n{}\nif the flow is right, change the scenario; otherwise fix the flow",
        transcript(call)
    ));
    vec![file.diagnostic(first.span.clone(), "scenario-failed", message, help)]
}

fn transcript(call: &Call<'_>) -> String {
    call.transcript
        .iter()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn expects_nothing(raw: &RawScenario) -> bool {
    raw.category.is_none()
        && raw.language.is_none()
        && raw.outcome.is_none()
        && raw.hears.is_empty()
        && raw.not_hears.is_empty()
        && raw.safe_to_leave_message.is_none()
        && raw.callback_number.is_none()
        && raw.call_time.is_none()
        && raw.first_call_back.is_none()
        && raw.call_back_hears.is_empty()
        && raw.call_back_not_hears.is_empty()
}

/// A problem with how a scenario is written: where, what, and how to fix it.
type Problem = (Range<usize>, String, String);

/// Reads a scenario, or says everything that is wrong with how it is written.
fn understand<'r>(flow: &Flow, raw: &'r RawScenario) -> Result<Scenario<'r>, Vec<Problem>> {
    let mut problems: Vec<Problem> = Vec::new();
    if raw.name.get_ref().trim().is_empty() {
        problems.push((
            raw.name.span(),
            "the scenario has no name".into(),
            "say in a few words what the scenario tries, such as \"holiday evening, Spanish\""
                .into(),
        ));
    }
    let at = parse_at(raw.at.get_ref(), &flow.time_zone)
        .map_err(|help| problems.push((raw.at.span(), "`at` is not understood".into(), help)))
        .ok();
    let mut inputs = Vec::new();
    for written in &raw.inputs {
        match script::parse(written.get_ref()) {
            Ok(input) => inputs.push((input, written)),
            Err(help) => problems.push((
                written.span(),
                format!("\"{}\" is not a step", written.get_ref()),
                help,
            )),
        }
    }
    problems.extend(expectation_problems(flow, raw));
    let staffed = raw.staffed.as_ref().map(|list| {
        for id in list.get_ref() {
            if let Some(problem) = unknown_category(flow, id, " in `staffed`") {
                problems.push(problem);
            }
        }
        list.get_ref()
            .iter()
            .map(|id| id.get_ref().clone())
            .collect()
    });
    let caller = raw.caller.as_ref().map_or(Some(DEFAULT_CALLER), |c| {
        let c = c.get_ref().trim();
        (!c.eq_ignore_ascii_case("withheld")).then_some(c)
    });
    match at {
        Some(at) if problems.is_empty() => Ok(Scenario {
            name: raw.name.get_ref(),
            at,
            caller,
            inputs,
            staffed,
        }),
        _ => Err(problems),
    }
}

/// Expectations naming outcomes, categories or languages the flow does not have.
fn expectation_problems(flow: &Flow, raw: &RawScenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(outcome) = &raw.outcome
        && !expect::OUTCOMES.iter().any(|(o, _)| o == outcome.get_ref())
    {
        let known: Vec<&str> = expect::OUTCOMES.iter().map(|(o, _)| *o).collect();
        problems.push((
            outcome.span(),
            format!("outcome `{}` does not exist", outcome.get_ref()),
            format!("use one of: {}", known.join(", ")),
        ));
    }
    if let Some(category) = &raw.category {
        problems.extend(unknown_category(flow, category, ""));
    }
    if let Some(language) = &raw.language
        && !flow.languages.iter().any(|l| &l.id == language.get_ref())
    {
        let known: Vec<&str> = flow.languages.iter().map(|l| l.id.as_str()).collect();
        problems.push((
            language.span(),
            format!("language `{}` is not declared", language.get_ref()),
            format!("use one of: {}", known.join(", ")),
        ));
    }
    problems
}

/// A category id the flow does not define as a problem; `place` says where it was named.
fn unknown_category(flow: &Flow, id: &S<String>, place: &str) -> Option<Problem> {
    if flow.categories.contains_key(id.get_ref()) {
        return None;
    }
    let known = flow.categories.keys().map(String::as_str);
    let help = match did_you_mean(id.get_ref(), known.clone()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("use one of: {}", known.collect::<Vec<_>>().join(", ")),
    };
    Some((
        id.span(),
        format!("category `{}`{place} is not defined", id.get_ref()),
        help,
    ))
}

/// An instant written in RFC 3339 (`2026-12-25T19:00:00-05:00`), or a date and time in the
/// hotline's time zone (`2026-12-25T19:00`).
pub(super) fn parse_at(text: &str, tz: &jiff::tz::TimeZone) -> Result<Timestamp, String> {
    if let Ok(t) = text.trim().parse::<Timestamp>() {
        return Ok(t);
    }
    text.trim()
        .parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|local| tz.to_timestamp(local).ok())
        .ok_or_else(|| {
            format!(
                "write when the call is made as \"2026-12-25T19:00:00-05:00\" (with its offset from \
                 UTC) or as \"2026-12-25T19:00\" (the hotline's own time); `{text}` is neither"
            )
        })
}
