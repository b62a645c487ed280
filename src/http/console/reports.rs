//! The supervisors' reports page: a period chosen by dates in the hotline's time zone, every
//! report as a table, and each one as a CSV download. Reading a report is audited by the desk.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;

use super::error::ConsoleError;
use super::session::Session;
use super::views::pages::{self, OutcomeRow, ReportsPage, StaffingRow, StatRow};
use super::views::{report_charts, when};
use crate::desk::DeskError;
use crate::http::state::AppState;
use crate::reports::{CallbackOutcomes, Report, Staffing, StaffingGoal, WaitStats, csv};

/// The period shown when none is asked for: the last seven days, today included.
const DEFAULT_DAYS: i64 = 7;

#[derive(Deserialize, Default)]
pub struct Period {
    pub(super) from: Option<String>,
    pub(super) to: Option<String>,
}

/// `[from, to)` as dates, and as instants at their midnights in the hotline's time zone. `to`
/// is the day after the last day shown.
pub(super) fn period(
    app: &AppState,
    asked: &Period,
) -> Result<(Date, Date, i64, i64), ConsoleError> {
    let zone = app.flows.time_zone();
    let today = jiff::Timestamp::from_millisecond(app.desk.now_ms())
        .map(|t| t.to_zoned_datetime(zone.clone()).date())
        .map_err(|_| ConsoleError::Internal)?;
    let date = |text: &Option<String>, default: Date| -> Result<Date, ConsoleError> {
        match text.as_deref().filter(|t| !t.is_empty()) {
            None => Ok(default),
            Some(t) => t.parse().map_err(|_| {
                ConsoleError::Desk(DeskError::Invalid(format!(
                    "`{t}` is not a date like 2026-11-28"
                )))
            }),
        }
    };
    let last = date(&asked.to, today)?;
    let first = date(
        &asked.from,
        last.saturating_sub(jiff::Span::new().days(DEFAULT_DAYS - 1)),
    )?;
    let end = last.tomorrow().map_err(|_| ConsoleError::Internal)?;
    let midnight = |d: Date| -> Result<i64, ConsoleError> {
        d.to_zoned_datetime(zone.clone())
            .map(|z| z.timestamp().as_millisecond())
            .map_err(|_| ConsoleError::Internal)
    };
    Ok((first, last, midnight(first)?, midnight(end)?))
}

/// The reports page's query: the period, and the staffing plan's goal as typed.
#[derive(Deserialize, Default)]
pub struct ReportsQuery {
    #[serde(flatten)]
    period: Period,
    service_level: Option<String>,
    answer_within: Option<String>,
}

impl ReportsQuery {
    /// The goal asked for, or the page that says what to type.
    fn goal(&self) -> Result<StaffingGoal, ConsoleError> {
        let asked =
            StaffingGoal::asked(self.service_level.as_deref(), self.answer_within.as_deref());
        asked.map_err(|message| ConsoleError::Desk(DeskError::Invalid(message.replace('`', ""))))
    }
}

/// `GET /operator/reports`.
pub async fn page(
    State(app): State<AppState>,
    session: Session,
    Query(asked): Query<ReportsQuery>,
) -> Result<Response, ConsoleError> {
    let (first, last, from, to) = period(&app, &asked.period)?;
    let goal = asked.goal()?;
    let report = app.desk.report(&session.operator, from, to, goal).await?;
    let query = format!(
        "from={first}&to={last}&service_level={}&answer_within={}",
        goal.percent(),
        goal.within_seconds
    );
    let charts = report_charts::draw(&report, &days_of(first, last));
    let page = ReportsPage {
        charts,
        frame: session.frame("Reports", "reports"),
        from: first.to_string(),
        to: last.to_string(),
        downloads: csv::NAMES
            .iter()
            .map(|n| (n.to_string(), format!("/operator/reports/{n}.csv?{query}")))
            .collect(),
        answer_times: stat_rows(&report.answer_times),
        callback_times: stat_rows(&report.callback_times),
        callback_outcomes: outcome_rows(&report.callback_outcomes),
        callback_requests: report.callback_requests.clone(),
        voice_answers: report.voice_answers.clone(),
        service_level: goal.percent(),
        answer_within: goal.within_seconds,
        staffing_goal: format!(
            "{} % of callers answered within {} s",
            goal.percent(),
            goal.within_seconds
        ),
        callback_handle: callback_handle(&report.staffing),
        staffing: staffing_rows(&report.staffing),
        triage: triage_rows(&report),
        triage_outcomes: report.triage_outcomes.clone(),
        drop_off: drop_off_rows(&report),
        days: report.calls_per_day,
    };
    Ok(pages::render(StatusCode::OK, &page)?)
}

/// Every day from `first` to `last`.
fn days_of(first: Date, last: Date) -> Vec<Date> {
    let mut days = vec![first];
    while let Some(next) = days
        .last()
        .and_then(|d| d.tomorrow().ok())
        .filter(|d| *d <= last)
    {
        days.push(next);
    }
    days
}

/// `GET /operator/reports/{name}.csv`.
pub async fn download(
    State(app): State<AppState>,
    session: Session,
    Path(name): Path<String>,
    Query(asked): Query<ReportsQuery>,
) -> Result<Response, ConsoleError> {
    let name = name.strip_suffix(".csv").unwrap_or(&name).to_string();
    let (first, last, from, to) = period(&app, &asked.period)?;
    let goal = asked.goal()?;
    let report = app.desk.report(&session.operator, from, to, goal).await?;
    let body =
        csv::render(&report, &name).ok_or(ConsoleError::Desk(DeskError::NotFound("report")))?;
    let disposition = format!("attachment; filename=\"{name}-{first}-{last}.csv\"");
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    Ok((headers, body).into_response())
}

/// How callers reached a category, with shares as whole percentages.
fn triage_rows(report: &Report) -> Vec<(String, u64, String)> {
    let words = |route: &str| match route {
        "menu" => "Chose a category in the menu",
        "chose_general" => "Chose to speak with an operator",
        "sent_to_general" => "Sent to an operator after the menu gave up",
        _ => "Hung up before reaching a category",
    };
    report
        .triage
        .iter()
        .map(|t| {
            (
                words(t.route).to_string(),
                t.calls,
                format!("{:.0} %", t.share * 100.0),
            )
        })
        .collect()
}

/// Menu nodes where callers hung up, most first; nodes nobody left from are not listed.
fn drop_off_rows(report: &Report) -> Vec<(String, String, u64, u64, String)> {
    report
        .drop_off
        .iter()
        .filter(|row| row.hung_up > 0)
        .map(|r| {
            (
                r.node_title.clone(),
                r.node.clone(),
                r.reached,
                r.hung_up,
                format!("{:.1} %", r.rate * 100.0),
            )
        })
        .collect()
}

fn stat_rows(stats: &[WaitStats]) -> Vec<StatRow> {
    let wait = |s: Option<i64>| s.map_or_else(|| "–".to_string(), when::wait);
    stats
        .iter()
        .map(|s| StatRow {
            category: s.category_title.clone(),
            count: s.count,
            missed: s.missed,
            median: wait(s.median_seconds),
            p90: wait(s.p90_seconds),
            max: wait(s.max_seconds),
        })
        .collect()
}

fn staffing_rows(plan: &Staffing) -> Vec<StaffingRow> {
    let busiest = plan
        .hours
        .iter()
        .map(|h| h.total_operators)
        .max()
        .unwrap_or(0)
        .max(1);
    plan.hours
        .iter()
        .map(|h| StaffingRow {
            when: format!("{} {:02}:00", h.weekday, h.hour),
            calls: format!("{:.1}", h.calls_offered),
            handle: h
                .handle_seconds
                .map_or_else(|| "not measured".into(), |s| format!("{:.0} s", s)),
            operators: h.operators_needed,
            requests: format!("{:.1}", h.callback_requests),
            calling_back: format!("{} ({:.2} busy)", h.callback_operators, h.callback_load),
            total: h.total_operators,
            bar: h.total_operators * 100 / busiest,
        })
        .collect()
}

/// How long a request takes to call back, and where that figure comes from.
fn callback_handle(plan: &Staffing) -> String {
    let time = when::wait(plan.callback_handle_seconds.round() as i64);
    match plan.callback_handle_measured {
        true => format!(
            "{time}, measured: the calls back the operator line placed for {} requests in \
             this period, added up per request",
            plan.callbacks_timed
        ),
        false => format!(
            "{time}, assumed: only {} requests were called back from the operator line in \
             this period, too few to measure",
            plan.callbacks_timed
        ),
    }
}

fn outcome_rows(outcomes: &[CallbackOutcomes]) -> Vec<OutcomeRow> {
    outcomes
        .iter()
        .map(|o| OutcomeRow {
            category: o.category_title.clone(),
            attempts: o.attempts,
            reached: o.reached,
            left_message: o.left_message,
            no_answer: o.no_answer,
            reach_rate: o
                .reach_rate_percent
                .map_or_else(|| "–".into(), |p| format!("{p} %")),
            median_to_reached: o
                .time_to_reached
                .median_seconds
                .map_or_else(|| "–".to_string(), when::wait),
        })
        .collect()
}
