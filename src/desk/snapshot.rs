//! The queue as an operator sees it: per category, who waits live and which callback requests
//! wait, with how long. Pure shaping of stored records; no phone numbers.

use std::collections::BTreeMap;

use super::next_up::{NextUp, next_up};
use crate::callbacks::Status;
use crate::callbacks::pacing::Due;
use crate::catalog::FlowSet;
use crate::operators::Operator;
use crate::store::{CallbackRequest, LiveCaller};

/// The callback target of a category no loaded flow defines (its flow changed while its
/// requests waited): the flow format's default.
const DEFAULT_CALLBACK_TARGET_HOURS: i64 = 24;

/// Every category the operator works, most urgent first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueueSnapshot {
    /// When it was taken (ms since the epoch).
    pub at: i64,
    /// One entry per category.
    pub categories: Vec<CategoryQueue>,
    /// Who to serve next across them, and why.
    pub next: Option<NextUp>,
}

/// One category's callers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CategoryQueue {
    /// The category id.
    pub id: String,
    /// Its label, in the hotline's first language, as callers hear it.
    pub label: String,
    /// Its name for staff.
    pub title: String,
    /// 1 to 9, higher first.
    pub priority: u8,
    /// Callback requests older than this are overdue.
    pub callback_target_seconds: i64,
    /// Callers waiting live, longest wait first.
    pub live: Vec<LiveItem>,
    /// Open callback requests in the order to work them.
    pub callbacks: Vec<CallbackItem>,
    /// The operators available now who work this category, by name.
    pub available: Vec<String>,
    /// Those who work it and are due on shift now.
    pub due: Vec<String>,
    /// Of those due, the ones not marked available.
    pub missing: Vec<String>,
}

/// A caller on hold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LiveItem {
    /// The call.
    pub call_sid: String,
    /// Its language.
    pub language: String,
    /// Seconds in the queue so far.
    pub waited_seconds: i64,
    /// The provider's last reported position.
    pub position: Option<i64>,
}

/// An open callback request, without the caller's number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CallbackItem {
    /// The request id.
    pub id: String,
    /// The language to call back in.
    pub language: String,
    /// Seconds since the caller first called.
    pub waited_seconds: i64,
    /// Past the category's callback target.
    pub overdue: bool,
    /// `pending` or `claimed`.
    pub status: Status,
    /// Who holds it.
    pub claimed_by: Option<String>,
    /// "May we leave a message?"
    pub safe_to_leave_message: Option<bool>,
    /// Whether the line may call the number (see `callbacks::dialable`).
    pub dialable: bool,
    /// Made from what the caller gave before hanging up part-way.
    pub incomplete: bool,
    /// Whether the caller recorded a message.
    pub has_recording: bool,
    /// Calls back nobody answered.
    pub no_answer_attempts: i64,
    /// When it may be called, if not now (calling hours, the gap after the last attempt).
    pub not_before: Option<i64>,
}

/// Builds the snapshot at `now` from the open requests and live callers (already in working
/// order), keeping only what `operator` works.
pub fn build(
    flows: &FlowSet,
    operator: &Operator,
    requests: &[CallbackRequest],
    live: &[LiveCaller],
    now: i64,
) -> QueueSnapshot {
    let mut categories = known_categories(flows, operator);
    for caller in live.iter().filter(|c| operator.works(&c.category)) {
        let queue = entry(&mut categories, &caller.category);
        queue.live.push(LiveItem {
            call_sid: caller.call_sid.clone(),
            language: caller.language.clone(),
            waited_seconds: seconds_between(caller.entered_at, now),
            position: caller.position,
        });
    }
    for request in requests.iter().filter(|r| operator.works(&r.category)) {
        let queue = entry(&mut categories, &request.category);
        let waited_seconds = seconds_between(request.waiting_since, now);
        queue.callbacks.push(CallbackItem {
            id: request.id.clone(),
            language: request.language.clone(),
            waited_seconds,
            overdue: waited_seconds > queue.callback_target_seconds,
            status: request.status,
            claimed_by: request.claimed_by_name.clone(),
            safe_to_leave_message: request.safe_to_leave_message,
            dialable: request.dialable,
            incomplete: request.incomplete,
            has_recording: request.recording_url.is_some(),
            no_answer_attempts: request.no_answer_attempts,
            not_before: match super::pacing::due(flows, request, now) {
                Due::Now => None,
                Due::After { at, .. } => Some(at.as_millisecond()),
            },
        });
    }
    let mut categories: Vec<CategoryQueue> = categories.into_values().collect();
    categories.sort_by(|a, b| b.priority.cmp(&a.priority).then_with(|| a.id.cmp(&b.id)));
    let mut snapshot = QueueSnapshot {
        at: now,
        categories,
        next: None,
    };
    snapshot.next = next_up(&snapshot, &operator.name);
    snapshot
}

/// The categories of every loaded hotline the operator works, with no callers yet, so that an
/// empty queue still shows (and says it is empty).
fn known_categories(flows: &FlowSet, operator: &Operator) -> BTreeMap<String, CategoryQueue> {
    let mut known = BTreeMap::new();
    for flow in flows.flows() {
        let language = &flow.default_language().id;
        for category in flow.categories.values().filter(|c| operator.works(&c.id)) {
            known
                .entry(category.id.clone())
                .or_insert_with(|| CategoryQueue {
                    id: category.id.clone(),
                    label: category
                        .label
                        .text(language)
                        .unwrap_or(&category.id)
                        .to_string(),
                    title: category.title.clone(),
                    priority: category.priority,
                    callback_target_seconds: i64::from(category.callback_within_hours) * 3600,
                    live: Vec::new(),
                    callbacks: Vec::new(),
                    available: Vec::new(),
                    due: Vec::new(),
                    missing: Vec::new(),
                });
        }
    }
    known
}

/// The entry for a category no loaded flow defines any more (its flow changed while callers
/// waited): still shown, under the name made from its id.
fn entry<'a>(
    categories: &'a mut BTreeMap<String, CategoryQueue>,
    id: &str,
) -> &'a mut CategoryQueue {
    categories
        .entry(id.to_string())
        .or_insert_with(|| CategoryQueue {
            id: id.to_string(),
            label: id.to_string(),
            title: crate::flow::names::from_id(id),
            priority: 1,
            callback_target_seconds: DEFAULT_CALLBACK_TARGET_HOURS * 3600,
            live: Vec::new(),
            callbacks: Vec::new(),
            available: Vec::new(),
            due: Vec::new(),
            missing: Vec::new(),
        })
}

fn seconds_between(from_ms: i64, to_ms: i64) -> i64 {
    (to_ms - from_ms).max(0) / 1000
}

impl CategoryQueue {
    /// The longest live wait, in seconds.
    pub fn oldest_live_seconds(&self) -> Option<i64> {
        self.live.iter().map(|c| c.waited_seconds).max()
    }

    /// The longest callback wait, in seconds.
    pub fn oldest_callback_seconds(&self) -> Option<i64> {
        self.callbacks.iter().map(|c| c.waited_seconds).max()
    }
}
