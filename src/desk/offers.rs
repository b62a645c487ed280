//! Which callback request the operator line offers next: pending, in the operator's
//! categories, due by its hotline's pacing, dialable, under the number's daily cap, and not
//! being read to another operator; held for the operator while it is read.

use std::sync::Arc;

use super::{Desk, DeskError, pacing};
use crate::callbacks::Status;
use crate::callbacks::pacing::Due;
use crate::catalog::FlowSet;
use crate::flow::Flow;
use crate::operators::Operator;
use crate::store::{CallbackFilter, CallbackRequest, Order};

/// The window of the per-number cap on calls back.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Pending requests read at a time while looking for the next one to offer.
const PAGE: i64 = 20;
/// The most pending requests looked at to find it.
const LOOK_AHEAD: i64 = 200;

/// How long a request read to one operator on the line is kept from the others: the reading
/// and the ten seconds to choose, with room to spare. A hold that lapses is simply ignored.
const OFFER_HOLD_MS: i64 = 60_000;

/// Holds lost to another operator between the pick and the update before this page is given up
/// (the next look tries again).
const MAX_RACES: u32 = 1;

/// A request the operator line reads out before the operator decides to call.
#[derive(Debug, Clone)]
pub struct CallbackOffer {
    pub request: CallbackRequest,
    /// The category, as the operator should hear it.
    pub category_label: String,
    /// The language's name.
    pub language_name: String,
    /// The attempt this call would be: 1 for the first.
    pub attempt: i64,
    /// Minutes since the caller first called.
    pub minutes_waiting: i64,
}

impl Desk {
    /// The request the operator should call next: pending, in their categories, due by its
    /// hotline's pacing, dialable, of a hotline that can place call backs, and not being read
    /// to another operator; by priority, then by when the caller first called. It is held for
    /// this operator while it is read. `skipped` were declined on this call.
    pub async fn next_callback(
        &self,
        operator: &Operator,
        skipped: &[String],
    ) -> Result<Option<CallbackOffer>, DeskError> {
        let now = self.now();
        let mut filter = CallbackFilter {
            statuses: vec![Status::Pending],
            categories: operator.category_filter().map(<[String]>::to_vec),
            not_held_for_others: Some((operator.id.clone(), now)),
            order: Order::Worklist,
            limit: Some(PAGE),
            ..CallbackFilter::default()
        };
        while filter.offset < LOOK_AHEAD {
            let page = self.store.callback_requests(&filter).await?;
            let last_page = page.len() < PAGE as usize;
            let fresh = page.into_iter().filter(|r| !skipped.contains(&r.id));
            if let Some(offer) = self.first_offerable(operator, fresh, now).await? {
                return Ok(Some(offer));
            }
            if last_page {
                break;
            }
            filter.offset += PAGE;
        }
        Ok(None)
    }

    /// The first of `candidates` the line may call now, held for `operator`. The rules that
    /// need no database pick the candidates, one statement holds the first still free, and
    /// only that one's number is checked against the daily cap: operators on the line at once
    /// do not queue behind each other trying the same requests one by one.
    async fn first_offerable(
        &self,
        operator: &Operator,
        candidates: impl Iterator<Item = CallbackRequest>,
        now: i64,
    ) -> Result<Option<CallbackOffer>, DeskError> {
        let flows = self.flows.current();
        let mut left: Vec<CallbackRequest> = candidates
            .filter(|r| self.placeable_now(&flows, r).is_ok())
            .collect();
        let until = now.saturating_add(OFFER_HOLD_MS);
        let mut raced = 0;
        while !left.is_empty() {
            let ids: Vec<String> = left.iter().map(|r| r.id.clone()).collect();
            let held = self
                .store
                .hold_first_offer(&ids, &operator.id, now, until)
                .await?;
            let Some(position) = held.and_then(|id| left.iter().position(|r| r.id == id)) else {
                // On PostgreSQL another operator can take the request picked between the
                // pick and the update: then nothing is held although others may be free.
                raced += 1;
                if raced > MAX_RACES {
                    return Ok(None);
                }
                continue;
            };
            let request = left.remove(position);
            if self.over_daily_cap(&flows, &request).await? {
                self.store.drop_offer(&request.id, &operator.id).await?;
                continue;
            }
            return Ok(Some(self.offer_of(request)));
        }
        Ok(None)
    }

    /// The operator declined the request read to them: others may be offered it at once.
    pub async fn decline_offer(
        &self,
        operator: &Operator,
        request_id: &str,
    ) -> Result<(), DeskError> {
        Ok(self.store.drop_offer(request_id, &operator.id).await?)
    }

    /// Whether the line may place a call back for `request` now: one rule for offering it on
    /// the line, for "call me now" and for dialling it. The refusal says why.
    pub(super) async fn callable(
        &self,
        flows: &FlowSet,
        request: &CallbackRequest,
    ) -> Result<(), DeskError> {
        self.placeable_now(flows, request)?;
        if self.over_daily_cap(flows, request).await? {
            return Err(DeskError::Conflict {
                code: "daily_cap",
                message: "this number was called back as often as the line allows today".into(),
            });
        }
        Ok(())
    }

    /// The part of [`Desk::callable`] that needs no database: the hotline can place call
    /// backs, the number is dialable, and the request is due by its pacing.
    fn placeable_now(&self, flows: &FlowSet, request: &CallbackRequest) -> Result<(), DeskError> {
        let placeable = flows.get(&request.hotline).is_some_and(|f| can_place(f));
        if !(placeable && request.dialable) {
            return Err(DeskError::Invalid(
                "this request cannot be called from the line".into(),
            ));
        }
        if pacing::due(flows, request, self.now()) != Due::Now {
            return Err(DeskError::Conflict {
                code: "not_due",
                message: "this request may not be called now".into(),
            });
        }
        Ok(())
    }

    /// The request as the operator line reads it.
    pub(super) fn offer_of(&self, request: CallbackRequest) -> CallbackOffer {
        let flows = self.flows.current();
        let flow = flows.get(&request.hotline).map(Arc::clone);
        let language_name = flow.as_ref().map_or(request.language.clone(), |f| {
            f.language(&request.language).name.clone()
        });
        CallbackOffer {
            category_label: self.category_label(&request.category),
            language_name,
            attempt: request.no_answer_attempts + 1,
            minutes_waiting: (self.now() - request.waiting_since).max(0) / 60_000,
            request,
        }
    }

    /// Whether the line already rang this request's number as often as its flow allows in
    /// the last 24 hours (counting the dials of every request with that number).
    async fn over_daily_cap(
        &self,
        flows: &FlowSet,
        request: &CallbackRequest,
    ) -> Result<bool, DeskError> {
        let Some(flow) = flows.get(&request.hotline) else {
            return Ok(false);
        };
        let since = self.now() - DAY_MS;
        let dials = self.store.dials_to(&request.phone_number, since).await?;
        Ok(dials >= i64::from(flow.callbacks.max_calls_per_number_per_day))
    }
}

/// Whether the line can place a call back for this hotline: it has the neutral check and a
/// number of its own to show.
fn can_place(flow: &Flow) -> bool {
    flow.callbacks.screen.is_some() && flow.callbacks.caller_id.is_some()
}
