//! The queue as its page shows it: per category the operator works, who waits live and which
//! callback requests wait, in words and times for people.

use jiff::tz::TimeZone;

use super::pages::language_name;
use super::when;
use crate::callbacks::Status;
use crate::catalog::FlowSet;
use crate::desk::QueueSnapshot;
use crate::desk::next_up::{NextKind, NextReason, NextUp};
use crate::desk::snapshot::{CallbackItem, CategoryQueue, LiveItem};

/// The queue as the templates show it.
pub struct QueueView {
    pub as_of: String,
    pub as_of_iso: String,
    /// Who to serve next, at the top of the page.
    pub next: Option<NextView>,
    /// Just back from an action: the next card's link takes the focus.
    pub focus_next: bool,
    /// Callers waiting live, and open requests, in every category shown: the page's title
    /// and its optional sound follow them.
    pub waiting_live: usize,
    pub open_requests: usize,
    pub categories: Vec<CategoryView>,
}

/// The "next to call" card.
pub struct NextView {
    /// Who, in a few words.
    pub what: String,
    /// Why this one first.
    pub why: String,
    /// The request's page, for a callback request.
    pub href: Option<String>,
}

/// One category.
pub struct CategoryView {
    pub id: String,
    pub heading: String,
    /// 1 to 9, higher served first.
    pub priority: u8,
    pub live: Vec<LiveRow>,
    pub callbacks: Vec<CallbackRow>,
    pub oldest_live: Option<String>,
    pub oldest_callback: Option<String>,
    pub overdue: usize,
    pub target: String,
    /// Who is available for this category, in words.
    pub available: String,
    /// Who is due on shift now, in words; `None` when nobody is.
    pub due: Option<String>,
    /// Who of them is not marked available, in words; `None` when nobody is missing.
    pub missing: Option<String>,
}

/// A caller on hold.
pub struct LiveRow {
    pub language: String,
    pub wait: String,
    pub position: String,
}

/// An open callback request.
pub struct CallbackRow {
    pub id: String,
    pub wait: String,
    pub overdue: bool,
    pub language: String,
    pub status: String,
    pub mine: bool,
    pub message: &'static str,
    pub no_message: bool,
    /// `false`: not to be called (another country, premium rate).
    pub dialable: bool,
    /// The caller hung up before finishing the questions.
    pub incomplete: bool,
    /// When it may be called, if not now: calling hours, or the gap after the last attempt.
    pub not_before: Option<String>,
    pub recording: &'static str,
    pub attempts: i64,
}

pub fn shape(snapshot: &QueueSnapshot, flows: &FlowSet, zone: &TimeZone, me: &str) -> QueueView {
    QueueView {
        as_of: when::instant(snapshot.at, zone),
        as_of_iso: when::machine(snapshot.at),
        next: snapshot.next.as_ref().map(next),
        focus_next: false,
        waiting_live: snapshot.categories.iter().map(|c| c.live.len()).sum(),
        open_requests: snapshot.categories.iter().map(|c| c.callbacks.len()).sum(),
        categories: snapshot
            .categories
            .iter()
            .map(|c| category(c, flows, zone, me))
            .collect(),
    }
}

fn category(queue: &CategoryQueue, flows: &FlowSet, zone: &TimeZone, me: &str) -> CategoryView {
    CategoryView {
        id: queue.id.clone(),
        heading: queue.title.clone(),
        priority: queue.priority,
        live: queue.live.iter().map(|c| live(c, flows)).collect(),
        callbacks: queue
            .callbacks
            .iter()
            .map(|r| callback(r, flows, zone, me))
            .collect(),
        oldest_live: queue.oldest_live_seconds().map(when::wait),
        oldest_callback: queue.oldest_callback_seconds().map(when::wait),
        overdue: queue.callbacks.iter().filter(|r| r.overdue).count(),
        target: when::wait(queue.callback_target_seconds),
        available: if queue.available.is_empty() {
            "nobody marked available".to_string()
        } else {
            format!("available: {}", queue.available.join(", "))
        },
        due: (!queue.due.is_empty()).then(|| format!("due on shift: {}", queue.due.join(", "))),
        missing: (!queue.missing.is_empty())
            .then(|| format!("missing: {}", queue.missing.join(", "))),
    }
}

fn next(up: &NextUp) -> NextView {
    let category = &up.category_title;
    let wait = when::wait(up.waited_seconds);
    let priority = up.priority;
    let (what, why) = match (up.kind, up.reason) {
        (NextKind::Live, _) => (
            format!("A caller waiting live: {category}"),
            format!(
                "On hold for {wait}. Callers waiting live come before every callback request: \
                 take them on the operator line."
            ),
        ),
        (_, NextReason::HeldByYou) => (
            format!("Your claimed request: {category}"),
            format!(
                "You hold it; finish it before taking another. Waiting {wait} since the first call."
            ),
        ),
        (_, NextReason::Overdue) => (
            format!("Call back: {category}"),
            format!("Overdue: waiting {wait} since the first call. Priority {priority}."),
        ),
        (_, NextReason::CalledBefore) => (
            format!("Call back: {category}"),
            format!(
                "Attempt {}: nobody answered the last call back. Priority {priority}, waiting \
                 {wait}.",
                up.attempt
            ),
        ),
        (_, _) => (
            format!("Call back: {category}"),
            format!("The highest priority due ({priority}), first in line: waiting {wait}."),
        ),
    };
    NextView {
        what,
        why,
        href: up
            .request_id
            .as_ref()
            .map(|id| format!("/operator/requests/{id}")),
    }
}

fn live(caller: &LiveItem, flows: &FlowSet) -> LiveRow {
    LiveRow {
        language: language_name(flows, &caller.language),
        wait: when::wait(caller.waited_seconds),
        position: caller
            .position
            .map_or_else(|| "not known yet".to_string(), |p| p.to_string()),
    }
}

fn callback(request: &CallbackItem, flows: &FlowSet, zone: &TimeZone, me: &str) -> CallbackRow {
    let mine = request.claimed_by.as_deref() == Some(me);
    let status = match (request.status, &request.claimed_by) {
        (Status::Claimed, _) if mine => "Claimed by you".to_string(),
        (Status::Claimed, Some(who)) => format!("Claimed by {who}"),
        (Status::Claimed, None) => "Claimed".to_string(),
        _ => "Waiting".to_string(),
    };
    let (message, no_message) = match request.safe_to_leave_message {
        Some(true) => ("Yes", false),
        Some(false) => ("NO", true),
        None => ("Not asked", false),
    };
    CallbackRow {
        id: request.id.clone(),
        wait: when::wait(request.waited_seconds),
        overdue: request.overdue,
        language: language_name(flows, &request.language),
        status,
        mine,
        message,
        no_message,
        dialable: request.dialable,
        incomplete: request.incomplete,
        not_before: request.not_before.map(|at| when::instant(at, zone)),
        recording: if request.has_recording { "Yes" } else { "No" },
        attempts: request.no_answer_attempts,
    }
}
