//! The queue as its page shows it: per category the operator works, who waits live and which
//! callback requests wait, in words and times for people.

use jiff::tz::TimeZone;

use super::pages::{heading, language_name};
use super::when;
use crate::callbacks::Status;
use crate::catalog::FlowSet;
use crate::desk::QueueSnapshot;
use crate::desk::snapshot::{CallbackItem, CategoryQueue, LiveItem};

/// The queue as the templates show it.
pub struct QueueView {
    pub as_of: String,
    pub as_of_iso: String,
    pub categories: Vec<CategoryView>,
}

/// One category.
pub struct CategoryView {
    pub id: String,
    pub heading: String,
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
        heading: heading(&queue.label),
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
