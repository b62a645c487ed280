//! The supervisors' wallboard: per category, how many callers wait live and the longest of
//! their waits, the callback requests due now and those overdue, and the operators available
//! and on the operator line. Counts only, never a caller's data, so looking at it is not
//! audited.
//!
//! A request is *due* when it is pending (nobody holds it) and may be called now by its
//! hotline's pacing (calling hours, the part of the day the caller chose, the gap after the
//! last attempt). It is *overdue* when the caller first called longer ago than the category's
//! `callback_within_hours`, whether or not it is due or held: the requests the queue marks
//! "Overdue".

use super::snapshot::CategoryQueue;
use super::{Desk, DeskError, QueueSnapshot};
use crate::callbacks::Status;
use crate::operators::Operator;

/// The board at one moment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Wallboard {
    /// When it was taken (ms since the epoch).
    pub at: i64,
    /// Every category, highest priority first.
    pub categories: Vec<CategoryBoard>,
    /// All categories together; an operator who works several counts once.
    pub totals: Totals,
}

/// One category's figures.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CategoryBoard {
    pub id: String,
    /// Its label, in the hotline's first language, as callers hear it.
    pub label: String,
    /// Its name for staff.
    pub title: String,
    pub priority: u8,
    /// Callers waiting live now.
    pub waiting: usize,
    /// The longest live wait now, in seconds.
    pub longest_wait_seconds: Option<i64>,
    /// Open callback requests (pending or claimed).
    pub open_requests: usize,
    /// Pending requests the pacing lets be called now.
    pub due_now: usize,
    /// Open requests past the category's callback target.
    pub overdue: usize,
    /// The callback target, in seconds.
    pub callback_target_seconds: i64,
    /// Operators available now who work the category.
    pub available: usize,
    /// Of those, the ones marked by the operator line (calling in).
    pub on_the_line: usize,
    /// Operators of the category due on shift now, by name.
    pub due_on_shift: Vec<String>,
    /// Of those, the ones not available: expected at work, not there.
    pub missing: Vec<String>,
}

/// The whole line's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub waiting: usize,
    pub longest_wait_seconds: Option<i64>,
    pub open_requests: usize,
    pub due_now: usize,
    pub overdue: usize,
    pub available: usize,
    pub on_the_line: usize,
}

/// An operator available now and whether the mark came from the operator line.
pub struct Availability<'a> {
    pub operator: &'a Operator,
    pub on_the_line: bool,
}

impl Desk {
    /// The wallboard now; supervisors only.
    pub async fn wallboard(&self, operator: &Operator) -> Result<Wallboard, DeskError> {
        if !operator.is_supervisor() {
            return Err(DeskError::Forbidden("the wallboard is for supervisors"));
        }
        let snapshot = self.snapshot(operator).await?;
        let marks = self.store.available(self.now()).await?;
        let available: Vec<Availability<'_>> = marks
            .iter()
            .map(|(operator, _, via)| Availability {
                operator,
                on_the_line: via == "line",
            })
            .collect();
        Ok(board(&snapshot, &available))
    }
}

/// The board from a supervisor's snapshot (every category) and who is available.
pub fn board(snapshot: &QueueSnapshot, available: &[Availability<'_>]) -> Wallboard {
    let categories: Vec<CategoryBoard> = snapshot
        .categories
        .iter()
        .map(|queue| category(queue, available))
        .collect();
    let sum = |figure: fn(&CategoryBoard) -> usize| categories.iter().map(figure).sum();
    let totals = Totals {
        waiting: sum(|c| c.waiting),
        longest_wait_seconds: categories
            .iter()
            .filter_map(|c| c.longest_wait_seconds)
            .max(),
        open_requests: sum(|c| c.open_requests),
        due_now: sum(|c| c.due_now),
        overdue: sum(|c| c.overdue),
        available: available.len(),
        on_the_line: available.iter().filter(|a| a.on_the_line).count(),
    };
    Wallboard {
        at: snapshot.at,
        categories,
        totals,
    }
}

fn category(queue: &CategoryQueue, available: &[Availability<'_>]) -> CategoryBoard {
    let working: Vec<&Availability<'_>> = available
        .iter()
        .filter(|a| a.operator.works(&queue.id))
        .collect();
    let requests = &queue.callbacks;
    CategoryBoard {
        id: queue.id.clone(),
        label: queue.label.clone(),
        title: queue.title.clone(),
        priority: queue.priority,
        waiting: queue.live.len(),
        longest_wait_seconds: queue.oldest_live_seconds(),
        open_requests: requests.len(),
        due_now: requests
            .iter()
            .filter(|r| r.status == Status::Pending && r.not_before.is_none())
            .count(),
        overdue: requests.iter().filter(|r| r.overdue).count(),
        callback_target_seconds: queue.callback_target_seconds,
        available: working.len(),
        on_the_line: working.iter().filter(|a| a.on_the_line).count(),
        due_on_shift: queue.due.clone(),
        missing: queue.missing.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::snapshot::{CallbackItem, LiveItem};
    use crate::operators::Role;

    fn request(status: Status, overdue: bool, not_before: Option<i64>) -> CallbackItem {
        CallbackItem {
            id: "r".into(),
            language: "en".into(),
            waited_seconds: 60,
            overdue,
            status,
            claimed_by: None,
            safe_to_leave_message: None,
            dialable: true,
            incomplete: false,
            has_recording: false,
            no_answer_attempts: 0,
            not_before,
        }
    }

    fn live(waited_seconds: i64) -> LiveItem {
        LiveItem {
            call_sid: "CA1".into(),
            language: "en".into(),
            waited_seconds,
            position: None,
        }
    }

    fn queue(id: &str, live: Vec<LiveItem>, callbacks: Vec<CallbackItem>) -> CategoryQueue {
        CategoryQueue {
            id: id.into(),
            label: id.into(),
            title: id.into(),
            priority: 5,
            callback_target_seconds: 3600,
            live,
            callbacks,
            available: Vec::new(),
            due: Vec::new(),
            missing: Vec::new(),
        }
    }

    #[test]
    fn due_is_pending_and_callable_now_and_overdue_is_past_the_target_whoever_holds_it() {
        let snapshot = QueueSnapshot {
            at: 0,
            next: None,
            categories: vec![
                queue(
                    "general",
                    vec![live(30), live(400)],
                    vec![
                        request(Status::Pending, false, None),
                        request(Status::Pending, true, Some(99)),
                        request(Status::Claimed, true, None),
                    ],
                ),
                queue("records", Vec::new(), Vec::new()),
            ],
        };
        let (ana, sam) = (
            Operator::named("ana", Role::Operator, &["general"]),
            Operator::named("sam", Role::Supervisor, &[]),
        );
        let available = [
            Availability {
                operator: &ana,
                on_the_line: true,
            },
            Availability {
                operator: &sam,
                on_the_line: false,
            },
        ];
        let board = board(&snapshot, &available);
        let general = &board.categories[0];
        assert_eq!(
            (general.waiting, general.longest_wait_seconds),
            (2, Some(400))
        );
        assert_eq!(
            (general.open_requests, general.due_now, general.overdue),
            (3, 1, 2)
        );
        assert_eq!((general.available, general.on_the_line), (2, 1));
        let records = &board.categories[1];
        assert_eq!((records.available, records.on_the_line), (1, 0));
        assert_eq!(records.longest_wait_seconds, None);
        assert_eq!(
            (
                board.totals.waiting,
                board.totals.overdue,
                board.totals.available
            ),
            (2, 2, 2),
            "ana and sam count once each"
        );
        assert_eq!(board.totals.on_the_line, 1);
    }
}
