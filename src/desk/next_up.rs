//! The one caller an operator should serve next, across every category they work, and why:
//! a caller waiting live before anyone, then a request the operator already holds, then the
//! due requests in the order the line offers them (category priority, then who called first).
//! Pure: it reads a [`QueueSnapshot`] already taken.

use super::snapshot::{CallbackItem, CategoryQueue, QueueSnapshot};
use crate::callbacks::Status;

/// Who to serve next.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NextUp {
    /// A live caller (taken on the operator line) or a callback request.
    pub kind: NextKind,
    /// The category's id.
    pub category: String,
    /// Its label, as callers hear it.
    pub category_label: String,
    /// Its name for staff.
    pub category_title: String,
    /// Its priority, 1 to 9.
    pub priority: u8,
    /// The request, for a callback.
    pub request_id: Option<String>,
    /// Seconds since the caller first called (or entered the queue, live).
    pub waited_seconds: i64,
    /// Past the category's callback target.
    pub overdue: bool,
    /// The call back this would be: 1 for the first.
    pub attempt: i64,
    /// The main reason it comes first.
    pub reason: NextReason,
}

/// Live caller or callback request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NextKind {
    Live,
    Callback,
}

/// Why this one comes before the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NextReason {
    /// Someone is on hold now: live callers come before every request.
    WaitingLive,
    /// The operator holds the request already: finish it first.
    HeldByYou,
    /// Past the category's target.
    Overdue,
    /// Nobody answered an earlier call back.
    CalledBefore,
    /// The highest priority due, and the first to call in it.
    FirstInLine,
}

/// Who `me` (an operator's name) should serve next in `snapshot`, if anyone can be served now.
pub fn next_up(snapshot: &QueueSnapshot, me: &str) -> Option<NextUp> {
    longest_live(snapshot)
        .or_else(|| held_by(snapshot, me))
        .or_else(|| first_due(snapshot))
}

/// The live caller of the highest priority, then the longest wait.
fn longest_live(snapshot: &QueueSnapshot) -> Option<NextUp> {
    let (queue, waited) = snapshot
        .categories
        .iter()
        .filter_map(|q| Some((q, q.oldest_live_seconds()?)))
        .max_by_key(|(q, waited)| (q.priority, *waited))?;
    Some(NextUp {
        kind: NextKind::Live,
        category: queue.id.clone(),
        category_label: queue.label.clone(),
        category_title: queue.title.clone(),
        priority: queue.priority,
        request_id: None,
        waited_seconds: waited,
        overdue: false,
        attempt: 1,
        reason: NextReason::WaitingLive,
    })
}

/// The longest-waiting request `me` holds.
fn held_by(snapshot: &QueueSnapshot, me: &str) -> Option<NextUp> {
    let mine =
        |r: &&CallbackItem| r.status == Status::Claimed && r.claimed_by.as_deref() == Some(me);
    let (queue, request) = snapshot
        .categories
        .iter()
        .flat_map(|q| q.callbacks.iter().filter(mine).map(move |r| (q, r)))
        .max_by_key(|(_, r)| r.waited_seconds)?;
    Some(callback(queue, request, NextReason::HeldByYou))
}

/// The first due request of the highest priority; between categories of one priority, the
/// longer wait. Each category's requests are already in the order to work them.
fn first_due(snapshot: &QueueSnapshot) -> Option<NextUp> {
    let due =
        |r: &&CallbackItem| r.status == Status::Pending && r.dialable && r.not_before.is_none();
    let (queue, request) = snapshot
        .categories
        .iter()
        .filter_map(|q| Some((q, q.callbacks.iter().find(due)?)))
        .max_by_key(|(q, r)| (q.priority, r.waited_seconds))?;
    let reason = if request.overdue {
        NextReason::Overdue
    } else if request.no_answer_attempts > 0 {
        NextReason::CalledBefore
    } else {
        NextReason::FirstInLine
    };
    Some(callback(queue, request, reason))
}

fn callback(queue: &CategoryQueue, request: &CallbackItem, reason: NextReason) -> NextUp {
    NextUp {
        kind: NextKind::Callback,
        category: queue.id.clone(),
        category_label: queue.label.clone(),
        category_title: queue.title.clone(),
        priority: queue.priority,
        request_id: Some(request.id.clone()),
        waited_seconds: request.waited_seconds,
        overdue: request.overdue,
        attempt: request.no_answer_attempts + 1,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::snapshot::LiveItem;

    fn queue(id: &str, priority: u8) -> CategoryQueue {
        CategoryQueue {
            id: id.into(),
            label: id.into(),
            title: id.into(),
            priority,
            callback_target_seconds: 24 * 3600,
            live: Vec::new(),
            callbacks: Vec::new(),
            available: Vec::new(),
            due: Vec::new(),
            missing: Vec::new(),
        }
    }

    fn request(id: &str, waited_seconds: i64) -> CallbackItem {
        CallbackItem {
            id: id.into(),
            language: "en".into(),
            waited_seconds,
            overdue: false,
            status: Status::Pending,
            claimed_by: None,
            safe_to_leave_message: Some(true),
            dialable: true,
            incomplete: false,
            has_recording: false,
            no_answer_attempts: 0,
            not_before: None,
        }
    }

    fn live(waited_seconds: i64) -> LiveItem {
        LiveItem {
            call_sid: format!("CA{waited_seconds}"),
            language: "en".into(),
            waited_seconds,
            position: Some(1),
        }
    }

    fn snapshot(categories: Vec<CategoryQueue>) -> QueueSnapshot {
        QueueSnapshot {
            at: 0,
            categories,
            next: None,
        }
    }

    #[test]
    fn a_live_caller_comes_before_every_request() {
        let mut records = queue("records_request", 3);
        records.live.push(live(30));
        let mut victims = queue("victim_assistance", 7);
        victims.callbacks.push(request("R1", 90_000));
        let next = next_up(&snapshot(vec![victims, records]), "ana").expect("someone");
        assert_eq!(next.kind, NextKind::Live);
        assert_eq!(next.category, "records_request");
        assert_eq!(next.reason, NextReason::WaitingLive);
    }

    #[test]
    fn a_request_the_operator_holds_comes_before_new_ones() {
        let mut victims = queue("victim_assistance", 7);
        victims.callbacks.push(request("FIRST", 900));
        let mut held = request("HELD", 60);
        held.status = Status::Claimed;
        held.claimed_by = Some("ana".into());
        victims.callbacks.push(held.clone());
        let next = next_up(&snapshot(vec![victims.clone()]), "ana").expect("someone");
        assert_eq!(next.request_id.as_deref(), Some("HELD"));
        assert_eq!(next.reason, NextReason::HeldByYou);
        let other = next_up(&snapshot(vec![victims]), "sam").expect("someone");
        assert_eq!(
            other.request_id.as_deref(),
            Some("FIRST"),
            "not sam's to finish"
        );
    }

    #[test]
    fn priority_then_the_first_due_request_and_the_reason_for_it() {
        let mut general = queue("general", 6);
        let mut overdue = request("OVERDUE", 100_000);
        overdue.overdue = true;
        general.callbacks.push(overdue);
        let mut victims = queue("victim_assistance", 7);
        let mut night = request("NOT-YET", 5_000);
        night.not_before = Some(1);
        let mut foreign = request("FOREIGN", 4_000);
        foreign.dialable = false;
        let mut again = request("AGAIN", 3_000);
        again.no_answer_attempts = 1;
        victims
            .callbacks
            .extend([night, foreign, again, request("NEW", 10)]);
        let next = next_up(&snapshot(vec![victims, general]), "ana").expect("someone");
        assert_eq!(next.request_id.as_deref(), Some("AGAIN"));
        assert_eq!(next.priority, 7, "priority 7 before an overdue 6");
        assert_eq!(next.attempt, 2);
        assert_eq!(next.reason, NextReason::CalledBefore);
    }

    #[test]
    fn between_equal_priorities_the_longer_wait_goes_first() {
        let mut records = queue("records_request", 3);
        records.callbacks.push(request("SHORT", 100));
        let mut community = queue("community_relations", 3);
        let mut long = request("LONG", 200_000);
        long.overdue = true;
        community.callbacks.push(long);
        let next = next_up(&snapshot(vec![records, community]), "ana").expect("someone");
        assert_eq!(next.request_id.as_deref(), Some("LONG"));
        assert_eq!(next.reason, NextReason::Overdue);
    }

    #[test]
    fn nobody_to_serve_when_nothing_is_due() {
        let mut victims = queue("victim_assistance", 7);
        let mut taken = request("TAKEN", 100);
        taken.status = Status::Claimed;
        taken.claimed_by = Some("sam".into());
        victims.callbacks.push(taken);
        assert_eq!(
            next_up(&snapshot(vec![victims, queue("general", 6)]), "ana"),
            None
        );
    }
}
