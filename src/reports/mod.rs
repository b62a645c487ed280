//! Reports for supervisors, computed from the call log: calls per category per day, how callers
//! were triaged and what they found there (a queue, or closed and why), where they hang up in
//! the menus, how long live callers waited for an operator,
//! how long callback requests waited for their first call back, how calls back ended, how
//! callers answered by voice, and the operators each hour of the week needs. Pure: the store
//! supplies the facts, this module counts.

pub mod callback_work;
mod callbacks;
pub mod csv;
pub mod staffing;
mod titles;
mod triage_outcomes;
mod voice;

pub use callback_work::{CallbackRule, DialFact};
pub use callbacks::{AttemptFact, CallbackOutcomes};
pub use staffing::{HourOfWeek, Staffing, StaffingGoal};
pub use titles::UNTRIAGED_TITLE;
pub use triage_outcomes::TriageOutcomes;
pub use voice::VoiceAnswers;

use std::collections::{BTreeMap, BTreeSet};

/// Step outcomes (written by the engine) that end a caller's journey with the line doing its
/// job: queued, a callback request saved, transferred, or hung up by the flow on purpose.
const HANDLED_PREFIXES: [&str; 4] = ["queued in", "callback requested", "transferred", "hung up"];
/// A step outcome that says the menu gave up on the caller's input.
const GAVE_UP: &str = "giving up";
/// The label for calls that never reached a category.
pub const UNTRIAGED: &str = "(none)";

/// One call, as reports need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFact {
    pub call_sid: String,
    pub hotline: String,
    pub started_at: i64,
    pub category: Option<String>,
    /// Whether the call has ended (a terminal status was recorded).
    pub ended: bool,
}

/// One step, as reports need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepFact {
    pub call_sid: String,
    pub seq: i64,
    pub node: String,
    pub outcome: String,
}

/// One stay in a live queue that has ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitFact {
    pub category: String,
    /// `bridged` when an operator answered.
    pub result: String,
    pub wait_seconds: i64,
    /// When the caller entered the queue.
    pub entered_at: i64,
    /// For an answered caller, seconds from the answer to the call's end.
    pub handle_seconds: Option<i64>,
}

/// One callback request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFact {
    pub category: String,
    pub waiting_since: i64,
    /// When it was first called back, if ever.
    pub first_attempt_at: Option<i64>,
    /// Saved from what a caller gave before hanging up part-way.
    pub incomplete: bool,
}

/// Everything the reports are computed from, for one period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub calls: Vec<CallFact>,
    pub steps: Vec<StepFact>,
    pub waits: Vec<WaitFact>,
    pub requests: Vec<RequestFact>,
    /// Calls back recorded in the period.
    pub attempts: Vec<AttemptFact>,
    /// The category of each call that ended on the callback path without a request: no
    /// number the line may use, or told that nothing was taken.
    pub missed_requests: Vec<String>,
    /// Calls back the line placed in the period, ended.
    pub dials: Vec<DialFact>,
}

/// All reports for one period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    pub calls_per_day: Vec<DayCount>,
    pub triage: Vec<TriageShare>,
    /// Per category: callers queued, or sent to the callback path and why.
    pub triage_outcomes: Vec<TriageOutcomes>,
    pub drop_off: Vec<NodeDropOff>,
    pub answer_times: Vec<WaitStats>,
    pub callback_times: Vec<WaitStats>,
    pub callback_outcomes: Vec<CallbackOutcomes>,
    pub callback_requests: Vec<RequestCounts>,
    /// Spoken answers to menus, per menu and language.
    pub voice_answers: Vec<VoiceAnswers>,
    /// Operators needed per hour of the week.
    pub staffing: Staffing,
}

/// What the reports need of the flows.
#[derive(Debug, Clone, Default)]
pub struct Routes {
    /// Per hotline, its fallback ("general") category.
    pub fallback: BTreeMap<String, String>,
    /// Per (hotline, triage node), the category it sends callers to.
    pub triage_nodes: BTreeMap<(String, String), String>,
    /// Per category, how soon its requests should be called back, and when.
    pub callbacks: BTreeMap<String, CallbackRule>,
}

/// The period a report covers, how its instants read in the hotline's time zone, and how its
/// ids read for staff.
pub struct Period<'a> {
    /// `[from, to)`, ms since the epoch.
    pub from: i64,
    pub to: i64,
    /// The local date an instant fell on.
    pub date_of: &'a dyn Fn(i64) -> String,
    /// The local hour of the week an instant fell in.
    pub hour_of: &'a dyn Fn(i64) -> HourOfWeek,
    /// What the staffing plan is for.
    pub goal: StaffingGoal,
    /// A category's name for staff, by id.
    pub category_title: &'a dyn Fn(&str) -> String,
    /// A menu step's name for staff, by node id.
    pub node_title: &'a dyn Fn(&str) -> String,
}

/// How callers on the callback path of one category left it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestCounts {
    pub category: String,
    pub category_title: String,
    /// Requests the caller finished.
    pub saved: u64,
    /// Requests saved from what a caller gave before hanging up part-way.
    pub incomplete: u64,
    /// Callers who hung up on the path with no number the line may use, or were told that
    /// nothing was taken: nobody can call them back.
    pub missed: u64,
}

/// Calls of one category on one local day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DayCount {
    pub date: String,
    pub category: String,
    pub category_title: String,
    pub calls: u64,
}

/// How many calls reached a category in one way.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TriageShare {
    /// `menu` (chose a specific category), `chose_general`, `sent_to_general` (the menu gave up
    /// on their input), or `untriaged` (never reached a category).
    pub route: &'static str,
    pub calls: u64,
    /// Share of all calls, 0 to 1.
    pub share: f64,
}

/// How many ended calls reached a node, and how many hung up there without being helped.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NodeDropOff {
    pub node: String,
    pub node_title: String,
    pub reached: u64,
    pub hung_up: u64,
    /// `hung_up / reached`.
    pub rate: f64,
}

/// A distribution of waits, in seconds, for one category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WaitStats {
    pub category: String,
    pub category_title: String,
    /// Waits that ended well: answered live, or called back.
    pub count: u64,
    /// Waits that did not: hung up in the queue, or never called back.
    pub missed: u64,
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
    pub max_seconds: Option<i64>,
}

/// Computes every report.
pub fn compute(facts: &Facts, routes: &Routes, period: &Period<'_>) -> Report {
    let mut report = Report {
        calls_per_day: calls_per_day(&facts.calls, period.date_of),
        triage: triage(facts, &routes.fallback),
        triage_outcomes: triage_outcomes::triage_outcomes(facts, routes),
        drop_off: drop_off(facts),
        answer_times: answer_times(&facts.waits),
        callback_times: callback_times(&facts.requests),
        callback_outcomes: callbacks::callback_outcomes(&facts.attempts),
        callback_requests: request_counts(facts),
        voice_answers: voice::voice_answers(&facts.steps),
        staffing: staffing::plan(facts, &routes.callbacks, period),
    };
    report.name(period.category_title, period.node_title);
    report
}

fn request_counts(facts: &Facts) -> Vec<RequestCounts> {
    let mut counts: BTreeMap<&str, (u64, u64, u64)> = BTreeMap::new();
    for r in &facts.requests {
        let c = counts.entry(&r.category).or_default();
        if r.incomplete {
            c.1 += 1;
        } else {
            c.0 += 1;
        }
    }
    for category in &facts.missed_requests {
        counts.entry(category).or_default().2 += 1;
    }
    counts
        .into_iter()
        .map(|(category, (saved, incomplete, missed))| RequestCounts {
            category: category.to_string(),
            category_title: String::new(),
            saved,
            incomplete,
            missed,
        })
        .collect()
}

fn calls_per_day(calls: &[CallFact], date_of: impl Fn(i64) -> String) -> Vec<DayCount> {
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for call in calls {
        let category = call
            .category
            .clone()
            .unwrap_or_else(|| UNTRIAGED.to_string());
        *counts
            .entry((date_of(call.started_at), category))
            .or_default() += 1;
    }
    counts
        .into_iter()
        .map(|((date, category), calls)| DayCount {
            date,
            category,
            category_title: String::new(),
            calls,
        })
        .collect()
}

fn triage(facts: &Facts, fallback: &BTreeMap<String, String>) -> Vec<TriageShare> {
    let gave_up: BTreeSet<&str> = facts
        .steps
        .iter()
        .filter(|s| s.outcome.ends_with(GAVE_UP))
        .map(|s| s.call_sid.as_str())
        .collect();
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    for call in &facts.calls {
        let route = match &call.category {
            None => "untriaged",
            Some(c) if fallback.get(&call.hotline) != Some(c) => "menu",
            Some(_) if gave_up.contains(call.call_sid.as_str()) => "sent_to_general",
            Some(_) => "chose_general",
        };
        *counts.entry(route).or_default() += 1;
    }
    let total = facts.calls.len().max(1) as f64;
    ["menu", "chose_general", "sent_to_general", "untriaged"]
        .into_iter()
        .map(|route| {
            let calls = counts.get(route).copied().unwrap_or(0);
            TriageShare {
                route,
                calls,
                share: calls as f64 / total,
            }
        })
        .collect()
}

fn drop_off(facts: &Facts) -> Vec<NodeDropOff> {
    let ended: BTreeSet<&str> = facts
        .calls
        .iter()
        .filter(|c| c.ended)
        .map(|c| c.call_sid.as_str())
        .collect();
    let mut by_call: BTreeMap<&str, Vec<&StepFact>> = BTreeMap::new();
    for step in facts
        .steps
        .iter()
        .filter(|s| ended.contains(s.call_sid.as_str()))
    {
        by_call.entry(&step.call_sid).or_default().push(step);
    }
    let mut nodes: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for steps in by_call.values_mut() {
        steps.sort_by_key(|s| s.seq);
        let visited: BTreeSet<&str> = steps.iter().map(|s| s.node.as_str()).collect();
        for node in visited {
            nodes.entry(node).or_default().0 += 1;
        }
        let handled = steps
            .iter()
            .any(|s| HANDLED_PREFIXES.iter().any(|p| s.outcome.starts_with(p)));
        if let (false, Some(last)) = (handled, steps.last()) {
            nodes.entry(&last.node).or_default().1 += 1;
        }
    }
    let mut rows: Vec<NodeDropOff> = nodes
        .into_iter()
        .map(|(node, (reached, hung_up))| NodeDropOff {
            node: node.to_string(),
            node_title: String::new(),
            reached,
            hung_up,
            rate: hung_up as f64 / reached.max(1) as f64,
        })
        .collect();
    rows.sort_by(|a, b| b.hung_up.cmp(&a.hung_up).then_with(|| a.node.cmp(&b.node)));
    rows
}

fn answer_times(waits: &[WaitFact]) -> Vec<WaitStats> {
    let mut by_category: BTreeMap<&str, (Vec<i64>, u64)> = BTreeMap::new();
    for wait in waits {
        let entry = by_category.entry(&wait.category).or_default();
        match wait.result.as_str() {
            "bridged" => entry.0.push(wait.wait_seconds),
            "hangup" => entry.1 += 1,
            // Left for a callback, redirected, errors: neither answered nor abandoned.
            _ => {}
        }
    }
    by_category
        .into_iter()
        .map(|(category, (waits, missed))| stats(category, waits, missed))
        .collect()
}

fn callback_times(requests: &[RequestFact]) -> Vec<WaitStats> {
    let mut by_category: BTreeMap<&str, (Vec<i64>, u64)> = BTreeMap::new();
    for request in requests {
        let entry = by_category.entry(&request.category).or_default();
        match request.first_attempt_at {
            Some(at) => entry.0.push((at - request.waiting_since).max(0) / 1000),
            None => entry.1 += 1,
        }
    }
    by_category
        .into_iter()
        .map(|(category, (waits, missed))| stats(category, waits, missed))
        .collect()
}

pub(crate) fn stats(category: &str, mut waits: Vec<i64>, missed: u64) -> WaitStats {
    waits.sort_unstable();
    // Nearest-rank percentiles: every value reported is a wait that happened.
    let rank = |p: f64| -> Option<i64> {
        let n = waits.len();
        let index = ((p * n as f64).ceil() as usize).clamp(1, n.max(1)) - 1;
        waits.get(index).copied()
    };
    WaitStats {
        category: category.to_string(),
        category_title: String::new(),
        count: waits.len() as u64,
        missed,
        median_seconds: rank(0.5),
        p90_seconds: rank(0.9),
        max_seconds: waits.last().copied(),
    }
}

#[cfg(test)]
mod tests;
