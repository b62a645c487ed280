//! The phone line operators call to take the next waiting caller: the PIN, who is next, the
//! connection to them, and what comes after each call. Pure TwiML builders: the shell checks
//! PINs, picks the next caller and serves these documents at `/voice/operator/...`.
//!
//! The line is for staff, so it speaks English only, in the provider's default voice (a flow's
//! voices belong to its callers).

mod callback;

use std::fmt;

use crate::engine::Links;
use crate::engine::StateError;
use crate::twiml::{Dial, DialTarget, Gather, GatherInput, Pause, Prompt, Redirect, Response};
use crate::twiml::{Say, Verb};

/// Refused PINs after which the line hangs up.
pub const MAX_PIN_ATTEMPTS: u8 = 3;

/// The longest PIN; a shorter one ends with `#`.
const PIN_DIGITS: u32 = 8;

/// Seconds of silence that end the PIN entry.
const PIN_TIMEOUT_SECONDS: u32 = 10;

/// Seconds between looks at the queues while nobody waits.
const IDLE_PAUSE_SECONDS: u32 = 15;

/// Seconds the operator has after a call to press a key before the next caller comes anyway.
const AFTER_CALL_TIMEOUT_SECONDS: u32 = 10;

/// An operator's call to the line, carried in the URLs like a caller's `CallState`.
///
/// The provider's signature keeps callers from altering it, but only an accepted PIN should
/// set `operator`: the next-caller and after-call webhooks must refuse a state without one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperatorState {
    /// The operator, once known (from the accepted PIN).
    pub operator: Option<String>,
    /// PINs refused so far on this call.
    pub pin_attempts: u8,
    /// The callback request being offered or called back.
    pub request: Option<String>,
    /// The line's dial of that request, once placed.
    pub dial: Option<String>,
    /// Requests the operator declined on this call, latest last (at most [`MAX_SKIPPED`]).
    pub skipped: Vec<String>,
}

/// Declined requests remembered on one operator call; older ones may be offered again.
pub const MAX_SKIPPED: usize = 5;

impl OperatorState {
    /// The state once the request and dial in hand are done with.
    pub fn cleared(&self) -> OperatorState {
        OperatorState {
            request: None,
            dial: None,
            ..self.clone()
        }
    }

    /// The state as URL query parameters.
    pub fn to_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("pa", &self.pin_attempts.to_string());
        if let Some(op) = &self.operator {
            q.append_pair("op", op);
        }
        if let Some(rq) = &self.request {
            q.append_pair("rq", rq);
        }
        if let Some(d) = &self.dial {
            q.append_pair("d", d);
        }
        if !self.skipped.is_empty() {
            q.append_pair("sk", &self.skipped.join(","));
        }
        q.finish()
    }

    /// Reads the state back; parameters it does not know are ignored, and a missing one
    /// means nothing has happened yet (the entry webhook has no state).
    pub fn from_query(query: &str) -> Result<OperatorState, StateError> {
        let mut state = OperatorState::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "op" => state.operator = Some(value.into_owned()),
                "rq" => state.request = Some(value.into_owned()),
                "d" => state.dial = Some(value.into_owned()),
                "sk" => {
                    state.skipped = value
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .take(MAX_SKIPPED)
                        .map(str::to_string)
                        .collect();
                }
                "pa" => {
                    state.pin_attempts = value
                        .parse()
                        .map_err(|_| StateError("`pa` is not a number".into()))?;
                }
                _ => {}
            }
        }
        Ok(state)
    }
}

/// The caller an operator is about to be connected to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextCaller {
    /// The caller's category, as the operator should hear it (e.g. "an operator").
    pub category_label: String,
    /// The provider queue the caller waits in.
    pub queue: String,
    /// How long the caller has waited so far.
    pub wait_seconds: u32,
}

/// Asks for the operator's PIN. Silence comes back to the PIN URL without `Digits`: answer it
/// with [`pin_refused`] like a wrong PIN, so a silent line cannot ask for ever.
pub fn ask_pin(state: &OperatorState, links: &Links) -> Response {
    let gather = Gather {
        timeout_seconds: PIN_TIMEOUT_SECONDS,
        num_digits: Some(PIN_DIGITS),
        finish_on_key: Some("#".into()),
        ..Gather::new(
            links.operator_pin(state),
            GatherInput::Dtmf,
            vec![say_prompt(
                "Please enter your PIN, then press the pound key.",
            )],
        )
    };
    Response::new(vec![
        Verb::Gather(gather),
        Verb::Redirect(Redirect::new(links.operator_pin(state))),
    ])
}

/// A PIN was wrong or missing. `state` is as it arrived; this refusal is counted here, and
/// the third one ends the call. The pause before asking again grows with the wrong PINs that
/// came from this number lately (the desk counts them across calls).
pub fn pin_refused(state: &OperatorState, links: &Links, pause_seconds: u32) -> Response {
    let next = OperatorState {
        pin_attempts: state.pin_attempts.saturating_add(1),
        ..state.clone()
    };
    if next.pin_attempts >= MAX_PIN_ATTEMPTS {
        return Response::new(vec![
            say("That PIN was not accepted. Goodbye."),
            Verb::Hangup,
        ]);
    }
    let mut verbs = vec![say("That PIN was not accepted.")];
    if pause_seconds > 0 {
        verbs.push(Verb::Pause(Pause {
            seconds: pause_seconds,
        }));
    }
    verbs.extend(ask_pin(&next, links).verbs);
    Response::new(verbs)
}

/// Too many wrong PINs: the line takes none for now, and says nothing of how long, which
/// would only tell a guesser when to come back.
pub fn pin_locked() -> Response {
    Response::new(vec![
        say("This line cannot take a PIN right now. Please try again later, or use the console."),
        Verb::Hangup,
    ])
}

/// Tells the operator who is next and connects them to the front of that caller's queue.
pub fn connect_next(state: &OperatorState, caller: &NextCaller, links: &Links) -> Response {
    let announcement = format!(
        "Next caller: {}, {}.",
        caller.category_label,
        Waiting(caller.wait_seconds)
    );
    let dial = Dial {
        action: Some(links.operator_after(state)),
        ..Dial::new(DialTarget::Queue {
            name: caller.queue.clone(),
            url: Some(links.operator_whisper()),
        })
    };
    Response::new(vec![say(&announcement), Verb::Dial(dial)])
}

/// Nobody is waiting: says so, waits a little and looks again.
pub fn nobody_waiting(state: &OperatorState, links: &Links) -> Response {
    Response::new(vec![
        say("Nobody is waiting right now."),
        Verb::Pause(Pause {
            seconds: IDLE_PAUSE_SECONDS,
        }),
        Verb::Redirect(Redirect::new(links.operator_next(state))),
    ])
}

/// After a call with a caller. Any key, or silence, brings the next caller: an operator who
/// stays on the line is taking calls, and hanging up is how they stop.
pub fn after_call(state: &OperatorState, links: &Links) -> Response {
    let gather = Gather {
        timeout_seconds: AFTER_CALL_TIMEOUT_SECONDS,
        num_digits: Some(1),
        finish_on_key: Some(String::new()),
        ..Gather::new(
            links.operator_next(state),
            GatherInput::Dtmf,
            vec![say_prompt(
                "Press 1 for the next caller, or hang up to end.",
            )],
        )
    };
    Response::new(vec![
        Verb::Gather(gather),
        Verb::Redirect(Redirect::new(links.operator_next(state))),
    ])
}

/// Played to the dequeued caller just before the operator is connected.
///
/// A second of quiet, not words: here the caller's language is unknown (the request names the
/// dequeued call, not its flow or language), and a caller who chose Spanish, or a language
/// neither English nor Spanish, should not be greeted in another one. The quiet ends the hold
/// audio cleanly, and the operator greets the caller a moment later.
pub fn whisper() -> Response {
    Response::new(vec![Verb::Pause(Pause { seconds: 1 })])
}

/// Words the line speaks, in the provider's default voice.
pub fn say(text: &str) -> Verb {
    Verb::Say(Say::new(text))
}

fn say_prompt(text: &str) -> Prompt {
    Prompt::Say(Say::new(text))
}

/// "waiting 3 minutes", said the way people say it.
struct Waiting(u32);

impl fmt::Display for Waiting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 / 60 {
            0 => write!(f, "waiting less than a minute"),
            1 => write!(f, "waiting 1 minute"),
            minutes => write!(f, "waiting {minutes} minutes"),
        }
    }
}

pub use callback::{
    Ended, Offer, callback_closed, callback_ended, check, checked, dial_callback, offer_callback,
};

/// The operator line's URLs, beside the callers' ones in [`Links`].
impl Links {
    fn operator_url(&self, path: &str, s: &OperatorState) -> String {
        format!("{}/voice/operator/{path}?{}", self.base(), s.to_query())
    }

    /// Operator line: the PIN entered (or silence) arrives here.
    pub fn operator_pin(&self, s: &OperatorState) -> String {
        self.operator_url("pin", s)
    }

    /// Operator line: connect the operator to the next caller, or say nobody waits.
    pub fn operator_next(&self, s: &OperatorState) -> String {
        self.operator_url("next", s)
    }

    /// Operator line: Dial action, requested when the call with a caller ends.
    pub fn operator_after(&self, s: &OperatorState) -> String {
        self.operator_url("after", s)
    }

    /// Operator line: the operator answered the ring "call now" asked for.
    pub fn operator_ring(&self, s: &OperatorState) -> String {
        self.operator_url("ring", s)
    }

    /// Operator line: 1 calls the offered request back, 2 skips it.
    pub fn operator_callback(&self, s: &OperatorState) -> String {
        self.operator_url("callback", s)
    }

    /// Operator line: Dial action of a call back, requested when it ends.
    pub fn operator_callback_result(&self, s: &OperatorState) -> String {
        self.operator_url("callback-result", s)
    }

    /// Operator line: the key that closes a reached call back.
    pub fn operator_callback_close(&self, s: &OperatorState) -> String {
        self.operator_url("callback-close", s)
    }

    /// Played to the person called back: the neutral check. It carries only the dial's id.
    pub fn callback_check(&self, dial: &str) -> String {
        format!("{}/voice/callback/check?d={dial}", self.base())
    }

    /// Where the provider reports how the ring of an operator's phone for request `request`,
    /// started at `at`, goes.
    pub fn operator_rang(&self, request: &str, at: i64) -> String {
        format!("{}/voice/operator/rang?r={request}&t={at}", self.base())
    }

    /// Where the provider reports the progress of the leg of the person called back.
    pub fn callback_leg(&self, dial: &str) -> String {
        format!("{}/voice/callback/leg?d={dial}", self.base())
    }

    /// Where the person called back's key (or silence) at the check arrives.
    pub fn callback_checked(&self, dial: &str) -> String {
        format!("{}/voice/callback/checked?d={dial}", self.base())
    }

    /// Operator line: played to the dequeued caller before the connection. It carries no
    /// state: the same document suits every caller.
    pub fn operator_whisper(&self) -> String {
        format!("{}/voice/operator/whisper", self.base())
    }
}

#[cfg(test)]
mod tests;
