//! Who an operator on the phone line should talk to next: among the live callers of the
//! categories they work, the highest category priority first, then the longest wait.

use crate::catalog::FlowSet;
use crate::operator_line::NextCaller;
use crate::operators::Operator;
use crate::store::LiveCaller;

/// The caller to connect, if anyone waits. `now` and the callers' times are ms since the epoch.
pub fn next_caller(
    flows: &FlowSet,
    operator: &Operator,
    live: &[LiveCaller],
    now: i64,
) -> Option<(NextCaller, String)> {
    let priority = |caller: &LiveCaller| {
        flows
            .get(&caller.hotline)
            .and_then(|f| f.categories.get(&caller.category))
            .map_or(1, |c| c.priority)
    };
    let chosen = live
        .iter()
        .filter(|c| operator.works(&c.category))
        // Highest priority, then the earliest arrival: max_by_key keeps the last maximum, so
        // reverse the arrival order.
        .max_by_key(|c| {
            (
                priority(c),
                std::cmp::Reverse((c.entered_at, c.call_sid.clone())),
            )
        })?;
    let label = flows
        .get(&chosen.hotline)
        .and_then(|f| {
            let category = f.categories.get(&chosen.category)?;
            category
                .label
                .text(&f.default_language().id)
                .map(str::to_string)
        })
        .unwrap_or_else(|| chosen.category.clone());
    let wait_seconds = u32::try_from((now - chosen.entered_at).max(0) / 1000).unwrap_or(u32::MAX);
    let next = NextCaller {
        category_label: label,
        queue: chosen.queue.clone(),
        wait_seconds,
    };
    Some((next, chosen.call_sid.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::Role;

    fn flows() -> FlowSet {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/call_flows");
        crate::catalog::files::load_dir(std::path::Path::new(path)).expect("the shipped flows load")
    }

    fn caller(sid: &str, category: &str, entered_at: i64) -> LiveCaller {
        LiveCaller {
            call_sid: sid.into(),
            hotline: "victim_hotline".into(),
            category: category.into(),
            queue: category.into(),
            language: "en".into(),
            entered_at,
            position: Some(1),
        }
    }

    #[test]
    fn the_most_urgent_category_goes_first_then_the_longest_wait() {
        let flows = flows();
        let live = [
            caller("RECORDS-OLD", "records_request", 0),
            caller("VA-NEW", "victim_assistance", 50_000),
            caller("VA-OLD", "victim_assistance", 10_000),
        ];
        let everyone = Operator::named("ana", Role::Supervisor, &[]);
        let (next, sid) = next_caller(&flows, &everyone, &live, 130_000).expect("someone waits");
        assert_eq!(
            sid, "VA-OLD",
            "priority 7 beats 3; the earlier of the two goes first"
        );
        assert_eq!(next.queue, "victim_assistance");
        assert_eq!(next.wait_seconds, 120);
        assert_eq!(next.category_label, "a victim assistance specialist");
        let records_only = Operator::named("ana", Role::Operator, &["records_request"]);
        let (_, sid) = next_caller(&flows, &records_only, &live, 130_000).expect("someone");
        assert_eq!(sid, "RECORDS-OLD");
        let nobody = Operator::named("ana", Role::Operator, &["general"]);
        assert!(next_caller(&flows, &nobody, &live, 130_000).is_none());
    }
}
