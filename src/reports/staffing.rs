//! How many operators each hour of the week needs: calls offered to the live queues and their
//! handle time, measured from the call log, turned into operators by Erlang C for a chosen
//! share of callers answered within a chosen time; and the callback requests arriving then.

use std::collections::BTreeMap;

use super::{RequestFact, WaitFact};

/// The days of the week, Monday first, as reports name them.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// The most operators an hour is planned for: beyond it the inputs are not a hotline's.
const MAX_OPERATORS: u32 = 1000;
/// Answered calls an hour of the week needs before its own handle time is trusted; with
/// fewer, the period's overall handle time is used.
const MIN_ANSWERED: usize = 5;

/// The service the plan is for: `share` of callers answered within `within_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct StaffingGoal {
    /// 0 to 1; 0.8 by default.
    pub share: f64,
    /// Seconds; 60 by default.
    pub within_seconds: u32,
}

impl Default for StaffingGoal {
    fn default() -> Self {
        StaffingGoal {
            share: 0.8,
            within_seconds: 60,
        }
    }
}

/// One hour of the week.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StaffingHour {
    /// `Mon` … `Sun`, in the hotline's time zone.
    pub weekday: &'static str,
    /// 0 to 23.
    pub hour: u8,
    /// Calls that reached a live queue, on average per such hour of the period.
    pub calls_offered: f64,
    /// Seconds an operator spent on each answered call (from the answer to the call's end).
    pub handle_seconds: Option<f64>,
    /// Operators needed on the line then to meet the goal.
    pub operators_needed: u32,
    /// Callback requests left, on average per such hour.
    pub callback_requests: f64,
}

/// The plan for a period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Staffing {
    pub goal: StaffingGoal,
    /// Over every answered call of the period.
    pub handle_seconds: Option<f64>,
    /// The hours with any demand, Monday 00:00 first.
    pub hours: Vec<StaffingHour>,
}

/// Where an instant falls in the week: (day, Monday = 0; hour).
pub type HourOfWeek = (u8, u8);

/// The plan for the period `[from, to)`, whose instants `hour_of` places in the week.
pub fn plan(
    waits: &[WaitFact],
    requests: &[RequestFact],
    period: (i64, i64),
    hour_of: impl Fn(i64) -> HourOfWeek,
    goal: StaffingGoal,
) -> Staffing {
    let occurrences = occurrences(period, &hour_of);
    let mut offered: BTreeMap<HourOfWeek, Vec<&WaitFact>> = BTreeMap::new();
    for wait in waits {
        offered
            .entry(hour_of(wait.entered_at))
            .or_default()
            .push(wait);
    }
    let mut asked: BTreeMap<HourOfWeek, u64> = BTreeMap::new();
    for request in requests {
        *asked.entry(hour_of(request.waiting_since)).or_default() += 1;
    }
    let overall = mean_handle(waits.iter());
    let slots: std::collections::BTreeSet<HourOfWeek> =
        offered.keys().chain(asked.keys()).copied().collect();
    let hours = slots
        .into_iter()
        .map(|slot| {
            let times = f64::from(occurrences.get(&slot).copied().unwrap_or(1).max(1));
            let calls = offered.get(&slot).map_or(&[][..], Vec::as_slice);
            let answered = calls.iter().filter(|w| w.handle_seconds.is_some()).count();
            let handle = if answered >= MIN_ANSWERED {
                mean_handle(calls.iter().copied())
            } else {
                overall
            };
            let per_hour = calls.len() as f64 / times;
            StaffingHour {
                weekday: WEEKDAYS[usize::from(slot.0.min(6))],
                hour: slot.1,
                calls_offered: round2(per_hour),
                handle_seconds: handle.map(round2),
                operators_needed: handle.map_or(0, |h| operators_needed(per_hour, h, goal)),
                callback_requests: round2(asked.get(&slot).copied().unwrap_or(0) as f64 / times),
            }
        })
        .collect();
    Staffing {
        goal,
        handle_seconds: overall.map(round2),
        hours,
    }
}

/// The fewest operators that answer `goal.share` of callers within `goal.within_seconds`,
/// by Erlang C, for `per_hour` calls of `handle_seconds` each.
pub fn operators_needed(per_hour: f64, handle_seconds: f64, goal: StaffingGoal) -> u32 {
    if per_hour <= 0.0 || handle_seconds <= 0.0 {
        return 0;
    }
    let load = per_hour * handle_seconds / 3600.0;
    let mut erlang_b = 1.0;
    for n in 1..=MAX_OPERATORS {
        let agents = f64::from(n);
        erlang_b = load * erlang_b / (agents + load * erlang_b);
        if agents <= load {
            continue;
        }
        let waits = agents * erlang_b / (agents - load * (1.0 - erlang_b));
        let within = f64::from(goal.within_seconds);
        let served = 1.0 - waits * (-(agents - load) * within / handle_seconds).exp();
        if served >= goal.share {
            return n;
        }
    }
    MAX_OPERATORS
}

/// How often each hour of the week occurs in the period.
fn occurrences(
    (from, to): (i64, i64),
    hour_of: &impl Fn(i64) -> HourOfWeek,
) -> BTreeMap<HourOfWeek, u32> {
    let mut counts = BTreeMap::new();
    let mut at = from;
    while at < to {
        *counts.entry(hour_of(at)).or_default() += 1;
        at += 3_600_000;
    }
    counts
}

fn mean_handle<'a>(waits: impl Iterator<Item = &'a WaitFact>) -> Option<f64> {
    let handled: Vec<i64> = waits.filter_map(|w| w.handle_seconds).collect();
    (!handled.is_empty()).then(|| handled.iter().sum::<i64>() as f64 / handled.len() as f64)
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
