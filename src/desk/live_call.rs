//! Where a call back the line is placing stands now, from what the provider has reported of
//! it (the dial, the leg of the person called, their answer at the check), for the request's
//! page and the API.

use super::{Desk, DeskError};
use crate::operators::Operator;
use crate::store::{CallbackRequest, Dial, Screen, leg_stage};

/// A dial unfinished after this long is no longer shown as live: its reports were lost, and
/// the attempts list says what is known.
const LIVE_FOR_MS: i64 = 10 * 60 * 1000;

/// A call back in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LiveCall {
    /// `ringing_operator` ("call me now" rings the operator's phone), `operator_answered` (they
    /// are hearing the request), `ringing` (the person called), `at_check` (answered, hearing
    /// the neutral check),
    /// `connected` (pressed 1: talking with the operator), `message` (no key; the neutral
    /// message is being left), `not_confirmed` (answered, no key, nothing said).
    pub state: &'static str,
    /// When the dial started, ms since the epoch.
    pub started_at: i64,
}

impl LiveCall {
    /// Where a request's call back stands at `now`: the latest of the ring of the operator's
    /// phone (`ring_at`, `ring_status`) and the latest `dial`; `None` once it ended (or went
    /// silent too long).
    pub fn now(
        dial: Option<&Dial>,
        ring_at: Option<i64>,
        ring_status: Option<&str>,
        now: i64,
    ) -> Option<LiveCall> {
        match (dial, ring_at) {
            (Some(d), Some(at)) if at > d.started_at => LiveCall::ring(at, ring_status, now),
            (Some(d), _) => LiveCall::of(d, now),
            (None, Some(at)) => LiveCall::ring(at, ring_status, now),
            (None, None) => None,
        }
    }

    fn ring(at: i64, status: Option<&str>, now: i64) -> Option<LiveCall> {
        let stage = status.and_then(leg_stage).unwrap_or(1);
        if stage >= 4 || now.saturating_sub(at) > LIVE_FOR_MS {
            return None;
        }
        let state = if stage == 3 {
            "operator_answered"
        } else {
            "ringing_operator"
        };
        Some(LiveCall {
            state,
            started_at: at,
        })
    }

    /// The state of `dial` at `now`, or `None` once it ended (or went silent too long).
    pub fn of(dial: &Dial, now: i64) -> Option<LiveCall> {
        if dial.ended_at.is_some() || now.saturating_sub(dial.started_at) > LIVE_FOR_MS {
            return None;
        }
        let state = match (dial.screen, dial.leg_status.as_deref()) {
            (Some(Screen::Confirmed), _) => "connected",
            (Some(Screen::Message), _) => "message",
            (Some(Screen::None), _) => "not_confirmed",
            (None, Some("in-progress")) => "at_check",
            (None, _) => "ringing",
        };
        Some(LiveCall {
            state,
            started_at: dial.started_at,
        })
    }

    /// The state in words, for operators.
    pub fn words(&self) -> &'static str {
        match self.state {
            "connected" => "Connected: the caller pressed 1 and is talking with the operator",
            "message" => "Nobody pressed 1: the neutral message is being left",
            "not_confirmed" => "Answered, but nobody pressed 1: the line is hanging up",
            "at_check" => "Answered: hearing the neutral check",
            "ringing_operator" => "Ringing the operator's phone",
            "operator_answered" => "The operator answered and is hearing the request",
            _ => "Ringing the caller",
        }
    }
}

/// What a call back changes on a request's page besides its live line: its status, who holds
/// it, its attempts. The page's script compares it with the mark it was drawn with, so an
/// operator never acts on buttons that no longer apply.
pub fn page_mark(request: &CallbackRequest, attempts: usize) -> String {
    format!(
        "{}.{}.{attempts}",
        request.status.as_str(),
        request.claimed_by.as_deref().unwrap_or("-"),
    )
}

impl Desk {
    /// Where the call back the line is placing for request `id` stands now, with the request's
    /// [`page_mark`]; it shows nothing of the caller, so it is not audited as a view.
    pub async fn live_call(
        &self,
        operator: &Operator,
        id: &str,
    ) -> Result<(Option<LiveCall>, String), DeskError> {
        let request = self.visible_request(operator, id).await?;
        let dial = self.store.latest_dial(id).await?;
        let ring = request.ring_status.as_deref();
        let live = LiveCall::now(dial.as_ref(), request.ring_at, ring, self.now());
        let attempts = self.store.attempts(id).await?.len();
        Ok((live, page_mark(&request, attempts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dial(screen: Option<Screen>, leg: Option<&str>, ended: Option<i64>) -> Dial {
        Dial {
            id: "d".into(),
            request_id: "r".into(),
            operator_id: "o".into(),
            started_at: 1_000,
            screen,
            dial_status: None,
            ended_at: ended,
            leg_status: leg.map(str::to_string),
        }
    }

    #[test]
    fn a_dial_moves_from_ringing_to_the_check_to_connected_and_then_is_no_longer_live() {
        let state = |d: &Dial| LiveCall::of(d, 2_000).map(|l| l.state);
        assert_eq!(state(&dial(None, None, None)), Some("ringing"));
        assert_eq!(state(&dial(None, Some("ringing"), None)), Some("ringing"));
        assert_eq!(
            state(&dial(None, Some("in-progress"), None)),
            Some("at_check")
        );
        let confirmed = dial(Some(Screen::Confirmed), Some("in-progress"), None);
        assert_eq!(state(&confirmed), Some("connected"));
        assert_eq!(
            state(&dial(Some(Screen::Confirmed), None, Some(1_500))),
            None
        );
        let forgotten = dial(None, Some("ringing"), None);
        assert_eq!(LiveCall::of(&forgotten, 1_000 + LIVE_FOR_MS + 1), None);
    }

    #[test]
    fn the_ring_of_the_operators_phone_comes_first_and_the_dial_after_it_takes_over() {
        let state =
            |d: Option<&Dial>, at, status| LiveCall::now(d, at, status, 2_000).map(|l| l.state);
        assert_eq!(
            state(None, Some(500), Some("ringing")),
            Some("ringing_operator")
        );
        assert_eq!(
            state(None, Some(500), Some("in-progress")),
            Some("operator_answered")
        );
        assert_eq!(state(None, Some(500), Some("no-answer")), None);
        let dialled = dial(None, Some("ringing"), None);
        assert_eq!(
            state(Some(&dialled), Some(500), Some("in-progress")),
            Some("ringing")
        );
        assert_eq!(
            state(Some(&dialled), Some(1_500), Some("ringing")),
            Some("ringing_operator")
        );
    }
}
