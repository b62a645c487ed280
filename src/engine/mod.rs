//! The call engine: one pure function from (flow, call state, caller event, now) to the TwiML
//! to answer, the facts to record and the next state. The webhook handlers, the tests and any
//! simulator run calls through it, so they all behave the same.

pub mod abuse;
mod fallback;
mod hold;
mod input;
mod links;
mod menu;
mod run;
mod speech;
mod triage;
pub use speech::{prompt_verbs, to_verb};
pub mod seal;
pub mod state;
pub mod unfinished;

pub use fallback::{fallback, fallback_while_waiting};
pub use hold::Hold;
pub use input::normalise_phone;
pub use links::Links;
pub use menu::Confidence;
pub use seal::StateSeal;
pub use state::{CallState, CallbackNumber, StateError};
pub use unfinished::{Unfinished, UnfinishedRequest};

use std::collections::BTreeSet;

use crate::flow::Flow;
use crate::flow::model::Category;
use crate::twiml::Response;
use run::Run;

/// What the caller (or the provider on their behalf) did since the last webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The call has just arrived.
    Start,
    /// Continue at the state's node as if arriving there (used by redirects).
    Enter,
    /// Keys pressed in a gather (may be empty).
    Digits(String),
    /// Words recognised in a gather, with the provider's confidence in them.
    Speech {
        words: String,
        confidence: Option<Confidence>,
    },
    /// The gather timed out.
    NoInput,
    /// A recording finished.
    Recording { url: String, seconds: Option<u32> },
    /// The record verb ended without audio.
    NoRecording,
    /// The caller left a queue; the provider's `QueueResult`.
    QueueResult {
        result: String,
        wait_seconds: Option<u32>,
    },
    /// A transfer ended; the provider's `DialCallStatus`.
    DialResult(String),
    /// Keys pressed by a waiting caller during the offer to leave the queue for a callback.
    HoldChoice(String),
}

/// Facts about the call the caller did not type: who called, when, and who can answer.
#[derive(Debug, Clone)]
pub struct CallContext<'a> {
    /// The caller's number as the provider gave it (may be withheld).
    pub caller: Option<&'a str>,
    /// The current instant.
    pub now: jiff::Timestamp,
    /// Builds the URLs the provider calls back.
    pub links: &'a Links,
    /// The ids of the categories someone is available for now; `None` when that is not known
    /// (not looked up, or the database did not say), and every category counts as staffed.
    pub staffed: Option<&'a BTreeSet<String>>,
}

impl CallContext<'_> {
    /// Whether `category` has the staff it needs to take callers: always, unless it opens only
    /// while staffed and nobody is known to be available for it.
    pub fn staffs(&self, category: &Category) -> bool {
        !category.open_requires_staff || self.staffed.is_none_or(|s| s.contains(&category.id))
    }
}

/// Something to record about the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The caller passed through a node.
    Step {
        seq: u32,
        node: String,
        input: Option<String>,
        outcome: String,
    },
    /// The caller chose a language.
    Language(String),
    /// The caller was triaged to a category.
    Category(String),
    /// The caller was put in a queue.
    Enqueued {
        seq: u32,
        category: String,
        queue: String,
    },
    /// The caller left a queue.
    QueueLeft {
        seq: u32,
        result: String,
        wait_seconds: Option<u32>,
    },
    /// A hold poll reported the caller's place in line and wait so far.
    QueueWaited {
        seq: u32,
        position: Option<u32>,
        wait_seconds: Option<u32>,
    },
    /// The caller asked to be called back. Must be durable before the response is sent:
    /// the response tells the caller it was saved.
    CallbackRequested(CallbackRequest),
    /// What a hang-up now would leave of a callback request (see [`unfinished`]).
    Unfinished(Unfinished),
}

/// A callback request as the engine decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRequest {
    /// Triage category.
    pub category: String,
    /// The category's priority (1 to 9, higher first), which orders the operators' worklist.
    pub priority: u8,
    /// Language to call back in.
    pub language: String,
    /// Number to call.
    pub number: String,
    /// Whether the caller entered the number (instead of using the one they call from).
    pub entered: bool,
    /// Whether the line may call the number (see [`crate::callbacks::dialable`]).
    pub dialable: bool,
    /// "May we leave a message?"; `None` when not asked.
    pub safe_to_leave_message: Option<bool>,
    /// When the caller said it is safe to call; `None` when not asked.
    pub call_time: Option<crate::callbacks::pacing::CallTime>,
    /// The caller's recorded message.
    pub recording_url: Option<String>,
    /// Its length.
    pub recording_seconds: Option<u32>,
}

/// The engine's answer to one event.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// TwiML to send back.
    pub response: Response,
    /// Facts to record before sending it.
    pub effects: Vec<Effect>,
    /// Where the call now is.
    pub state: CallState,
}

impl Outcome {
    /// Whether the response promises the caller that something was saved.
    pub fn must_be_durable(&self) -> bool {
        self.effects
            .iter()
            .any(|e| matches!(e, Effect::CallbackRequested(_)))
    }
}

/// Advances a call by one event.
pub fn step(flow: &Flow, state: &CallState, event: Event, ctx: &CallContext<'_>) -> Outcome {
    let mut run = Run::new(flow, state.clone(), ctx);
    match event {
        Event::Start => run.enter(&flow.start),
        Event::Enter => {
            // A redirect may have put the caller on the callback path (the fallback does):
            // record the request as it stands.
            run.unfinished = None;
            run.enter(&state.node);
        }
        other => run.handle(other),
    }
    run.finish()
}

/// The answer to a call turned away at its start (see [`crate::engine::abuse`]): the flow's
/// message in every language, then the line hangs up. Nothing about the call reaches a queue.
pub fn turn_away(
    flow: &Flow,
    state: &CallState,
    why: crate::engine::abuse::TurnAway,
    ctx: &CallContext<'_>,
) -> Outcome {
    let mut run = Run::new(flow, state.clone(), ctx);
    run.turn_away(why);
    run.finish()
}

/// What a caller waiting in a queue hears on each hold poll.
pub fn hold(flow: &Flow, state: &CallState, hold: Hold, ctx: &CallContext<'_>) -> Outcome {
    let mut run = Run::new(flow, state.clone(), ctx);
    run.hold(hold);
    run.finish()
}
