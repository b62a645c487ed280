//! When the desk lets a callback request be called: the hotline's calling hours and the gap
//! after the last attempt (`callbacks::pacing`), applied to stored requests, and told to the
//! operator in words.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::callbacks::pacing::{Due, Wait};
use crate::catalog::FlowSet;
use crate::store::CallbackRequest;

/// When `request` may be called, by its hotline's pacing (the defaults when the hotline is no
/// longer loaded). `now` and the request's times are ms since the epoch.
pub(super) fn due(flows: &FlowSet, request: &CallbackRequest, now: i64) -> Due {
    let flow = flow_of(flows, request);
    let instant = |ms: i64| Timestamp::from_millisecond(ms).ok();
    let (Some(now), last) = (instant(now), request.last_attempt_at.and_then(instant)) else {
        return Due::Now;
    };
    let pacing = &flow.callbacks.pacing;
    pacing.due(now, &flow.time_zone, last, request.call_time)
}

/// The time zone of the request's hotline (the default hotline's when it is no longer loaded).
pub(super) fn zone_of(flows: &FlowSet, request: &CallbackRequest) -> TimeZone {
    flow_of(flows, request).time_zone.clone()
}

/// The request's hotline, or the default one when it is no longer loaded.
fn flow_of<'a>(flows: &'a FlowSet, request: &CallbackRequest) -> &'a crate::flow::Flow {
    flows
        .get(&request.hotline)
        .unwrap_or_else(|| flows.default_flow())
}

/// A request that may not be called yet, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct NotBefore {
    /// The first instant it may be called, ms since the epoch.
    pub at: i64,
    /// `calling_hours` (it is night in the hotline's zone), `caller_time` (outside the part
    /// of the day the caller asked for) or `gap` (the last attempt was too recent).
    pub why: &'static str,
}

impl NotBefore {
    pub(super) fn of(due: Due) -> Option<NotBefore> {
        match due {
            Due::Now => None,
            Due::After { at, why } => Some(NotBefore {
                at: at.as_millisecond(),
                why: match why {
                    Wait::Gap => "gap",
                    Wait::CallingHours => "calling_hours",
                    Wait::CallerTime => "caller_time",
                },
            }),
        }
    }
}

/// Why a request may not be claimed yet, for the operator.
pub(super) fn not_due_message(not_before: NotBefore, zone: &jiff::tz::TimeZone) -> String {
    let when = jiff::Timestamp::from_millisecond(not_before.at)
        .map(|t| {
            t.to_zoned_datetime(zone.clone())
                .strftime("%H:%M on %a %-d %b")
                .to_string()
        })
        .unwrap_or_default();
    let why = match not_before.why {
        "gap" => "the last call back was too recent",
        "caller_time" => "the caller asked to be called at another time of day",
        _ => "it is outside the hotline's calling hours",
    };
    format!("This request may be called from {when}: {why}.")
}
