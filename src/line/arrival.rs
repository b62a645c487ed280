//! What the line looks up about a caller, beyond the engine: at a call's start, the hotline
//! for the dialled number, the call record and whether the flow or the staff's block list
//! turns the caller away; in a queue, the estimated wait.

use std::sync::Arc;

use super::{CallReport, Line};
use crate::engine::CallState;
use crate::engine::abuse::{self, Standing, TurnAway};
use crate::flow::Flow;
use crate::privacy::MaskedPhone;
use crate::store::{CallWrite, NewCall};

/// Waits of callers answered in the last this-many milliseconds inform the estimate.
const ESTIMATE_WINDOW_MS: i64 = 2 * 60 * 60 * 1000;
/// How many of the latest answered waits inform the estimate.
const ESTIMATE_SAMPLE: i64 = 20;
/// The longest a new call waits for the block list; an indexed read takes far less.
const BLOCK_LOOKUP_LIMIT: std::time::Duration = std::time::Duration::from_millis(500);

impl Line {
    /// A new call: its hotline by the dialled number, its first state and its call record.
    pub(super) fn start_call(
        &self,
        call: &CallReport<'_>,
        now: jiff::Timestamp,
    ) -> (Arc<Flow>, CallState, Vec<CallWrite>) {
        let to = call.to.unwrap_or_default();
        let flow = self.flows.current().for_number(to).clone();
        let language = flow.default_language().id.clone();
        let from = call.from;
        tracing::info!(hotline = %flow.id, from = %MaskedPhone(from.unwrap_or_default()), "call started");
        metrics::counter!("hotline_calls_total", "hotline" => flow.id.clone()).increment(1);
        let caller_hash = from
            .filter(|n| abuse::is_phone_number(n))
            .zip(self.caller_key.as_ref())
            .map(|(number, key)| key.hash(number));
        let start = CallWrite::StartCall(NewCall {
            caller_hash,
            call_sid: call.call_sid.to_string(),
            hotline: flow.id.clone(),
            flow_version: flow.version.clone(),
            from_number: from.map(str::to_string),
            to_number: Some(to.to_string()),
            language: language.clone(),
            started_at: now.as_millisecond(),
        });
        let mut state = CallState::new(&flow.id, &flow.start, &language);
        state.version = Some(flow.version.clone());
        (flow, state, vec![start])
    }

    /// Whether the flow's `[abuse]` settings or the staff's block list turn this caller away.
    /// When the database cannot say how often they called, or whether they are blocked, they
    /// are let in: a caller in need matters more than a nuisance.
    pub(super) async fn turned_away(
        &self,
        flow: &Flow,
        call: &CallReport<'_>,
        now: jiff::Timestamp,
    ) -> Option<TurnAway> {
        let number = call.from.filter(|c| abuse::is_phone_number(c))?;
        let settings = flow.abuse.as_ref();
        let limited = settings.and_then(|s| s.max_calls_per_hour).is_some();
        let (earlier, blocked_by_staff) = tokio::join!(
            self.calls_this_hour(number, limited, call.call_sid, now),
            self.blocked_by_staff(number, now)
        );
        let standing = Standing {
            calls_this_hour: earlier,
            blocked_by_staff,
        };
        let why = abuse::verdict(settings, Some(number), standing)?;
        tracing::info!(reason = why.reason(), from = %MaskedPhone(number), "caller turned away");
        metrics::counter!("hotline_calls_turned_away_total", "hotline" => flow.id.clone())
            .increment(1);
        Some(why)
    }

    /// Earlier calls from `number` in the hour before `now`; 0 when the flow sets no limit.
    async fn calls_this_hour(
        &self,
        number: &str,
        limited: bool,
        call_sid: &str,
        now: jiff::Timestamp,
    ) -> u32 {
        if !limited {
            return 0;
        }
        let since = now.as_millisecond() - 3600 * 1000;
        match self.store.calls_from(number, since, call_sid).await {
            Ok(n) => u32::try_from(n).unwrap_or(u32::MAX),
            Err(error) => {
                tracing::warn!(%error, "abuse limit not checked: the database did not answer");
                0
            }
        }
    }

    /// Whether a supervisor's block on `number` is in force: one lookup by its keyed tag, given
    /// at most [`BLOCK_LOOKUP_LIMIT`], since every caller waits for it and a slow database
    /// must not cost them the first menu.
    async fn blocked_by_staff(&self, number: &str, now: jiff::Timestamp) -> bool {
        let tag = self.block_key.tag(number);
        let lookup = self.store.is_blocked(&tag, now.as_millisecond());
        match tokio::time::timeout(BLOCK_LOOKUP_LIMIT, lookup).await {
            Ok(Ok(blocked)) => blocked,
            Ok(Err(error)) => {
                tracing::warn!(%error, "block list not checked: the database did not answer");
                false
            }
            Err(_) => {
                tracing::warn!("block list not checked: the database was too slow");
                false
            }
        }
    }

    /// The estimated wait for a caller at `position`, from recent answered waits in the
    /// caller's category. Without one (or when the database cannot say) the caller simply
    /// hears none.
    pub(super) async fn estimate(
        &self,
        state: &CallState,
        position: Option<u32>,
        now: jiff::Timestamp,
    ) -> Option<u32> {
        let (category, position) = (state.category.as_ref()?, position?);
        let since = now.as_millisecond() - ESTIMATE_WINDOW_MS;
        let waits = match self
            .store
            .recent_waits(category, since, ESTIMATE_SAMPLE)
            .await
        {
            Ok(waits) => waits,
            Err(error) => {
                tracing::warn!(%error, "no wait estimate: recent waits unavailable");
                return None;
            }
        };
        let waits: Vec<u32> = waits
            .into_iter()
            .filter_map(|w| u32::try_from(w).ok())
            .collect();
        crate::triage::estimate::estimate_wait(&waits, position)
    }
}
