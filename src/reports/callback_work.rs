//! The operators calling back takes, per hour of the week. The model, kept simple on purpose:
//!
//! - A request takes `handle` seconds of an operator's time: the calls back the line placed for
//!   it in the period, from the dial to the end of the call, added up (so a second attempt
//!   counts), on average over the requests called; with fewer than [`MIN_TIMED`] such requests
//!   (calls back recorded by hand have no duration), [`DEFAULT_CALLBACK_SECONDS`].
//! - The requests arriving in an hour of the week (on average over the period) bring
//!   `requests × handle` of work, spread evenly over the calling hours within their category's
//!   target (`callback_within_hours`, at most a week) from that hour on, so that each is worked
//!   just in time. When the target holds no calling hour (a two-hour target in the evening),
//!   the work falls in the first calling hour after it.
//! - An hour's load, in operators busy all hour, is what every arrival spread into it; the
//!   operators it needs is that load rounded up. Calls back wait, so no queueing goal applies.
//!
//! Left out: the part of the day a caller asked for, the gap between attempts, and attempts
//! after the period; the calling hours are read in the report's time zone.

use std::collections::BTreeMap;

use crate::triage::schedule::Shift;

/// Hours in a week; an hour of the week is `day × 24 + hour`, Monday 00:00 first.
pub const WEEK_HOURS: usize = 168;
/// The operator time a request is assumed to take when too few were timed: a few minutes of
/// ringing and a conversation of about the length of a live call.
pub const DEFAULT_CALLBACK_SECONDS: f64 = 600.0;
/// Requests a period needs with timed calls back before their average is trusted.
pub const MIN_TIMED: usize = 5;

/// What one category's requests ask of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackRule {
    /// How soon a request should be called back, in hours.
    pub within_hours: u32,
    /// When callers may be rung, each day.
    pub calling_hours: Shift,
}

/// One call back the line placed, ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialFact {
    pub request_id: String,
    /// From the dial to the end of the call.
    pub seconds: i64,
}

/// The operator time one request takes to call back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallbackHandle {
    /// Seconds per request.
    pub seconds: f64,
    /// The requests whose calls back were timed in the period.
    pub timed: u64,
    /// Whether `seconds` was measured (else it is [`DEFAULT_CALLBACK_SECONDS`]).
    pub measured: bool,
}

/// The time per request from the period's dials.
pub fn handle(dials: &[DialFact]) -> CallbackHandle {
    let mut per_request: BTreeMap<&str, i64> = BTreeMap::new();
    for dial in dials.iter().filter(|d| d.seconds >= 0) {
        *per_request.entry(&dial.request_id).or_default() += dial.seconds;
    }
    let timed = per_request.len();
    let measured = timed >= MIN_TIMED;
    let seconds = match measured {
        true => per_request.values().sum::<i64>() as f64 / timed as f64,
        false => DEFAULT_CALLBACK_SECONDS,
    };
    CallbackHandle {
        seconds,
        timed: timed as u64,
        measured,
    }
}

/// Operators busy calling back in each hour of the week, from `arrivals`: per category and
/// hour of the week, the requests arriving then on average. A category without a rule gets
/// `fallback`'s.
pub fn load(
    arrivals: &BTreeMap<(String, usize), f64>,
    rules: &BTreeMap<String, CallbackRule>,
    fallback: CallbackRule,
    seconds_each: f64,
) -> [f64; WEEK_HOURS] {
    let mut load = [0.0; WEEK_HOURS];
    for ((category, hour), requests) in arrivals {
        let rule = rules.get(category).copied().unwrap_or(fallback);
        let busy_hours = requests * seconds_each / 3600.0;
        for (slot, share) in spread(&rule, *hour) {
            load[slot] += busy_hours * share;
        }
    }
    load
}

/// The operators a load needs: whole people, rounded up (a hair over a whole number is
/// rounding, not work).
pub fn operators(load: f64) -> u32 {
    let needed = (load - 1e-9).ceil().max(0.0);
    // A week's requests at any plausible rate stay far below u32::MAX.
    needed as u32
}

/// How the work of a request arriving in hour `from` of the week is shared out: the hours of
/// the week and the share each takes, adding up to 1.
fn spread(rule: &CallbackRule, from: usize) -> Vec<(usize, f64)> {
    let window = usize::try_from(rule.within_hours)
        .unwrap_or(WEEK_HOURS)
        .clamp(1, WEEK_HOURS);
    let callable: Vec<(usize, f64)> = (from..from + window)
        .map(|h| (h % WEEK_HOURS, callable_share(&rule.calling_hours, h % 24)))
        .filter(|(_, share)| *share > 0.0)
        .collect();
    let total: f64 = callable.iter().map(|(_, share)| share).sum();
    if total > 0.0 {
        return callable.into_iter().map(|(h, s)| (h, s / total)).collect();
    }
    let after = from + window;
    (after..after + WEEK_HOURS)
        .find(|h| callable_share(&rule.calling_hours, h % 24) > 0.0)
        .map(|h| vec![(h % WEEK_HOURS, 1.0)])
        .unwrap_or_default()
}

/// The part of the hour of the day `hour` (0 to 23) in which callers may be rung.
fn callable_share(calling_hours: &Shift, hour: usize) -> f64 {
    let start = hour * 60;
    let minutes = (start..start + 60)
        .filter(|m| u16::try_from(*m).is_ok_and(|m| calling_hours.contains(m)))
        .count();
    minutes as f64 / 60.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(within_hours: u32, calling_hours: &str) -> CallbackRule {
        CallbackRule {
            within_hours,
            calling_hours: Shift::parse(calling_hours).expect("a shift"),
        }
    }

    fn dial(request: &str, seconds: i64) -> DialFact {
        DialFact {
            request_id: request.into(),
            seconds,
        }
    }

    #[test]
    fn a_requests_calls_back_add_up_and_too_few_fall_back_to_the_default() {
        // Five requests: one reached on its second try (120 s + 780 s), four at once (900 s).
        let mut dials = vec![dial("a", 120), dial("a", 780)];
        dials.extend(["b", "c", "d", "e"].map(|r| dial(r, 900)));
        let measured = handle(&dials);
        assert_eq!((measured.seconds, measured.timed), (900.0, 5));
        assert!(measured.measured);
        let few = handle(&dials[..5]);
        assert_eq!((few.seconds, few.timed), (DEFAULT_CALLBACK_SECONDS, 4));
        assert!(!few.measured);
    }

    /// The hand-checked case. Calling hours 09:00-20:00, 900 s per request.
    /// - `general` (target 4 h): 30 requests on Monday 18:00 bring 30 × 900 s = 7.5 busy
    ///   hours; of 18:00-22:00 only 18:00 and 19:00 may ring, so 3.75 in each.
    ///   3 requests at 22:00 find no calling hour by 02:00: 2 700 s = 0.75 at Tuesday 09:00.
    /// - `records` (target 24 h): 11 requests on Monday 10:00 bring 9 900 s = 2.75 busy hours
    ///   over the 11 calling hours until Tuesday 10:00 (Monday 10-19, Tuesday 09): 0.25 each.
    /// - So Monday 18:00 and 19:00 carry 4.0 (4 operators, not 5), Monday 10:00 0.25 (1),
    ///   Tuesday 09:00 1.0 (1), and Monday 20:00 to Tuesday 08:00 nothing.
    #[test]
    fn work_spreads_over_the_calling_hours_within_each_target() {
        let rules = BTreeMap::from([
            ("general".to_string(), rule(4, "09:00-20:00")),
            ("records".to_string(), rule(24, "09:00-20:00")),
        ]);
        let arrivals = BTreeMap::from([
            (("general".to_string(), 18), 30.0),
            (("general".to_string(), 22), 3.0),
            (("records".to_string(), 10), 11.0),
        ]);
        let fallback = rule(24, "09:00-20:00");
        let load = load(&arrivals, &rules, fallback, 900.0);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(load[18], 4.0) && close(load[19], 4.0), "{load:?}");
        assert!(close(load[10], 0.25) && close(load[17], 0.25), "{load:?}");
        assert!(close(load[24 + 9], 1.0), "Tuesday 09:00: {load:?}");
        assert!((20..24 + 9).all(|h| load[h] == 0.0), "{load:?}");
        assert!(close(load.iter().sum::<f64>(), 7.5 + 0.75 + 2.75));
        let needed: Vec<u32> = [10, 18, 19, 24 + 9].map(|h| operators(load[h])).to_vec();
        assert_eq!(needed, [1, 4, 4, 1]);
    }

    #[test]
    fn part_hours_count_in_part_and_the_week_wraps_around() {
        // Calling from 09:30: the 09:00 hour takes half the share of a full hour.
        let half = spread(&rule(2, "09:30-20:00"), 9);
        assert_eq!(half, [(9, 1.0 / 3.0), (10, 2.0 / 3.0)]);
        // Sunday 23:00 with a 12-hour target is worked on Monday morning.
        let sunday = spread(&rule(12, "09:00-20:00"), WEEK_HOURS - 1);
        assert_eq!(sunday, [(9, 0.5), (10, 0.5)]);
        assert_eq!(operators(0.0), 0);
        assert_eq!(operators(2.000_000_000_1), 2);
        assert_eq!(operators(2.01), 3);
    }
}
