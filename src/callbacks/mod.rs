//! The life of a callback request once a caller has left it: pending, claimed by one operator,
//! then closed with an outcome, or back to pending after a call nobody answered. Pure rules;
//! the store applies them atomically.

pub mod dialable;
pub mod pacing;

use std::fmt;
use std::time::Duration;

/// How soon a category's requests should be called back when its flow does not say
/// (`callback_within_hours`): a day, long enough for staff to return calls left overnight or
/// over a short closure.
pub const DEFAULT_CALLBACK_WITHIN_HOURS: u32 = 24;

/// A recording address the provider would give: `https://`, bounded, one line. Operators'
/// browsers are sent to it, so nothing else is kept or followed.
pub fn is_recording_url(url: &str) -> bool {
    url.starts_with("https://")
        && url.len() <= 2048
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Where a request is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Waiting for an operator.
    Pending,
    /// An operator is working it.
    Claimed,
    /// Closed with an outcome.
    Completed,
    /// Closed after too many calls back that reached nobody.
    Unreachable,
}

impl Status {
    /// Every status, in life order.
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Claimed,
        Status::Completed,
        Status::Unreachable,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Claimed => "claimed",
            Status::Completed => "completed",
            Status::Unreachable => "unreachable",
        }
    }

    /// Reads the stored form back.
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the request is closed for good.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Completed | Status::Unreachable)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened when an operator called back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The caller answered and was helped.
    Reached,
    /// Nobody answered.
    NoAnswer,
    /// A message was left (only when the caller said that is safe).
    LeftMessage,
    /// The number did not belong to the caller.
    WrongNumber,
    /// The caller's need was met.
    Resolved,
    /// The caller was sent to another service.
    Referred,
}

impl Outcome {
    /// Every outcome, in the order forms offer them.
    pub const ALL: [Outcome; 6] = [
        Outcome::Reached,
        Outcome::Resolved,
        Outcome::Referred,
        Outcome::NoAnswer,
        Outcome::LeftMessage,
        Outcome::WrongNumber,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::NoAnswer => "no_answer",
            Outcome::LeftMessage => "left_message",
            Outcome::WrongNumber => "wrong_number",
            Outcome::Resolved => "resolved",
            Outcome::Referred => "referred",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Reached => "Reached",
            Outcome::NoAnswer => "No answer",
            Outcome::LeftMessage => "Left a message",
            Outcome::WrongNumber => "Wrong number",
            Outcome::Resolved => "Resolved",
            Outcome::Referred => "Referred",
        }
    }

    /// What recording it does, for the operator choosing it.
    pub fn explanation(self) -> &'static str {
        match self {
            Outcome::Reached => "You spoke with the caller. Closes the request.",
            Outcome::Resolved => {
                "You spoke with the caller and their need is met. Closes the request."
            }
            Outcome::Referred => {
                "You spoke with the caller and sent them to another service. Closes the request."
            }
            Outcome::NoAnswer => {
                "Nobody answered. The request goes back to the queue for another try; after the \
                 last one it closes as unreachable."
            }
            Outcome::LeftMessage => {
                "You left the neutral message. Counts like no answer: the message says the line \
                 will call again."
            }
            Outcome::WrongNumber => "The number is not the caller's. Closes the request.",
        }
    }

    /// Reads the stored form back.
    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// Whether the call back spoke with nobody, so the request stays open for another try
    /// (a message left is not a conversation: the message promises another call).
    pub fn reached_nobody(self) -> bool {
        matches!(self, Outcome::NoAnswer | Outcome::LeftMessage)
    }

    /// Whether an operator may record this outcome for a request whose caller answered
    /// "may we leave a message?" with `safe_to_leave_message`.
    pub fn allowed(self, safe_to_leave_message: Option<bool>) -> bool {
        // Only an explicit "no" forbids it: a caller who was never asked gets the operator's
        // judgement, as on any other line.
        self != Outcome::LeftMessage || safe_to_leave_message != Some(false)
    }
}

/// The line's rules for working requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Calls back reaching nobody after which a request closes as unreachable.
    pub max_attempts: u32,
    /// How long a claim holds before the request returns to pending.
    pub claim_timeout: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_attempts: 3,
            claim_timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// A request's state after an outcome is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    /// Its new status.
    pub status: Status,
    /// Calls back that reached nobody so far, this one included.
    pub no_answer_attempts: u32,
}

/// Why an outcome cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The caller said a message must not be left.
    #[error("the caller said it is not safe to leave a message")]
    MessageNotSafe,
}

/// What recording `outcome` does to a claimed request whose calls back reached nobody
/// `no_answer_attempts` times so far.
pub fn settle(
    outcome: Outcome,
    no_answer_attempts: u32,
    safe_to_leave_message: Option<bool>,
    policy: &Policy,
) -> Result<Settlement, Refusal> {
    if !outcome.allowed(safe_to_leave_message) {
        return Err(Refusal::MessageNotSafe);
    }
    if !outcome.reached_nobody() {
        return Ok(Settlement {
            status: Status::Completed,
            no_answer_attempts,
        });
    }
    let attempts = no_answer_attempts.saturating_add(1);
    let status = if attempts >= policy.max_attempts.max(1) {
        Status::Unreachable
    } else {
        Status::Pending
    };
    Ok(Settlement {
        status,
        no_answer_attempts: attempts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unanswered_calls_return_the_request_until_the_limit() {
        let policy = Policy::default();
        let first = settle(Outcome::NoAnswer, 0, None, &policy).expect("allowed");
        assert_eq!(first.status, Status::Pending);
        assert_eq!(first.no_answer_attempts, 1);
        let second = settle(Outcome::NoAnswer, 1, None, &policy).expect("allowed");
        assert_eq!(second.status, Status::Pending);
        let third = settle(Outcome::NoAnswer, 2, None, &policy).expect("allowed");
        assert_eq!(third.status, Status::Unreachable);
        assert_eq!(third.no_answer_attempts, 3);
    }

    #[test]
    fn a_message_left_is_an_attempt_that_keeps_the_request_open() {
        let policy = Policy::default();
        let left = settle(Outcome::LeftMessage, 0, Some(true), &policy).expect("allowed");
        assert_eq!(left.status, Status::Pending);
        assert_eq!(left.no_answer_attempts, 1);
        let last = settle(Outcome::LeftMessage, 2, Some(true), &policy).expect("allowed");
        assert_eq!(last.status, Status::Unreachable);
    }

    #[test]
    fn other_outcomes_close_the_request() {
        for outcome in [
            Outcome::Reached,
            Outcome::Resolved,
            Outcome::Referred,
            Outcome::WrongNumber,
        ] {
            let settled = settle(outcome, 1, Some(true), &Policy::default()).expect("allowed");
            assert_eq!(settled.status, Status::Completed, "{outcome:?}");
            assert_eq!(settled.no_answer_attempts, 1);
        }
    }

    #[test]
    fn a_message_is_never_left_when_the_caller_said_it_is_not_safe() {
        let refused = settle(Outcome::LeftMessage, 0, Some(false), &Policy::default());
        assert_eq!(refused, Err(Refusal::MessageNotSafe));
        assert!(Outcome::LeftMessage.allowed(None));
        assert!(Outcome::Reached.allowed(Some(false)));
    }

    #[test]
    fn stored_forms_round_trip() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
        }
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
    }
}
