//! The console's pages as askama templates (`templates/console/`), and what every page shares:
//! the frame (title, who is signed in, the flash message) and the names of languages.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::queue::QueueView;
use super::request::RequestView;
use crate::catalog::FlowSet;
use crate::operators::Operator;

/// What the layout shows around every page.
pub struct Frame {
    /// The page's title.
    pub title: String,
    /// Who is signed in; `None` on the sign-in and error pages.
    pub user: Option<User>,
    /// The navigation entry of this page, marked `aria-current`.
    pub current: &'static str,
    /// What the last action did.
    pub flash: Option<Flash>,
}

/// The signed-in operator, as the layout shows them.
pub struct User {
    /// Their name.
    pub name: String,
    /// `operator` or `supervisor`.
    pub role: &'static str,
    /// Whether the audit log is in their navigation.
    pub supervisor: bool,
    /// For the sign-out form.
    pub csrf: String,
}

/// A message about the last action, shown once after its redirect.
pub struct Flash {
    /// What happened, in words.
    pub text: String,
    /// Whether it went wrong (shown as an alert).
    pub problem: bool,
}

impl Frame {
    /// The frame of a page seen before signing in.
    pub fn anonymous(title: &str) -> Frame {
        Frame {
            title: title.to_string(),
            user: None,
            current: "",
            flash: None,
        }
    }

    /// The frame of a signed-in page.
    pub fn signed_in(title: &str, operator: &Operator, csrf: &str, current: &'static str) -> Frame {
        Frame {
            title: title.to_string(),
            user: Some(User {
                name: operator.name.clone(),
                role: operator.role.as_str(),
                supervisor: operator.is_supervisor(),
                csrf: csrf.to_string(),
            }),
            current,
            flash: None,
        }
    }

    /// The same frame with a flash message.
    pub fn with_flash(mut self, flash: Option<Flash>) -> Frame {
        self.flash = flash;
        self
    }
}

/// The sign-in form.
#[derive(Template)]
#[template(path = "console/sign_in.html")]
pub struct SignInPage {
    pub frame: Frame,
    /// The name typed, kept after a failure.
    pub name: String,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

/// The queue of the operator's categories.
#[derive(Template)]
#[template(path = "console/queue.html")]
pub struct QueuePage {
    pub frame: Frame,
    pub queue: QueueView,
    /// The signed-in operator's own mark.
    pub presence: crate::desk::Presence,
    /// Until when it holds, in words.
    pub available_until: Option<String>,
    pub csrf: String,
}

/// The queue alone, for the page's script to swap in.
#[derive(Template)]
#[template(path = "console/queue_section.html")]
pub struct QueueFragment {
    pub queue: QueueView,
}

/// The supervisors' wallboard.
#[derive(Template)]
#[template(path = "console/wallboard.html")]
pub struct WallboardPage {
    pub frame: Frame,
    pub board: super::wallboard::WallboardView,
}

/// The wallboard's figures alone, for the page's script to swap in.
#[derive(Template)]
#[template(path = "console/wallboard_section.html")]
pub struct WallboardFragment {
    pub board: super::wallboard::WallboardView,
}

/// One callback request.
#[derive(Template)]
#[template(path = "console/request.html")]
pub struct RequestPage {
    pub frame: Frame,
    pub r: RequestView,
    /// For the action forms.
    pub csrf: String,
}

/// The call back in progress on a request's page, alone, for the page's script.
#[derive(Template)]
#[template(path = "console/live_call.html")]
pub struct LiveCallFragment {
    pub id: String,
    /// In words; `None` while no call back is being placed.
    pub live: Option<&'static str>,
    /// The request's `desk::page_mark`.
    pub mark: String,
}

/// The block list.
#[derive(Template)]
#[template(path = "console/blocked.html")]
pub struct BlockedPage {
    pub frame: Frame,
    pub rows: Vec<BlockRow>,
    pub csrf: String,
}

/// One block in force, as the page shows it.
pub struct BlockRow {
    pub id: String,
    /// Masked: the number itself is not kept.
    pub number: String,
    pub reason: String,
    pub who: String,
    pub since: String,
    pub until: String,
}

/// An error.
#[derive(Template)]
#[template(path = "console/error.html")]
pub struct ErrorPage {
    pub frame: Frame,
    pub status: u16,
    pub message: String,
    /// Whether to offer the sign-in form.
    pub signed_out: bool,
}

/// An HTML response.
pub fn html(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

/// Renders a page.
pub fn render(status: StatusCode, page: &impl Template) -> askama::Result<Response> {
    Ok(html(status, page.render()?))
}

/// A language's name ("Español") from whichever hotline defines it, or its id.
pub fn language_name(flows: &FlowSet, id: &str) -> String {
    flows
        .flows()
        .find_map(|flow| flow.languages.iter().find(|l| l.id == id))
        .map_or_else(|| id.to_string(), |l| l.name.clone())
}

/// The supervisors' reports.
#[derive(Template)]
#[template(path = "console/reports.html")]
pub struct ReportsPage {
    pub frame: Frame,
    /// The first day shown, `YYYY-MM-DD`.
    pub from: String,
    /// The last day shown.
    pub to: String,
    /// `(report name, CSV address)`.
    pub downloads: Vec<(String, String)>,
    /// Calls per local day and category.
    pub days: Vec<crate::reports::DayCount>,
    /// `(how, calls, share)`.
    pub triage: Vec<(String, u64, String)>,
    /// Per category: queued, or sent to the callback path and why.
    pub triage_outcomes: Vec<crate::reports::TriageOutcomes>,
    /// `(title, node id, reached, hung up, rate)`.
    pub drop_off: Vec<(String, String, u64, u64, String)>,
    pub answer_times: Vec<StatRow>,
    pub callback_times: Vec<StatRow>,
    pub callback_requests: Vec<crate::reports::RequestCounts>,
    pub callback_outcomes: Vec<OutcomeRow>,
    /// Spoken answers per menu and language.
    pub voice_answers: Vec<crate::reports::VoiceAnswers>,
    /// The staffing plan's goal as the form shows it: a percentage, and seconds.
    pub service_level: String,
    pub answer_within: u32,
    /// The staffing plan's goal, in words.
    pub staffing_goal: String,
    /// How long a callback request takes, and whether that was measured.
    pub callback_handle: String,
    pub staffing: Vec<StaffingRow>,
    /// The charts, as SVG drawn by the server.
    pub charts: super::report_charts::ReportCharts,
}

/// One hour of the week in the staffing plan, with its bar.
pub struct StaffingRow {
    /// `Tue 10:00`.
    pub when: String,
    pub calls: String,
    pub handle: String,
    /// For the live line, by Erlang C.
    pub operators: u32,
    pub requests: String,
    /// Operators calling back, with the load they carry: `2 (1.50 busy)`.
    pub calling_back: String,
    /// Both.
    pub total: u32,
    /// The bar's length, 0 to 100, of `total` against the busiest hour.
    pub bar: u32,
}

/// How one category's calls back ended, written for people.
pub struct OutcomeRow {
    pub category: String,
    pub attempts: u64,
    pub reached: u64,
    pub left_message: u64,
    pub no_answer: u64,
    /// "66 %", or a dash when nobody was called.
    pub reach_rate: String,
    /// From the first call to the first time someone reached the caller.
    pub median_to_reached: String,
}

/// One category's waits, written for people.
pub struct StatRow {
    pub category: String,
    pub count: u64,
    pub missed: u64,
    pub median: String,
    pub p90: String,
    pub max: String,
}

/// The loaded flows and their pictures.
#[derive(Template)]
#[template(path = "console/flows.html")]
pub struct FlowsPage {
    pub frame: Frame,
    /// When the running flows were loaded.
    pub loaded_at: String,
    /// `(when, what is wrong)` for a saved change that was not loaded.
    pub rejected: Option<(String, String)>,
    pub flows: Vec<FlowView>,
}

/// One hotline.
pub struct FlowView {
    pub id: String,
    pub name: String,
    pub version: String,
    pub numbers: String,
    pub languages: String,
    /// An SVG document built by the server from the flow; its text is escaped there.
    pub picture: String,
}
