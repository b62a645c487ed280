//! The calls `hotline doctor` makes through the public URL to prove the provider's path works:
//! answered like a new call, so the check covers the flows and the TwiML, and recorded nowhere,
//! so reports count callers only.

use super::{CallReport, Line};
use crate::engine::{self, CallContext, CallState, Event};
use crate::twiml;

/// How a check call's id starts. The provider's call ids are `CA` and hexadecimal digits, so
/// none of its calls can start so; only a request signed with the auth token reaches the line.
pub const CHECK_CALL_PREFIX: &str = "CAdoctor";

/// Whether `call_sid` names a configuration check rather than a caller.
pub fn is_check_call(call_sid: &str) -> bool {
    call_sid.starts_with(CHECK_CALL_PREFIX)
}

impl Line {
    /// What a caller to the dialled number would hear first, with no call record, no abuse
    /// check and no metrics.
    pub(super) fn answer_check(&self, call: &CallReport<'_>) -> twiml::Response {
        let flow = self
            .flows
            .current()
            .for_number(call.to.unwrap_or_default())
            .clone();
        let state = CallState::new(&flow.id, &flow.start, &flow.default_language().id);
        let ctx = CallContext {
            caller: call.from,
            now: self.clock.now(),
            links: &self.links,
            staffed: None,
        };
        tracing::info!(hotline = %flow.id, "answered a configuration check; not recorded");
        engine::step(&flow, &state, Event::Start, &ctx).response
    }
}
