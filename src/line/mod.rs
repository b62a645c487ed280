//! The callers' side of the line, without HTTP: what the server does when the provider reports
//! something about a call. It finds the call's hotline, turns away callers the flow or the
//! staff's block list refuses, tells the engine who is available when the flow asks for staff,
//! asks the engine what to answer, estimates waits, and saves the call log, durably when the
//! answer promises it. `http/voice.rs` only maps requests onto it; `desk/` is its twin for
//! operators.

mod arrival;
mod call_log;
mod check_call;
mod presence;

use std::sync::Arc;

use crate::catalog::library::Flows;
use crate::clock::Clock;
use crate::engine::{self, CallContext, CallState, Event, Hold, Outcome};
use crate::flow::Flow;
use crate::operators::block_key::BlockKey;
use crate::operators::caller_key::CallerKey;
use crate::store::{CallWrite, Store, StoreError};
use crate::twiml;
pub use check_call::{CHECK_CALL_PREFIX, is_check_call};

/// How long a call on the callback path may go without a webhook before the line takes it
/// for ended: far longer than any prompt, gather or recording a flow allows.
const FORGOTTEN_AFTER_MS: i64 = 3_600_000;

/// The callers' use case, cheap to clone.
#[derive(Clone)]
pub struct Line {
    flows: Flows,
    store: Arc<dyn Store>,
    links: Arc<engine::Links>,
    clock: Clock,
    caller_key: Option<CallerKey>,
    block_key: BlockKey,
    presence: presence::PresenceCache,
}

/// What the provider said about a call, as far as the line needs it.
#[derive(Debug, Clone, Copy)]
pub struct CallReport<'a> {
    /// The provider's call id.
    pub call_sid: &'a str,
    /// The query string of the URL it requested: the call state the server wrote there.
    pub query: &'a str,
    /// The caller's number as the provider gave it (may be withheld).
    pub from: Option<&'a str>,
    /// The number that was dialled.
    pub to: Option<&'a str>,
}

/// What happened to the call since the last report.
#[derive(Debug, Clone)]
pub enum Moment {
    /// The call has just arrived.
    Arrived,
    /// A hold poll: the caller waits in a queue.
    Holding {
        /// Place in the queue.
        position: Option<u32>,
        /// Seconds waited so far.
        wait_seconds: Option<u32>,
    },
    /// The caller (or the provider for them) did something at the state's node.
    Did(Event),
}

/// Why a report could not be answered normally; the caller then hears the fallback.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    State(#[from] engine::StateError),
    #[error("hotline `{0}` from the URL is not loaded")]
    UnknownHotline(String),
    #[error("saving the call failed: {0}")]
    Storage(#[from] StoreError),
}

impl Failure {
    /// Whether the database still works, so the fallback may promise a callback request.
    pub fn storage_ok(&self) -> bool {
        !matches!(self, Failure::Storage(_))
    }
}

impl Line {
    pub fn new(
        flows: Flows,
        store: Arc<dyn Store>,
        links: Arc<engine::Links>,
        clock: Clock,
        caller_key: Option<CallerKey>,
        block_key: BlockKey,
    ) -> Line {
        Line {
            flows,
            store,
            links,
            clock,
            caller_key,
            block_key,
            presence: presence::PresenceCache::default(),
        }
    }

    /// The answer to one report, with the call log saved as the answer requires.
    pub async fn answer(
        &self,
        call: &CallReport<'_>,
        moment: Moment,
    ) -> Result<twiml::Response, Failure> {
        if matches!(moment, Moment::Arrived) && is_check_call(call.call_sid) {
            return Ok(self.answer_check(call));
        }
        let now = self.clock.now();
        let (flow, state, mut writes) = match moment {
            Moment::Arrived => self.start_call(call, now),
            _ => {
                let state = self.links.state_of(call.query)?;
                let flow = self.flow_of(&state)?;
                state.fits(&flow)?;
                (flow, state, Vec::new())
            }
        };
        // A hold poll never reaches a triage node: the caller is already queued.
        let staffed = match moment {
            Moment::Holding { .. } => None,
            _ => self.staffed(&flow).await,
        };
        let ctx = CallContext {
            caller: call.from,
            now,
            links: &self.links,
            staffed: staffed.as_ref(),
        };
        let outcome = match moment {
            Moment::Arrived => match self.turned_away(&flow, call, now).await {
                Some(why) => engine::turn_away(&flow, &state, why, &ctx),
                None => engine::step(&flow, &state, Event::Start, &ctx),
            },
            Moment::Holding {
                position,
                wait_seconds,
            } => {
                let estimate_seconds = self.estimate(&state, position, now).await;
                let hold = Hold {
                    position,
                    wait_seconds,
                    estimate_seconds,
                };
                engine::hold(&flow, &state, hold, &ctx)
            }
            Moment::Did(event) => engine::step(&flow, &state, event, &ctx),
        };
        log_outcome(&outcome);
        let at = now.as_millisecond();
        writes.extend(call_log::writes(call.call_sid, &flow.id, at, &outcome));
        let durable = outcome.must_be_durable();
        call_log::save(self.store.as_ref(), call.call_sid, writes, durable).await?;
        Ok(outcome.response)
    }

    /// What the caller hears when the answer failed, in the call's own flow and language when
    /// they can be recovered. A caller `waiting` in a queue hears only what a queue allows.
    pub fn fallback(
        &self,
        call: &CallReport<'_>,
        waiting: bool,
        storage_ok: bool,
    ) -> twiml::Response {
        let state = self.links.state_of(call.query).ok();
        let flow = state
            .as_ref()
            .and_then(|s| self.flows.for_call(&s.hotline, s.version.as_deref()))
            .unwrap_or_else(|| {
                Arc::clone(self.flows.current().for_number(call.to.unwrap_or_default()))
            });
        let state = state.filter(|s| s.hotline == flow.id);
        if waiting {
            return engine::fallback_while_waiting(&flow, state.as_ref());
        }
        let staffed = self.staffed_as_read(&flow);
        let ctx = CallContext {
            caller: call.from,
            now: self.clock.now(),
            links: &self.links,
            staffed: staffed.as_ref(),
        };
        engine::fallback(&flow, state.as_ref(), &ctx, storage_ok)
    }

    /// The provider's status callback: the call ended (or progressed). Recorded in the
    /// background; a failure is logged and counted, since nobody hears about it.
    pub async fn status(
        &self,
        call_sid: &str,
        status: &str,
        duration_seconds: Option<i64>,
        sequence: Option<i64>,
    ) {
        let at = self.clock.now().as_millisecond();
        let mut writes = vec![CallWrite::CallEnded {
            call_sid: call_sid.to_string(),
            status: status.to_string(),
            duration_seconds,
            sequence,
            at,
        }];
        // Queued behind the call's earlier writes, so it sees everything the caller gave.
        if crate::store::TERMINAL_STATUSES.contains(&status) {
            writes.push(CallWrite::SettleUnfinished {
                call_sid: call_sid.to_string(),
                at,
            });
        }
        if let Err(e) = self.store.write_soon(writes).await {
            metrics::counter!("hotline_store_errors_total").increment(1);
            tracing::error!(error = %e, "could not record the end of the call");
        }
    }

    /// Settles the unfinished requests of calls whose end was never reported: a lost status
    /// callback must not lose what a caller gave. Returns how many were settled.
    pub async fn settle_forgotten(&self) -> Result<usize, StoreError> {
        let now = self.clock.now().as_millisecond();
        let quiet_since = now - FORGOTTEN_AFTER_MS;
        let calls = self.store.forgotten_unfinished(quiet_since).await?;
        let writes: Vec<CallWrite> = calls
            .into_iter()
            .map(|call_sid| CallWrite::SettleUnfinished { call_sid, at: now })
            .collect();
        let settled = writes.len();
        self.store.write(writes).await?;
        Ok(settled)
    }

    fn flow_of(&self, state: &CallState) -> Result<Arc<Flow>, Failure> {
        self.flows
            .for_call(&state.hotline, state.version.as_deref())
            .ok_or_else(|| Failure::UnknownHotline(state.hotline.clone()))
    }
}

fn log_outcome(outcome: &Outcome) {
    for effect in &outcome.effects {
        if let engine::Effect::Step { node, outcome, .. } = effect {
            tracing::debug!(node = %node, outcome = %outcome, "step");
        }
    }
}
