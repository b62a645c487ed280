//! The pages of what is over: closed callback requests and past calls found by period,
//! category, outcome and number, and the audit log with its filters.

use askama::Template;
use jiff::tz::TimeZone;

use super::pages::Frame;
use super::when;
use crate::callbacks::Outcome;
use crate::desk::Desk;
use crate::privacy::MaskedPhone;
use crate::store::{CallRecord, CallbackRequest};

/// `/operator/history`.
#[derive(Template)]
#[template(path = "console/history.html")]
pub struct HistoryPage {
    pub frame: Frame,
    /// The first and last day searched, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// `(id, title)` of the categories the operator may search.
    pub categories: Vec<(String, String)>,
    pub category: String,
    /// `(value, label)` of the outcomes.
    pub outcomes: Vec<(&'static str, &'static str)>,
    pub outcome: String,
    /// The number searched for, as typed.
    pub number: String,
    /// For the search form, which is posted so the number stays out of URLs.
    pub csrf: String,
    pub requests: Vec<ClosedRow>,
    pub calls: Vec<CallRow>,
}

/// A closed request.
pub struct ClosedRow {
    pub href: String,
    pub closed: String,
    pub category: String,
    pub outcome: String,
    pub attempts: i64,
}

/// A past call.
pub struct CallRow {
    pub started: String,
    pub category: String,
    /// The caller's number, masked: the request's page shows it in full (audited).
    pub from: String,
    pub ended: String,
    pub duration: String,
}

/// Every outcome, for the filter.
pub fn outcome_choices() -> Vec<(&'static str, &'static str)> {
    Outcome::ALL
        .iter()
        .map(|o| (o.as_str(), o.label()))
        .collect()
}

pub fn closed_row(request: &CallbackRequest, desk: &Desk, zone: &TimeZone) -> ClosedRow {
    let outcome = request.outcome.map_or("closed", Outcome::label);
    ClosedRow {
        href: format!("/operator/requests/{}", request.id),
        closed: request
            .closed_at
            .map_or_else(String::new, |at| when::instant(at, zone)),
        category: desk.category_title(&request.category),
        outcome: format!("{outcome} ({})", request.status),
        attempts: request.no_answer_attempts,
    }
}

pub fn call_row(call: &CallRecord, desk: &Desk, zone: &TimeZone) -> CallRow {
    CallRow {
        started: when::instant(call.started_at, zone),
        category: call
            .category
            .as_deref()
            .map_or_else(|| "none chosen".to_string(), |c| desk.category_title(c)),
        from: call
            .from_number
            .as_deref()
            .map_or_else(|| "withheld".to_string(), |n| MaskedPhone(n).to_string()),
        ended: call.status.replace('-', " "),
        duration: call
            .duration_seconds
            .map_or_else(|| "not known".to_string(), when::wait),
    }
}

/// `/operator/audit`.
#[derive(Template)]
#[template(path = "console/audit.html")]
pub struct AuditPage {
    pub frame: Frame,
    pub rows: Vec<AuditRow>,
    /// The filters as chosen: dates, an operator's name, an action.
    pub from: String,
    pub to: String,
    pub operators: Vec<String>,
    pub operator: String,
    pub actions: &'static [&'static str],
    pub action: String,
}

/// One audit entry.
pub struct AuditRow {
    pub when: String,
    pub when_iso: String,
    pub who: String,
    pub action: String,
    pub subject: String,
    /// The page of what it is about (a request, the block list, the people), when there is one.
    pub link: Option<String>,
    pub detail: String,
}

/// Every action the audit log records, for the filter; those about a request first.
pub const AUDIT_ACTIONS: &[&str] = &[
    "view_request",
    "claim",
    "release",
    "complete",
    "play_recording",
    "dial",
    "ring_operator",
    "reassign_claim",
    "release_claim",
    "take_live_call",
    "search_calls",
    "search_history",
    "view_report",
    "block_number",
    "unblock_number",
    "set_shifts",
];

/// Actions whose subject is a callback request, which the log links to: the first ones of
/// [`AUDIT_ACTIONS`].
const REQUEST_ACTIONS: &[&str] = AUDIT_ACTIONS.split_at(9).0;

pub fn audit_row(entry: crate::store::AuditEntry, zone: &TimeZone) -> AuditRow {
    let link = match entry.action.as_str() {
        _ if entry.subject.is_empty() => None,
        a if REQUEST_ACTIONS.contains(&a) => Some(format!("/operator/requests/{}", entry.subject)),
        "block_number" | "unblock_number" => Some("/operator/blocked".to_string()),
        "set_shifts" => Some("/operator/people".to_string()),
        _ => None,
    };
    AuditRow {
        when: when::instant(entry.at, zone),
        when_iso: when::machine(entry.at),
        who: entry.operator_name.unwrap_or(entry.operator_id),
        action: entry.action.replace('_', " "),
        link,
        subject: entry.subject,
        detail: when::instants_in(&entry.detail, zone),
    }
}
