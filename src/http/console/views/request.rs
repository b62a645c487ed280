//! One callback request as its page shows it: the number to call and whether a message may be
//! left first, then the caller's path through the menus, queue stays and earlier calls back, and
//! which actions the operator may take now.

use jiff::tz::TimeZone;

use super::pages::language_name;
use super::same_caller::{self, HandOverView, SameCallerRow};
use super::when;
use crate::callbacks::Status;
use crate::callbacks::pacing::CallTime;
use crate::catalog::FlowSet;
use crate::desk::{Desk, NotBefore, PathStep, RequestDetail};
use crate::operators::Operator;
use crate::store::{Attempt, CallbackRequest, NumberSource, QueueEntry};

/// A request, ready for the template.
pub struct RequestView {
    pub id: String,
    pub heading: String,
    pub language: String,
    pub waiting_since: String,
    pub waiting_since_iso: String,
    pub waited: String,
    pub requested_at: String,
    pub status: String,
    pub phone: String,
    pub tel: String,
    pub entered_number: bool,
    /// `false`: a number the line may not call (another country, premium rate); no call link.
    pub dialable: bool,
    /// The caller hung up before finishing the questions.
    pub incomplete: bool,
    /// `Some(false)`: the caller said a message must not be left.
    pub message: Option<bool>,
    /// When the caller said it is safe to call, in words with the hours; `None` when not asked.
    pub call_time: Option<String>,
    /// The call back the line is placing now, in words.
    pub live_call: Option<&'static str>,
    /// `desk::page_mark` of the request as drawn.
    pub mark: String,
    pub recording: Option<String>,
    pub steps: Vec<StepRow>,
    pub stays: Vec<StayRow>,
    pub attempts: Vec<AttemptRow>,
    /// Other calls from this caller in the last 90 days (by the keyed hash of the number).
    pub earlier_calls: u64,
    /// Why it may not be called yet, and from when; `None` when it may be called now.
    pub not_before: Option<String>,
    pub can_claim: bool,
    pub can_release: bool,
    pub can_complete: bool,
    pub outcomes: Vec<Choice>,
    /// The caller's other requests, newest first.
    pub same_caller: Vec<SameCallerRow>,
    /// Said when someone else works one of them now.
    pub same_caller_warning: Option<String>,
    /// For a supervisor, while someone holds the request.
    pub hand_over: Option<HandOverView>,
    /// Just claimed: the outcome form takes the focus, the operator's next step.
    pub focus_outcome: bool,
}

/// One step through the menus.
pub struct StepRow {
    pub at: String,
    /// The step's name for staff.
    pub node: String,
    /// Its id, which staff editing the flow file type.
    pub node_id: String,
    pub input: String,
    pub outcome: String,
}

/// One stay in a live queue.
pub struct StayRow {
    pub entered: String,
    pub category: String,
    pub wait: String,
    pub result: String,
}

/// One earlier call back.
pub struct AttemptRow {
    pub at: String,
    pub who: String,
    pub outcome: &'static str,
    pub notes: String,
}

/// An outcome the operator may record.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    /// What choosing it does.
    pub explanation: &'static str,
}

/// "In the evening (17:00-20:00)": the caller's answer and the hours the line keeps to.
fn call_time(flows: &FlowSet, request: &CallbackRequest, when: CallTime) -> String {
    let flow = flows
        .get(&request.hotline)
        .unwrap_or_else(|| flows.default_flow());
    let hours = flow.callbacks.pacing.window(Some(when));
    let words = when.words();
    let mut text = format!("{}{} ({hours})", words[..1].to_uppercase(), &words[1..]);
    if when != CallTime::Any {
        text.push_str(": only then, as the caller asked");
    }
    text
}

/// Shapes `detail` for `operator`, with times in `zone`; `assignees` are whom a supervisor
/// may hand its claim to.
pub fn shape(
    detail: &RequestDetail,
    desk: &Desk,
    flows: &FlowSet,
    operator: &Operator,
    zone: &TimeZone,
    assignees: Vec<String>,
) -> RequestView {
    let request = &detail.request;
    let mine = request.status == Status::Claimed
        && request.claimed_by.as_deref() == Some(operator.id.as_str());
    let open_to_me = request.status == Status::Pending || desk.claim_has_lapsed(request);
    let waited_seconds = (desk.now_ms() - request.waiting_since).max(0) / 1000;
    RequestView {
        id: request.id.clone(),
        heading: detail.category_title.clone(),
        language: language_name(flows, &request.language),
        waiting_since: when::instant(request.waiting_since, zone),
        waiting_since_iso: when::machine(request.waiting_since),
        waited: when::wait(waited_seconds),
        requested_at: when::instant(request.created_at, zone),
        status: status(detail, mine, desk, zone),
        phone: request.phone_number.clone(),
        tel: request
            .phone_number
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect(),
        entered_number: request.number_source == NumberSource::Entered,
        dialable: request.dialable,
        incomplete: request.incomplete,
        message: request.safe_to_leave_message,
        call_time: request.call_time.map(|t| call_time(flows, request, t)),
        live_call: detail.live_call.map(|l| l.words()),
        mark: crate::desk::page_mark(request, detail.attempts.len()),
        recording: request
            .recording_url
            .as_ref()
            .map(|_| recording_length(request.recording_seconds)),
        steps: detail.steps.iter().map(|s| step(s, zone)).collect(),
        stays: detail.queue.iter().map(|q| stay(q, desk, zone)).collect(),
        attempts: detail.attempts.iter().map(|a| attempt(a, zone)).collect(),
        earlier_calls: detail.earlier_calls,
        not_before: detail.not_before.map(|n| not_before(n, zone)),
        can_claim: open_to_me && !mine && detail.not_before.is_none(),
        can_release: mine,
        can_complete: mine,
        outcomes: detail
            .outcomes
            .iter()
            .map(|o| Choice {
                value: o.as_str(),
                label: o.label(),
                explanation: o.explanation(),
            })
            .collect(),
        same_caller: same_caller::rows(&detail.same_caller, zone),
        same_caller_warning: same_caller::warning(&detail.same_caller, &operator.name),
        hand_over: hand_over(request, operator, assignees),
        focus_outcome: false,
    }
}

/// The hand-over form, for a supervisor while someone else holds the request.
fn hand_over(
    request: &CallbackRequest,
    operator: &Operator,
    assignees: Vec<String>,
) -> Option<HandOverView> {
    let held_by_another = request.status == Status::Claimed
        && request.claimed_by.as_deref() != Some(operator.id.as_str());
    (operator.is_supervisor() && held_by_another).then(|| HandOverView {
        holder: request
            .claimed_by_name
            .clone()
            .unwrap_or_else(|| "another operator".to_string()),
        assignees,
    })
}

fn status(detail: &RequestDetail, mine: bool, desk: &Desk, zone: &TimeZone) -> String {
    let request = &detail.request;
    let until = desk
        .claim_lapses_at(request)
        .map(|at| format!(", held until {}", when::instant(at, zone)))
        .unwrap_or_default();
    let since = request
        .claimed_at
        .map(|at| format!(" since {}{until}", when::instant(at, zone)))
        .unwrap_or_default();
    match request.status {
        Status::Pending => "Waiting for a call back".to_string(),
        Status::Claimed if mine => format!("Claimed by you{since}"),
        Status::Claimed => {
            let who = request
                .claimed_by_name
                .as_deref()
                .unwrap_or("another operator");
            let lapsed = if desk.claim_has_lapsed(request) {
                "; the claim has lapsed, so you may take it over"
            } else {
                ""
            };
            format!("Claimed by {who}{since}{lapsed}")
        }
        Status::Completed | Status::Unreachable => {
            let outcome = request.outcome.map(|o| o.label()).unwrap_or("closed");
            let at = request
                .closed_at
                .map(|at| format!(" on {}", when::instant(at, zone)))
                .unwrap_or_default();
            format!("Closed ({}): {outcome}{at}", request.status)
        }
    }
}

fn recording_length(seconds: Option<i64>) -> String {
    match seconds {
        Some(s) if s >= 60 => format!("{} min {} s", s / 60, s % 60),
        Some(s) => format!("{s} s"),
        None => "length not known".to_string(),
    }
}

fn step(path: &PathStep, zone: &TimeZone) -> StepRow {
    StepRow {
        at: when::instant(path.step.at, zone),
        node: path.node_title.clone(),
        node_id: path.step.node.clone(),
        input: path.step.input.clone().unwrap_or_default(),
        outcome: path.outcome_words.clone(),
    }
}

fn stay(entry: &QueueEntry, desk: &Desk, zone: &TimeZone) -> StayRow {
    StayRow {
        entered: when::instant(entry.entered_at, zone),
        category: desk.category_title(&entry.category),
        wait: entry
            .wait_seconds
            .or(entry.last_wait_seconds)
            .map_or_else(|| "not known".to_string(), when::wait),
        result: entry
            .result
            .clone()
            .unwrap_or_else(|| "still waiting".into()),
    }
}

fn attempt(attempt: &Attempt, zone: &TimeZone) -> AttemptRow {
    AttemptRow {
        at: when::instant(attempt.at, zone),
        who: attempt
            .operator_name
            .clone()
            .unwrap_or_else(|| attempt.operator_id.clone()),
        outcome: attempt.outcome.label(),
        notes: attempt.notes.clone(),
    }
}

/// When a request may be called, in words for the operator.
fn not_before(n: NotBefore, zone: &TimeZone) -> String {
    let at = when::instant(n.at, zone);
    match n.why {
        "gap" => format!("Call again from {at}: the last call back was too recent."),
        _ => format!("Call from {at}: that is when the hotline's calling hours begin."),
    }
}
