//! What each provider callback means for the engine: the hooks the routes serve, and the
//! engine event a webhook's parameters stand for. Pure, so the parameters' handling can be
//! checked without a server.

use super::webhook::Webhook;
use crate::callbacks::is_recording_url;
use crate::engine::{Confidence, Event};

/// The provider's callbacks, by what they report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    Incoming,
    Gather,
    NoInput,
    Record,
    NoRecording,
    QueueResult,
    Wait,
    HoldChoice,
    DialResult,
    Continue,
}

impl Hook {
    /// Every hook, in the order the routes list them.
    pub const ALL: [Hook; 10] = [
        Hook::Incoming,
        Hook::Gather,
        Hook::NoInput,
        Hook::Record,
        Hook::NoRecording,
        Hook::QueueResult,
        Hook::Wait,
        Hook::HoldChoice,
        Hook::DialResult,
        Hook::Continue,
    ];

    /// The hook's name in logs and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Hook::Incoming => "incoming",
            Hook::Gather => "gather",
            Hook::NoInput => "no_input",
            Hook::Record => "record",
            Hook::NoRecording => "no_recording",
            Hook::QueueResult => "queue_result",
            Hook::Wait => "wait",
            Hook::HoldChoice => "hold_choice",
            Hook::DialResult => "dial_result",
            Hook::Continue => "continue",
        }
    }
}

/// The engine event a webhook on `hook` stands for. Text from the caller is bounded and
/// stripped of control characters before the engine sees it.
pub fn event(hook: Hook, webhook: &Webhook) -> Event {
    match hook {
        Hook::Incoming => Event::Start,
        // With `dtmf speech` a key pressed wins; an empty `Digits` beside a spoken answer is
        // no key at all.
        Hook::Gather => match (digits(webhook), webhook.param("SpeechResult")) {
            (Some(d), _) if !d.is_empty() => Event::Digits(d),
            (_, Some(s)) => Event::Speech {
                words: s.chars().filter(|c| !c.is_control()).take(500).collect(),
                confidence: webhook.param("Confidence").and_then(Confidence::parse),
            },
            (Some(d), None) => Event::Digits(d),
            (None, None) => Event::NoInput,
        },
        Hook::NoInput => Event::NoInput,
        Hook::HoldChoice => Event::HoldChoice(digits(webhook).unwrap_or_default()),
        Hook::Record => match webhook
            .param("RecordingUrl")
            .filter(|u| is_recording_url(u))
        {
            Some(url) => Event::Recording {
                url: url.to_string(),
                seconds: number(webhook, "RecordingDuration"),
            },
            None => Event::NoRecording,
        },
        Hook::NoRecording => Event::NoRecording,
        Hook::QueueResult => Event::QueueResult {
            result: webhook.param("QueueResult").unwrap_or("error").to_string(),
            wait_seconds: number(webhook, "QueueTime"),
        },
        Hook::DialResult => Event::DialResult(
            webhook
                .param("DialCallStatus")
                .unwrap_or("failed")
                .to_string(),
        ),
        Hook::Wait | Hook::Continue => Event::Enter,
    }
}

/// The keys pressed, without control characters and bounded in length.
pub fn digits(webhook: &Webhook) -> Option<String> {
    let d = webhook.param("Digits")?;
    Some(d.chars().filter(|c| !c.is_control()).take(32).collect())
}

/// A parameter read as a count of seconds or places; missing or garbled values are none.
pub fn number(webhook: &Webhook, name: &str) -> Option<u32> {
    webhook.param(name).and_then(|v| v.trim().parse().ok())
}

/// The longest caller ID or dialled number kept; E.164 has at most 16 characters, and SIP or
/// client identities a little more.
const MAX_NUMBER_CHARS: usize = 64;

/// A `From` or `To` the server may store and show: bounded, without control characters.
/// Anything else is treated as no number at all (like a withheld one) rather than kept.
pub fn number_param<'a>(webhook: &'a Webhook, name: &str) -> Option<&'a str> {
    webhook
        .param(name)
        .filter(|n| n.chars().count() <= MAX_NUMBER_CHARS && !n.chars().any(char::is_control))
}
