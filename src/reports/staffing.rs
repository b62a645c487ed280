//! How many operators each hour of the week needs: calls offered to the live queues and their
//! handle time, measured from the call log, turned into operators by Erlang C for a chosen
//! share of callers answered within a chosen time; and the callback requests arriving then,
//! with the operators calling them back within their category's target takes
//! (`callback_work`), beside the live figure and added to it.

use std::collections::{BTreeMap, BTreeSet};

use super::callback_work::{self, CallbackRule, WEEK_HOURS};
use super::{Facts, Period, WaitFact};

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

impl StaffingGoal {
    /// The goal a supervisor asked for, as typed: `service_level` a percentage from 1 to 99,
    /// `answer_within` whole seconds from 1 to 3600; either left out (or empty) keeps the
    /// default. Anything else is refused with what to type, for the API and the console alike.
    pub fn asked(
        service_level: Option<&str>,
        answer_within: Option<&str>,
    ) -> Result<StaffingGoal, String> {
        let default = StaffingGoal::default();
        fn given(text: Option<&str>) -> Option<&str> {
            text.map(str::trim).filter(|t| !t.is_empty())
        }
        let share = match given(service_level) {
            None => default.share,
            Some(text) => text
                .parse::<f64>()
                .ok()
                .filter(|p| (1.0..=99.0).contains(p))
                .map(|p| p / 100.0)
                .ok_or_else(|| {
                    "the share of callers answered in time (`service_level`) must be a \
                     percentage from 1 to 99"
                        .to_string()
                })?,
        };
        let within_seconds = match given(answer_within) {
            None => default.within_seconds,
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|s| (1..=3600).contains(s))
                .ok_or_else(|| {
                    "the time to answer them in (`answer_within`) must be whole seconds from \
                     1 to 3600"
                        .to_string()
                })?,
        };
        Ok(StaffingGoal {
            share,
            within_seconds,
        })
    }

    /// The share as a percentage people write: `80`, or `92.5`.
    pub fn percent(&self) -> String {
        let percent = (self.share * 1000.0).round() / 10.0;
        match percent.fract() == 0.0 {
            true => format!("{percent:.0}"),
            false => format!("{percent:.1}"),
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
    /// Operators busy calling back all hour, by `callback_work`'s model.
    pub callback_load: f64,
    /// The operators that load needs: `callback_load` rounded up.
    pub callback_operators: u32,
    /// Both: the live line's and the calls back's.
    pub total_operators: u32,
}

/// The plan for a period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Staffing {
    pub goal: StaffingGoal,
    /// Over every answered call of the period.
    pub handle_seconds: Option<f64>,
    /// The operator time one callback request takes, in seconds: the calls back the line
    /// placed for it added up, on average, or the default when too few were timed.
    pub callback_handle_seconds: f64,
    /// The requests whose calls back were timed in the period.
    pub callbacks_timed: u64,
    /// Whether `callback_handle_seconds` was measured rather than assumed.
    pub callback_handle_measured: bool,
    /// The hours with any demand or calling back, Monday 00:00 first.
    pub hours: Vec<StaffingHour>,
}

/// Where an instant falls in the week: (day, Monday = 0; hour).
pub type HourOfWeek = (u8, u8);

/// The plan for the period, from its queue stays, callback requests and calls back. Each
/// category's requests are worked within its rule in `rules` (the default rule otherwise).
pub fn plan(
    facts: &Facts,
    rules: &BTreeMap<String, CallbackRule>,
    period: &Period<'_>,
) -> Staffing {
    let mut demand = Demand {
        occurrences: occurrences((period.from, period.to), period.hour_of),
        offered: BTreeMap::new(),
        asked: BTreeMap::new(),
        overall: mean_handle(facts.waits.iter()),
        load: [0.0; WEEK_HOURS],
    };
    for wait in &facts.waits {
        let slot = (period.hour_of)(wait.entered_at);
        demand.offered.entry(slot).or_default().push(wait);
    }
    for request in &facts.requests {
        let slot = (period.hour_of)(request.waiting_since);
        let key = (request.category.clone(), index(slot));
        *demand.asked.entry(key).or_default() += 1.0 / demand.times(slot);
    }
    let callback = callback_work::handle(&facts.dials);
    demand.load = callback_work::load(&demand.asked, rules, default_rule(), callback.seconds);
    let slots: BTreeSet<HourOfWeek> = demand
        .offered
        .keys()
        .copied()
        .chain(demand.asked.keys().map(|(_, i)| slot(*i)))
        .chain((0..WEEK_HOURS).filter(|i| demand.load[*i] > 0.0).map(slot))
        .collect();
    Staffing {
        goal: period.goal,
        handle_seconds: demand.overall.map(round2),
        callback_handle_seconds: round2(callback.seconds),
        callbacks_timed: callback.timed,
        callback_handle_measured: callback.measured,
        hours: slots
            .into_iter()
            .map(|slot| demand.hour(slot, period.goal))
            .collect(),
    }
}

/// What a period asked of the line, by hour of the week.
struct Demand<'a> {
    /// How often each hour of the week occurs in the period.
    occurrences: BTreeMap<HourOfWeek, u32>,
    /// Queue stays, by the hour the caller entered the queue.
    offered: BTreeMap<HourOfWeek, Vec<&'a WaitFact>>,
    /// Requests arriving per (category, hour of the week), on average per such hour.
    asked: BTreeMap<(String, usize), f64>,
    /// The handle time over every answered call.
    overall: Option<f64>,
    /// Operators busy calling back in each hour of the week.
    load: [f64; WEEK_HOURS],
}

impl Demand<'_> {
    /// How often `slot` occurs in the period (at least once, for a stray instant).
    fn times(&self, slot: HourOfWeek) -> f64 {
        f64::from(self.occurrences.get(&slot).copied().unwrap_or(1).max(1))
    }

    /// The plan's row for one hour of the week.
    fn hour(&self, slot: HourOfWeek, goal: StaffingGoal) -> StaffingHour {
        let calls = self.offered.get(&slot).map_or(&[][..], Vec::as_slice);
        let handle = hour_handle(calls, self.overall);
        let per_hour = calls.len() as f64 / self.times(slot);
        let operators_needed = handle.map_or(0, |h| operators_needed(per_hour, h, goal));
        // Folded from +0: an empty f64 sum is -0, which would read "-0".
        let requests = self
            .asked
            .iter()
            .filter(|((_, i), _)| *i == index(slot))
            .fold(0.0, |all, (_, n)| all + n);
        let callback_load = self.load[index(slot)];
        let callback_operators = callback_work::operators(callback_load);
        StaffingHour {
            weekday: WEEKDAYS[usize::from(slot.0.min(6))],
            hour: slot.1,
            calls_offered: round2(per_hour),
            handle_seconds: handle.map(round2),
            operators_needed,
            callback_requests: round2(requests),
            callback_load: round2(callback_load),
            callback_operators,
            total_operators: operators_needed.saturating_add(callback_operators),
        }
    }
}

/// The rule for a category the flows no longer name: the flows' own defaults.
fn default_rule() -> CallbackRule {
    CallbackRule {
        within_hours: crate::callbacks::DEFAULT_CALLBACK_WITHIN_HOURS,
        calling_hours: crate::callbacks::pacing::Pacing::default().calling_hours,
    }
}

/// An hour's own handle time when it answered enough calls, else the period's.
fn hour_handle(calls: &[&WaitFact], overall: Option<f64>) -> Option<f64> {
    let answered = calls.iter().filter(|w| w.handle_seconds.is_some()).count();
    match answered >= MIN_ANSWERED {
        true => mean_handle(calls.iter().copied()),
        false => overall,
    }
}

/// The hour of the week as an index, Monday 00:00 = 0.
fn index((day, hour): HourOfWeek) -> usize {
    usize::from(day.min(6)) * 24 + usize::from(hour.min(23))
}

fn slot(index: usize) -> HourOfWeek {
    let index = index % WEEK_HOURS;
    // Both fit a u8: a day is below 7 and an hour below 24.
    ((index / 24) as u8, (index % 24) as u8)
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
    hour_of: &dyn Fn(i64) -> HourOfWeek,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_goal_is_read_as_typed_within_its_bounds() {
        let goal = StaffingGoal::asked(Some(" 92.5 "), Some("30")).unwrap();
        assert_eq!((goal.share, goal.within_seconds), (0.925, 30));
        assert_eq!(goal.percent(), "92.5");
        assert_eq!(
            StaffingGoal::asked(None, Some("")),
            Ok(StaffingGoal::default())
        );
        assert_eq!(StaffingGoal::default().percent(), "80");
        for share in ["0", "0.5", "100", "NaN", "inf", "lots"] {
            let refused = StaffingGoal::asked(Some(share), None).unwrap_err();
            assert!(
                refused.contains("percentage from 1 to 99"),
                "{share}: {refused}"
            );
        }
        for seconds in ["0", "3601", "1.5", "-1"] {
            let refused = StaffingGoal::asked(None, Some(seconds)).unwrap_err();
            assert!(
                refused.contains("whole seconds from 1 to 3600"),
                "{seconds}"
            );
        }
        assert!(StaffingGoal::asked(Some("1"), Some("3600")).is_ok());
        assert!(StaffingGoal::asked(Some("99"), Some("1")).is_ok());
    }
}
