//! The callback request a caller has not finished: what the call has given so far on the
//! callback path. It is recorded as it grows, so a caller who hangs up part-way (the most
//! vulnerable are the likeliest to) still leaves a request when the line has a number to call.

use super::state::{CallState, CallbackNumber};
use crate::callbacks::pacing::CallTime;
use crate::flow::Flow;

/// What a request would hold if the call ended now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfinishedRequest {
    /// Triage category.
    pub category: String,
    /// The category's priority.
    pub priority: u8,
    /// Language to call back in.
    pub language: String,
    /// A number the line may use: one the caller confirmed, or the one they call from unless
    /// they asked for another; `None` when there is none yet.
    pub number: Option<String>,
    /// Whether `number` was entered by the caller.
    pub entered: bool,
    /// Whether the line may call `number`.
    pub dialable: bool,
    /// "May we leave a message?", if answered (or promised by a message heard).
    pub safe_to_leave_message: Option<bool>,
    /// When the caller said it is safe to call.
    pub call_time: Option<CallTime>,
}

/// How a step changed the unfinished request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfinished {
    /// The caller is on the callback path and has given this so far.
    Open(UnfinishedRequest),
    /// The caller heard a goodbye on the callback path without a request being saved: a
    /// missed request, never one to call back.
    Abandoned,
    /// The caller left the callback path for a live queue.
    Left,
}

/// The request `state` would leave if the call ended now; `None` off the callback path.
pub fn of(flow: &Flow, state: &CallState, caller: Option<&str>) -> Option<UnfinishedRequest> {
    if !state.callback_path {
        return None;
    }
    let category = state
        .category
        .clone()
        .unwrap_or_else(|| flow.fallback_category.clone());
    let caller = caller.filter(|c| super::input::callable(Some(c)));
    let (number, entered) = match &state.callback {
        Some(CallbackNumber::Entered(n)) => (Some(n.clone()), true),
        Some(CallbackNumber::Caller) => (caller.map(str::to_string), false),
        None if state.declined_caller_id => (None, false),
        None => (caller.map(str::to_string), false),
    };
    let dialable = number
        .as_deref()
        .is_some_and(|n| flow.callbacks.dialable(n).is_ok());
    Some(UnfinishedRequest {
        priority: flow.categories.get(&category).map_or(1, |c| c.priority),
        category,
        language: state.language.clone(),
        number,
        entered,
        dialable,
        safe_to_leave_message: state.safe_to_leave_message,
        call_time: state.call_time,
    })
}

/// What to record after a step that started with `before` and ended with `after`; `ended` is
/// how the step left the path, if it did.
pub fn change(
    before: Option<&UnfinishedRequest>,
    after: Option<UnfinishedRequest>,
    ended: Option<Unfinished>,
) -> Option<Unfinished> {
    match after {
        Some(now) if before != Some(&now) => Some(Unfinished::Open(now)),
        Some(_) => None,
        None => before.and(ended),
    }
}
