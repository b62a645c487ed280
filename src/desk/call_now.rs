//! "Call now" from the console or the API: the provider rings the operator's registered phone,
//! and when they answer, the operator line reads the request and dials it as it does for any
//! call back. A provider that refuses or does not answer changes nothing: no claim, no attempt.

use std::sync::Arc;

use super::offers::CallbackOffer;
use super::{Desk, DeskError};
use crate::callbacks::Status;
use crate::operators::Operator;
use crate::telephony::{OutboundCall, ProviderApi, ProviderError};

impl Desk {
    /// The desk, able to place calls through the provider's REST API.
    pub fn with_provider(mut self, provider: Option<Arc<ProviderApi>>) -> Desk {
        self.provider = provider;
        self
    }

    /// Rings the operator's phone for request `id`; `answer_url` is the operator line's
    /// webhook that reads the request when they answer, `status_url` (given the ring's start)
    /// where the provider reports how the ring goes.
    pub async fn call_now(
        &self,
        operator: &Operator,
        id: &str,
        answer_url: &str,
        status_url: impl Fn(i64) -> String,
    ) -> Result<(), DeskError> {
        let provider = self.provider.as_ref().ok_or_else(|| DeskError::Conflict {
            code: "not_configured",
            message: "calling from the console needs the provider's API settings \
                      (--twilio-account-sid, --twilio-api-key, --twilio-api-secret)"
                .into(),
        })?;
        let offer = self
            .offer_for(operator, id)
            .await?
            .ok_or_else(|| DeskError::Conflict {
                code: "not_due",
                message: "this request cannot be called back now".into(),
            })?;
        let phone =
            self.store
                .phone_of(&operator.id)
                .await?
                .ok_or_else(|| DeskError::Conflict {
                    code: "no_phone",
                    message: format!(
                        "register your phone first: hotline operators edit {} --phone",
                        operator.name
                    ),
                })?;
        let flows = self.flows.current();
        let from = flows
            .get(&offer.request.hotline)
            .and_then(|f| f.callbacks.caller_id.clone())
            .unwrap_or_default();
        let at = self.now();
        let status = status_url(at);
        let call = OutboundCall {
            to: &phone,
            from: &from,
            url: answer_url,
            status_callback: Some(&status),
        };
        // Recorded first: the provider may report the ring before it answers this request.
        self.store.start_ring(id, at).await?;
        let placed = provider.create_call(&call).await;
        if placed.is_err() {
            self.store.ring_progress(id, at, "failed").await?;
        }
        match placed {
            Ok(_) => {
                self.audit(operator, "ring_operator", id, "").await?;
                Ok(())
            }
            Err(error) => {
                // The provider's own message may quote the number it was asked to ring: only
                // the kind of failure is logged, the operator reads the rest.
                let kind = match &error {
                    ProviderError::Unavailable => "unavailable".to_string(),
                    ProviderError::Refused { status, .. } => format!("refused ({status})"),
                };
                tracing::warn!(kind, "call now: the provider did not place the call");
                Err(DeskError::Conflict {
                    code: "provider_error",
                    message: format!("{error}; nothing was changed, try again"),
                })
            }
        }
    }

    /// The provider reported how the ring of the operator's phone started at `ring_at` goes.
    pub async fn ring_reported(
        &self,
        request_id: &str,
        ring_at: i64,
        status: &str,
    ) -> Result<(), DeskError> {
        if crate::store::leg_stage(status).is_none() {
            return Err(DeskError::Invalid(
                "not a call status the provider sends".into(),
            ));
        }
        Ok(self
            .store
            .ring_progress(request_id, ring_at, status)
            .await?)
    }

    /// Request `id` as the operator line reads it, if it may be called back now.
    pub async fn offer_for(
        &self,
        operator: &Operator,
        id: &str,
    ) -> Result<Option<CallbackOffer>, DeskError> {
        let request = self.visible_request(operator, id).await?;
        if request.status != Status::Pending {
            return Ok(None);
        }
        match self.callable(&self.flows.current(), &request).await {
            Ok(()) => {}
            Err(DeskError::Store(error)) => return Err(DeskError::Store(error)),
            Err(_) => return Ok(None),
        }
        Ok(Some(self.offer_of(request)))
    }
}
