//! The little language of a scenario's `inputs`: what a caller (or the provider, for queues
//! and transfers) does at each step, written so staff can read it aloud.

use std::fmt;

/// The provider's queue results a scenario may use (`queue:<result>`).
const QUEUE_RESULTS: &[&str] = &[
    "bridged",
    "bridging-in-process",
    "redirected-from-bridged",
    "hangup",
    "leave",
    "redirected",
    "queue-full",
    "system-error",
    "error",
];

/// The provider's transfer results a scenario may use (`transfer:<status>`).
const DIAL_STATUSES: &[&str] = &[
    "completed",
    "answered",
    "busy",
    "no-answer",
    "failed",
    "canceled",
];

/// Seconds of a recording when `record` says nothing else.
const DEFAULT_RECORDING_SECONDS: u32 = 10;

/// One step of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Keys pressed: one for a menu, a whole number for a phone-number question.
    Keys(String),
    /// The caller says these words to a menu that listens for speech.
    Say(String),
    /// The caller says nothing until the line stops waiting.
    Silence,
    /// The caller records a message of this many seconds.
    Record(u32),
    /// The caller, waiting in a queue, hears the announcement made after this many minutes.
    Wait(u32),
    /// The queue lets the caller go, with the provider's result.
    Queue(String),
    /// A transfer ends, with the provider's result.
    Transfer(String),
    /// The caller hangs up.
    HangUp,
}

impl fmt::Display for Input {
    /// As the transcript tells it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Keys(k) if k.chars().count() == 1 => write!(f, "presses {k}"),
            Input::Keys(k) => write!(f, "types {k}"),
            Input::Say(words) => write!(f, "says \"{words}\""),
            Input::Silence => f.write_str("stays silent"),
            Input::Record(s) => write!(f, "records a {s}-second message"),
            Input::Wait(m) => write!(f, "waits {m} minutes"),
            Input::Queue(r) => write!(f, "leaves the queue: {r}"),
            Input::Transfer(s) => write!(f, "the transfer ends: {s}"),
            Input::HangUp => f.write_str("hangs up"),
        }
    }
}

/// Reads one step; the error says how to write it.
pub fn parse(text: &str) -> Result<Input, String> {
    let step = text.trim();
    let lower = step.to_ascii_lowercase();
    let (word, value) = match lower.split_once(':') {
        Some((w, v)) => (w.trim(), Some(v.trim())),
        None => (lower.as_str(), None),
    };
    match (word, value) {
        ("say", Some(_)) => {
            // The words keep their case: only the step's name is read case-blind.
            let words = step.split_once(':').map_or("", |(_, w)| w.trim());
            if words.is_empty() {
                Err("`say:` needs the words the caller says, such as say:I need a lawyer".into())
            } else {
                Ok(Input::Say(words.to_string()))
            }
        }
        ("silence", None) => Ok(Input::Silence),
        ("hangup" | "hang up", None) => Ok(Input::HangUp),
        ("record", None) => Ok(Input::Record(DEFAULT_RECORDING_SECONDS)),
        ("record", Some(v)) => {
            number(v, 1..=3600, "record:<seconds>, such as record:30").map(Input::Record)
        }
        ("wait", Some(v)) => number(v, 0..=600, "wait:<minutes>, such as wait:6").map(Input::Wait),
        ("queue", Some(v)) => one_of(v, QUEUE_RESULTS, "queue").map(Input::Queue),
        ("transfer", Some(v)) => one_of(v, DIAL_STATUSES, "transfer").map(Input::Transfer),
        _ if !step.is_empty()
            && step
                .chars()
                .all(|c| c.is_ascii_digit() || c == '*' || c == '#') =>
        {
            Ok(Input::Keys(step.to_string()))
        }
        _ => Err(format!(
            "`{step}` is not a step a caller can take; write keys such as \"1\" or \
             \"2025550123\", words said as say:I need a lawyer, or one of: silence, record, record:30, wait:6, queue:bridged, \
             transfer:no-answer, hangup"
        )),
    }
}

fn number(v: &str, range: std::ops::RangeInclusive<u32>, how: &str) -> Result<u32, String> {
    v.parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            format!(
                "`{v}` is not a number from {} to {}; write {how}",
                range.start(),
                range.end()
            )
        })
}

fn one_of(v: &str, known: &[&str], word: &str) -> Result<String, String> {
    if known.contains(&v) {
        Ok(v.to_string())
    } else {
        Err(format!(
            "`{word}:{v}` is not something the provider reports; use {word}: followed by one of: {}",
            known.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_read_as_staff_write_them() {
        assert_eq!(parse("1"), Ok(Input::Keys("1".into())));
        assert_eq!(
            parse(" 2025550123# "),
            Ok(Input::Keys("2025550123#".into()))
        );
        assert_eq!(parse("Silence"), Ok(Input::Silence));
        assert_eq!(parse("record"), Ok(Input::Record(10)));
        assert_eq!(parse("record:45"), Ok(Input::Record(45)));
        assert_eq!(parse("wait:6"), Ok(Input::Wait(6)));
        assert_eq!(parse("queue:bridged"), Ok(Input::Queue("bridged".into())));
        assert_eq!(
            parse("transfer:no-answer"),
            Ok(Input::Transfer("no-answer".into()))
        );
        assert_eq!(parse("hang up"), Ok(Input::HangUp));
    }

    #[test]
    fn a_mistake_says_how_to_write_the_step() {
        let e = parse("queue:answered").expect_err("not a queue result");
        assert!(e.contains("bridged"), "{e}");
        let e = parse("press 1").expect_err("not a step");
        assert!(e.contains("silence"), "{e}");
        assert!(parse("wait:lots").is_err());
    }
}
