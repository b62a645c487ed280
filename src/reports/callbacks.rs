//! How calls back go, per category: how many were made and how they ended, how many of the
//! requests called were reached, and how long callers waited from their first call until
//! someone reached them. Pure: the store supplies the attempts of the period.

use std::collections::{BTreeMap, BTreeSet};

use super::{WaitStats, stats};

/// One call back recorded, with the request it was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptFact {
    pub category: String,
    pub request_id: String,
    /// When the caller first called.
    pub waiting_since: i64,
    /// The stored outcome (`reached`, `no_answer`, `left_message`, `resolved`, …).
    pub outcome: String,
    pub at: i64,
}

/// Calls back of one category in the period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CallbackOutcomes {
    pub category: String,
    pub category_title: String,
    pub attempts: u64,
    /// Attempts that spoke to the caller: reached, resolved, referred.
    pub reached: u64,
    pub left_message: u64,
    pub no_answer: u64,
    pub wrong_number: u64,
    /// Requests called back at least once, and of those, reached at least once.
    pub requests_called: u64,
    pub requests_reached: u64,
    /// `requests_reached / requests_called` in percent, rounded down; `None` with no call.
    pub reach_rate_percent: Option<u64>,
    /// From the caller's first call to the first time they were reached.
    pub time_to_reached: WaitStats,
}

/// Outcomes that mean someone spoke to the caller.
const REACHED: [&str; 3] = ["reached", "resolved", "referred"];

/// Per category, in category order.
pub fn callback_outcomes(attempts: &[AttemptFact]) -> Vec<CallbackOutcomes> {
    let mut by_category: BTreeMap<&str, Vec<&AttemptFact>> = BTreeMap::new();
    for attempt in attempts {
        by_category
            .entry(&attempt.category)
            .or_default()
            .push(attempt);
    }
    by_category
        .into_iter()
        .map(|(category, attempts)| one_category(category, &attempts))
        .collect()
}

fn one_category(category: &str, attempts: &[&AttemptFact]) -> CallbackOutcomes {
    let count = |outcomes: &[&str]| {
        attempts
            .iter()
            .filter(|a| outcomes.contains(&a.outcome.as_str()))
            .count() as u64
    };
    let called: BTreeSet<&str> = attempts.iter().map(|a| a.request_id.as_str()).collect();
    let mut first_reached: BTreeMap<&str, i64> = BTreeMap::new();
    for a in attempts
        .iter()
        .filter(|a| REACHED.contains(&a.outcome.as_str()))
    {
        let wait = (a.at - a.waiting_since).max(0) / 1000;
        let entry = first_reached.entry(&a.request_id).or_insert(wait);
        *entry = (*entry).min(wait);
    }
    let (called_n, reached_n) = (called.len() as u64, first_reached.len() as u64);
    let waits = first_reached.into_values().collect();
    CallbackOutcomes {
        category: category.to_string(),
        category_title: String::new(),
        attempts: attempts.len() as u64,
        reached: count(&REACHED),
        left_message: count(&["left_message"]),
        no_answer: count(&["no_answer"]),
        wrong_number: count(&["wrong_number"]),
        requests_called: called_n,
        requests_reached: reached_n,
        reach_rate_percent: (called_n > 0).then(|| reached_n * 100 / called_n),
        time_to_reached: stats(category, waits, called_n - reached_n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(request: &str, outcome: &str, minutes_after_first_call: i64) -> AttemptFact {
        AttemptFact {
            category: "general".into(),
            request_id: request.into(),
            waiting_since: 0,
            outcome: outcome.into(),
            at: minutes_after_first_call * 60_000,
        }
    }

    #[test]
    fn a_request_reached_on_its_second_attempt_counts_once_with_its_first_reach() {
        let attempts = [
            attempt("a", "no_answer", 30),
            attempt("a", "resolved", 90),
            attempt("b", "no_answer", 10),
            attempt("b", "left_message", 80),
            attempt("c", "reached", 20),
        ];
        let report = &callback_outcomes(&attempts)[0];
        assert_eq!(report.attempts, 5);
        assert_eq!(
            (report.reached, report.left_message, report.no_answer),
            (2, 1, 2)
        );
        assert_eq!((report.requests_called, report.requests_reached), (3, 2));
        assert_eq!(report.reach_rate_percent, Some(66));
        assert_eq!(report.time_to_reached.count, 2);
        assert_eq!(report.time_to_reached.missed, 1, "b was never reached");
        assert_eq!(report.time_to_reached.max_seconds, Some(90 * 60));
    }

    #[test]
    fn no_attempts_make_no_rows() {
        assert!(callback_outcomes(&[]).is_empty());
    }
}
