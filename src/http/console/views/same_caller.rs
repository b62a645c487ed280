//! What a request's page says about the caller's other requests (linked, with a warning when
//! someone works one now) and, for supervisors, whom its claim may be handed to.

use jiff::tz::TimeZone;

use super::when;
use crate::callbacks::Status;
use crate::desk::SameCaller;

/// Another request of the same caller.
pub struct SameCallerRow {
    /// Its page, when the operator works its category.
    pub href: Option<String>,
    /// Its category, or "another category".
    pub what: String,
    pub status: String,
    pub made: String,
}

/// A supervisor's choice of hands for a claimed request.
pub struct HandOverView {
    /// Who holds it now.
    pub holder: String,
    /// Who else may hold it.
    pub assignees: Vec<String>,
}

/// The rows, newest first.
pub fn rows(others: &[SameCaller], zone: &TimeZone) -> Vec<SameCallerRow> {
    others
        .iter()
        .map(|other| SameCallerRow {
            href: other
                .id
                .as_ref()
                .map(|id| format!("/operator/requests/{id}")),
            what: other
                .category_title
                .clone()
                .unwrap_or_else(|| "In a category you do not work".to_string()),
            status: status(other),
            made: when::instant(other.created_at, zone),
        })
        .collect()
}

/// The warning when someone else works one of the caller's other requests now: calling this
/// one too would ring the caller twice.
pub fn warning(others: &[SameCaller], me: &str) -> Option<String> {
    let worked = others
        .iter()
        .find(|o| o.being_worked() && o.claimed_by.as_deref() != Some(me))?;
    Some(match (&worked.claimed_by, &worked.category_title) {
        (Some(who), Some(what)) => format!(
            "{who} holds another request from this caller ({what}). Speak to {who} before you \
             call, so the caller is rung only once."
        ),
        _ => "Another request from this caller is being worked in a category you do not work. \
              Ask a supervisor who holds it before you call, so the caller is rung only once."
            .to_string(),
    })
}

fn status(other: &SameCaller) -> String {
    match (other.status, &other.claimed_by) {
        (Status::Pending, _) => "Waiting for a call back".to_string(),
        (Status::Claimed, Some(who)) => format!("Claimed by {who}"),
        (Status::Claimed, None) => "Being worked".to_string(),
        (closed, _) => format!("Closed ({closed})"),
    }
}
