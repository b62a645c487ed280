//! Call backs the line places itself, from the operator line: claiming the offered request
//! with its dial before the provider is told to ring, what the person called did at the
//! neutral check, and the attempt each dial records, once (`offers.rs` picks the request). The TwiML is in
//! `operator_line`; the routes are in `http/operator_line.rs`.

use std::sync::Arc;

use super::{Desk, DeskError};
use crate::callbacks::{Outcome, Status};
use crate::flow::Flow;
use crate::flow::model::Prompt;
use crate::operators::Operator;
use crate::operators::credentials::digest;
use crate::store::{CallbackRequest, Claim, Completion, Dial, Screen, leg_stage};

/// A dial the line is about to place.
#[derive(Debug, Clone)]
pub struct PlacedCall {
    pub dial_id: String,
    /// The number to ring.
    pub number: String,
    /// The number they see: the hotline's, never the operator's.
    pub caller_id: String,
}

/// What the person called hears at the neutral check, in their language.
#[derive(Debug, Clone)]
pub struct Check {
    pub flow: Arc<Flow>,
    pub language: String,
    pub screen: Prompt,
    /// The neutral message, only when the caller said a message is safe.
    pub voicemail: Option<Prompt>,
}

/// How a dial ended, for the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialResult {
    /// The person pressed the key and was connected: the operator closes the request.
    Reached,
    /// Not reached; the attempt was recorded (the request goes back, or is unreachable).
    /// `message_left` when the neutral message was left.
    NotReached { status: Status, message_left: bool },
}

impl Desk {
    /// Claims the request for this operator and records the dial, before anything rings. The
    /// dial is named by the operator's call (`call_sid`), the request and its attempt, so the
    /// provider retrying the 1 gets the same dial back rather than a second one.
    pub async fn start_callback(
        &self,
        operator: &Operator,
        request_id: &str,
        call_sid: &str,
    ) -> Result<PlacedCall, DeskError> {
        let request = self.visible_request(operator, request_id).await?;
        let flows = self.flows.current();
        self.callable(&flows, &request).await?;
        let caller_id = flows
            .get(&request.hotline)
            .and_then(|f| f.callbacks.caller_id.clone())
            .unwrap_or_default();
        let now = self.now();
        let attempt = request.no_answer_attempts;
        let named = digest(&format!("{call_sid}/{request_id}/{attempt}"));
        let dial_id = named.chars().take(32).collect::<String>();
        let claim = Claim {
            request_id: request_id.to_string(),
            operator_id: operator.id.clone(),
            at: now,
            stale_before: now.saturating_sub(self.claim_timeout_ms()),
        };
        self.store.start_dial(&claim, &dial_id).await?;
        Ok(PlacedCall {
            dial_id,
            number: request.phone_number,
            caller_id,
        })
    }

    /// What the person called hears at the neutral check of `dial_id`.
    pub async fn check_for(&self, dial_id: &str) -> Result<Check, DeskError> {
        let (request, flow) = self.dialled(dial_id).await?;
        let screen = flow
            .callbacks
            .screen
            .clone()
            .ok_or(DeskError::NotFound("check"))?;
        let voicemail = flow
            .callbacks
            .voicemail
            .clone()
            .filter(|_| request.safe_to_leave_message == Some(true));
        Ok(Check {
            language: request.language,
            flow,
            screen,
            voicemail,
        })
    }

    /// Records what the person called did at the check: pressed the key (`confirmed`), or not,
    /// in which case the neutral message is left only where the caller said it is safe.
    pub async fn screened(&self, dial_id: &str, confirmed: bool) -> Result<Check, DeskError> {
        let check = self.check_for(dial_id).await?;
        let screen = match (confirmed, check.voicemail.is_some()) {
            (true, _) => Screen::Confirmed,
            (false, true) => Screen::Message,
            (false, false) => Screen::None,
        };
        self.store.screen_dial(dial_id, screen).await?;
        Ok(check)
    }

    /// Records how the dial ended (the provider's `DialCallStatus`). An unreached call is an
    /// attempt nobody answered; a retried report counts once.
    pub async fn dial_ended(
        &self,
        operator: &Operator,
        dial_id: &str,
        dial_status: &str,
    ) -> Result<DialResult, DeskError> {
        let dial = self.dial_of(dial_id).await?;
        if dial.operator_id != operator.id {
            return Err(DeskError::NotFound("dial"));
        }
        self.settle_dial(operator, &dial, dial_status).await
    }

    /// The provider reported how far the leg of the person called has come. A final status
    /// ends the dial as its result would, so an operator who hung up mid-dial loses no
    /// attempt; whichever report comes first counts.
    pub async fn dial_leg(&self, dial_id: &str, call_status: &str) -> Result<(), DeskError> {
        let Some(stage) = leg_stage(call_status) else {
            return Err(DeskError::Invalid(
                "not a call status the provider sends".into(),
            ));
        };
        let dial = self.dial_of(dial_id).await?;
        self.store.dial_progress(dial_id, call_status).await?;
        if stage < 4 {
            return Ok(());
        }
        let operator = self
            .store
            .operator(&dial.operator_id)
            .await?
            .ok_or(DeskError::NotFound("operator"))?;
        self.settle_dial(&operator, &dial, call_status).await?;
        Ok(())
    }

    async fn dial_of(&self, dial_id: &str) -> Result<Dial, DeskError> {
        self.store
            .dial(dial_id)
            .await?
            .ok_or(DeskError::NotFound("dial"))
    }

    /// Ends `dial` with the provider's final `status` and records its attempt, once.
    async fn settle_dial(
        &self,
        operator: &Operator,
        dial: &Dial,
        status: &str,
    ) -> Result<DialResult, DeskError> {
        let first = self.store.end_dial(&dial.id, status, self.now()).await?;
        let (outcome, notes) = attempt_of(dial.screen, status);
        if !outcome.reached_nobody() {
            return Ok(DialResult::Reached);
        }
        let request = self.visible_request(operator, &dial.request_id).await?;
        let message_left = outcome == Outcome::LeftMessage;
        if !first || request.status != Status::Claimed {
            return Ok(DialResult::NotReached {
                status: request.status,
                message_left,
            });
        }
        let completion = Completion {
            request_id: dial.request_id.clone(),
            operator_id: operator.id.clone(),
            outcome,
            notes: notes.to_string(),
            at: self.now(),
            policy: self.policy_for(&request.hotline),
        };
        let done = self.store.complete(&completion).await?;
        super::count_attempt(outcome, "line");
        Ok(DialResult::NotReached {
            status: done.status,
            message_left,
        })
    }

    /// Records the outcome of a call back the operator line placed and the operator reached.
    pub async fn close_dialled(
        &self,
        operator: &Operator,
        id: &str,
        outcome: Outcome,
    ) -> Result<CallbackRequest, DeskError> {
        let notes = "closed on the operator line";
        self.complete_by(operator, id, outcome, notes, "line").await
    }

    async fn dialled(&self, dial_id: &str) -> Result<(CallbackRequest, Arc<Flow>), DeskError> {
        let dial = self.dial_of(dial_id).await?;
        let request = self
            .store
            .callback_request(&dial.request_id)
            .await?
            .ok_or(DeskError::NotFound("callback request"))?;
        let flow = self
            .flows
            .current()
            .get(&request.hotline)
            .map(Arc::clone)
            .ok_or(DeskError::NotFound("hotline"))?;
        Ok((request, flow))
    }
}

/// The attempt a dial records, from the check and the provider's `DialCallStatus`.
fn attempt_of(screen: Option<Screen>, dial_status: &str) -> (Outcome, &'static str) {
    match (screen, dial_status) {
        (Some(Screen::Confirmed), _) => (Outcome::Reached, ""),
        (Some(Screen::Message), _) => (Outcome::LeftMessage, "neutral message left by the line"),
        (_, "busy") => (Outcome::NoAnswer, "busy"),
        (_, "no-answer") => (Outcome::NoAnswer, "no answer"),
        (_, "failed" | "canceled") => (Outcome::NoAnswer, "the call failed"),
        _ => (Outcome::NoAnswer, "answered, but the key was not pressed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_pressed_key_counts_as_reached() {
        assert_eq!(
            attempt_of(Some(Screen::Confirmed), "completed").0,
            Outcome::Reached
        );
        for status in [
            "completed",
            "answered",
            "busy",
            "no-answer",
            "failed",
            "canceled",
        ] {
            assert_ne!(attempt_of(None, status).0, Outcome::Reached, "{status}");
            assert_ne!(attempt_of(Some(Screen::None), status).0, Outcome::Reached);
        }
        assert_eq!(attempt_of(None, "busy").1, "busy");
        assert_eq!(
            attempt_of(Some(Screen::Message), "completed").0,
            Outcome::LeftMessage
        );
    }
}
