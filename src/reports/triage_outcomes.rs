//! What callers found at the category a triage node sent them to: its queue, or its callback
//! path and why (after hours, a closure, the closed-now switch, or open with nobody available),
//! counted per category from the steps the engine recorded.

use std::collections::BTreeMap;

use super::{Facts, Routes, UNTRIAGED};
use crate::triage::closed::Closed;

/// The step outcome of a caller put in a queue by a triage node.
const QUEUED: &str = "queued in ";

/// One category's triage outcomes in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TriageOutcomes {
    pub category: String,
    pub category_title: String,
    /// Put in the category's queue.
    pub queued: u64,
    /// Sent to the callback path outside the weekly hours.
    pub after_hours: u64,
    /// Sent there on a dated closure.
    pub closure: u64,
    /// Sent there while the schedule's `closed_now` switch was on.
    pub closed_now: u64,
    /// Sent there in opening hours because nobody was available for a category that opens
    /// only while staffed.
    pub unstaffed: u64,
}

/// Per category, by id, what its triage nodes did with callers. A step is counted for the
/// category its node sends callers to in the current flows, else for the call's category (a
/// node renamed or removed since).
pub(super) fn triage_outcomes(facts: &Facts, routes: &Routes) -> Vec<TriageOutcomes> {
    let calls: BTreeMap<&str, (&str, Option<&str>)> = facts
        .calls
        .iter()
        .map(|c| {
            let call = (c.hotline.as_str(), c.category.as_deref());
            (c.call_sid.as_str(), call)
        })
        .collect();
    let mut rows: BTreeMap<String, TriageOutcomes> = BTreeMap::new();
    for step in &facts.steps {
        let closed = Closed::of_outcome(&step.outcome);
        if closed.is_none() && !step.outcome.starts_with(QUEUED) {
            continue;
        }
        let (hotline, category) = calls
            .get(step.call_sid.as_str())
            .copied()
            .unwrap_or(("", None));
        let category = routes
            .triage_nodes
            .get(&(hotline.to_string(), step.node.clone()))
            .map(String::as_str)
            .or(category)
            .unwrap_or(UNTRIAGED);
        let row = rows
            .entry(category.to_string())
            .or_insert_with(|| TriageOutcomes {
                category: category.to_string(),
                ..TriageOutcomes::default()
            });
        let count = match closed {
            None => &mut row.queued,
            Some(Closed::AfterHours) => &mut row.after_hours,
            Some(Closed::Closure(_)) => &mut row.closure,
            Some(Closed::ClosedNow) => &mut row.closed_now,
            Some(Closed::Unstaffed) => &mut row.unstaffed,
        };
        *count += 1;
    }
    rows.into_values().collect()
}
