//! The operator line's call backs: the request read to the operator, the dial with the
//! hotline's number shown, the neutral check the person called hears before anyone is
//! connected, and what the operator hears when the call ends. Nothing here names the line to
//! the person called; only the flow's neutral prompts are spoken to them.

use super::{OperatorState, say, say_prompt};
use crate::callbacks::pacing::CallTime;
use crate::engine::{Links, prompt_verbs, to_verb};
use crate::flow::Flow;
use crate::flow::model::Prompt;
use crate::twiml::{Dial, DialTarget, Gather, GatherInput, Redirect, Response, Verb};

/// Seconds the operator has to choose whether to call.
const CHOOSE_TIMEOUT_SECONDS: u32 = 10;
/// Seconds the person called has to press the key at the check.
const CHECK_TIMEOUT_SECONDS: u32 = 8;
/// Seconds the line rings the person called back.
const RING_SECONDS: u32 = 30;

/// A callback request as the operator hears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer<'a> {
    pub category_label: &'a str,
    pub language_name: &'a str,
    /// 1 for the first call back.
    pub attempt: i64,
    pub minutes_waiting: i64,
    pub safe_to_leave_message: Option<bool>,
    /// When the caller said it is safe to call; offered only inside it.
    pub call_time: Option<CallTime>,
    /// The caller hung up before finishing the questions.
    pub incomplete: bool,
}

/// How a call back ended, for the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The person pressed the key and was connected.
    Reached,
    /// Not reached; the attempt is recorded. `last` when that closed the request,
    /// `message_left` when the neutral message was left.
    NotReached { last: bool, message_left: bool },
}

/// Reads the request to the operator: 1 calls, 2 (or silence) skips it.
pub fn offer_callback(state: &OperatorState, offer: &Offer<'_>, links: &Links) -> Response {
    let message = match offer.safe_to_leave_message {
        Some(true) => "A message may be left.",
        Some(false) => "Do not leave a message.",
        None => "The caller was not asked about messages: no message will be left.",
    };
    let when = match offer.call_time {
        Some(CallTime::Any) | None => String::new(),
        Some(t) => format!(" The caller asked to be called {}.", t.words()),
    };
    let unfinished = if offer.incomplete {
        " The caller hung up before finishing the questions."
    } else {
        ""
    };
    let text = format!(
        "Callback request: {}, in {}. Attempt {}.{unfinished} {message}{when} The caller first \
         called {} ago. To call now, press 1. To skip it, press 2.",
        offer.category_label,
        offer.language_name,
        offer.attempt,
        minutes(offer.minutes_waiting),
    );
    let gather = one_key(
        links.operator_callback(state),
        CHOOSE_TIMEOUT_SECONDS,
        vec![say_prompt(&text)],
    );
    Response::new(vec![
        Verb::Gather(gather),
        Verb::Redirect(Redirect::new(links.operator_callback(state))),
    ])
}

/// Rings the person called back from the hotline's number; they hear the check first.
pub fn dial_callback(
    state: &OperatorState,
    number: &str,
    caller_id: &str,
    dial: &str,
    links: &Links,
) -> Response {
    let target = DialTarget::ScreenedNumber {
        number: number.to_string(),
        url: links.callback_check(dial),
        status_callback: Some(links.callback_leg(dial)),
    };
    let dial = Dial {
        action: Some(links.operator_callback_result(state)),
        timeout_seconds: Some(RING_SECONDS),
        caller_id: Some(caller_id.to_string()),
        ..Dial::new(target)
    };
    Response::new(vec![
        say("Calling. They will hear a neutral check and are connected when they press 1."),
        Verb::Dial(dial),
    ])
}

/// The neutral check, in the request's language. Silence comes back without `Digits`.
pub fn check(flow: &Flow, language: &str, screen: &Prompt, dial: &str, links: &Links) -> Response {
    let gather = one_key(
        links.callback_checked(dial),
        CHECK_TIMEOUT_SECONDS,
        prompt_verbs(flow, screen, language, false, &[]),
    );
    Response::new(vec![
        Verb::Gather(gather),
        Verb::Redirect(Redirect::new(links.callback_checked(dial))),
    ])
}

/// After the check: an empty answer connects the two; otherwise the neutral message where it
/// is safe, then the line hangs up. Nobody who did not press the key hears anything else.
pub fn checked(
    confirmed: bool,
    flow: &Flow,
    language: &str,
    voicemail: Option<&Prompt>,
) -> Response {
    if confirmed {
        return Response::new(Vec::new());
    }
    let mut verbs: Vec<Verb> = voicemail
        .map(|p| prompt_verbs(flow, p, language, false, &[]))
        .unwrap_or_default()
        .into_iter()
        .map(to_verb)
        .collect();
    verbs.push(Verb::Hangup);
    Response::new(verbs)
}

/// What the operator hears when the call back ends.
pub fn callback_ended(state: &OperatorState, ended: Ended, links: &Links) -> Response {
    match ended {
        Ended::Reached => {
            let gather = one_key(
                links.operator_callback_close(state),
                CHOOSE_TIMEOUT_SECONDS,
                vec![say_prompt(
                    "The call has ended. If the matter is resolved, press 1. If you referred \
                         them elsewhere, press 2. If it was a wrong number, press 3. To close it \
                         in the console instead, press nothing.",
                )],
            );
            let next = OperatorState {
                dial: None,
                ..state.clone()
            };
            Response::new(vec![
                Verb::Gather(gather),
                say("The request stays claimed by you in the console."),
                Verb::Redirect(Redirect::new(links.operator_next(&next))),
            ])
        }
        Ended::NotReached { last, message_left } => {
            let what = if message_left {
                "Nobody pressed the key; the neutral message was left."
            } else {
                "Nobody was reached."
            };
            let then = if last {
                "That was the last attempt: the request is closed as unreachable."
            } else {
                "The attempt is recorded, and the request goes back to the queue."
            };
            Response::new(vec![
                say(&format!("{what} {then}")),
                Verb::Redirect(Redirect::new(links.operator_next(&state.cleared()))),
            ])
        }
    }
}

/// The operator closed a reached call back on the keypad.
pub fn callback_closed(state: &OperatorState, outcome_words: &str, links: &Links) -> Response {
    Response::new(vec![
        say(&format!("Recorded: {outcome_words}.")),
        Verb::Redirect(Redirect::new(links.operator_next(&state.cleared()))),
    ])
}

/// "3 minutes", "2 hours", "1 day": how long, said the way people say it.
fn minutes(m: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match m {
        ..1 => "less than a minute".to_string(),
        1..60 => plural(m, "minute"),
        60..1440 => plural(m / 60, "hour"),
        _ => plural(m / 1440, "day"),
    }
}

/// A gather of one key (none ends it early) with `prompts`, sent to `action`.
fn one_key(action: String, timeout_seconds: u32, prompts: Vec<crate::twiml::Prompt>) -> Gather {
    Gather {
        timeout_seconds,
        num_digits: Some(1),
        finish_on_key: Some(String::new()),
        ..Gather::new(action, GatherInput::Dtmf, prompts)
    }
}
