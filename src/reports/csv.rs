//! The reports as CSV files, one per report, for spreadsheets. A report that names categories
//! or menu steps by id ends each row with their title (`category_title`, `node_title`), after
//! the columns it always had, so tools that read columns by position keep working. Fields are
//! quoted when they hold a comma, a quote or a line break; a field starting with `=`, `+`, `-` or `@` is
//! prefixed with `'` so a spreadsheet never runs it as a formula.

use std::fmt::Write;

use super::Report;

/// The report names that have a CSV form.
pub const NAMES: [&str; 10] = [
    "calls-per-day",
    "triage",
    "triage-outcomes",
    "drop-off",
    "answer-times",
    "callback-times",
    "callback-outcomes",
    "callback-requests",
    "voice-answers",
    "staffing",
];

/// The CSV of the report called `name`, or `None` for an unknown name.
pub fn render(report: &Report, name: &str) -> Option<String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    match name {
        "calls-per-day" => {
            rows.push(
                ["date", "category", "calls", "category_title"]
                    .map(String::from)
                    .to_vec(),
            );
            for r in &report.calls_per_day {
                rows.push(vec![
                    r.date.clone(),
                    r.category.clone(),
                    r.calls.to_string(),
                    r.category_title.clone(),
                ]);
            }
        }
        "triage" => {
            rows.push(vec!["route".into(), "calls".into(), "share".into()]);
            for r in &report.triage {
                rows.push(vec![
                    r.route.into(),
                    r.calls.to_string(),
                    format!("{:.4}", r.share),
                ]);
            }
        }
        "triage-outcomes" => triage_outcome_rows(&mut rows, &report.triage_outcomes),
        "drop-off" => {
            rows.push(
                ["node", "reached", "hung_up", "rate", "node_title"]
                    .map(String::from)
                    .to_vec(),
            );
            for r in &report.drop_off {
                let rate = format!("{:.4}", r.rate);
                rows.push(vec![
                    r.node.clone(),
                    r.reached.to_string(),
                    r.hung_up.to_string(),
                    rate,
                    r.node_title.clone(),
                ]);
            }
        }
        "answer-times" => wait_rows(&mut rows, &report.answer_times, "abandoned"),
        "callback-times" => wait_rows(&mut rows, &report.callback_times, "not_called_yet"),
        "callback-outcomes" => outcome_rows(&mut rows, &report.callback_outcomes),
        "callback-requests" => {
            rows.push(
                [
                    "category",
                    "saved",
                    "incomplete",
                    "missed",
                    "category_title",
                ]
                .map(String::from)
                .to_vec(),
            );
            for r in &report.callback_requests {
                rows.push(vec![
                    r.category.clone(),
                    r.saved.to_string(),
                    r.incomplete.to_string(),
                    r.missed.to_string(),
                    r.category_title.clone(),
                ]);
            }
        }
        "voice-answers" => voice_rows(&mut rows, &report.voice_answers),
        "staffing" => staffing_rows(&mut rows, &report.staffing),
        _ => return None,
    }
    let mut out = String::new();
    for row in rows {
        let fields: Vec<String> = row.iter().map(|f| field(f)).collect();
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{}", fields.join(","));
    }
    Some(out)
}

fn triage_outcome_rows(rows: &mut Vec<Vec<String>>, outcomes: &[super::TriageOutcomes]) {
    rows.push(
        [
            "category",
            "queued",
            "after_hours",
            "closure",
            "closed_now",
            "unstaffed",
            "category_title",
        ]
        .map(String::from)
        .to_vec(),
    );
    for r in outcomes {
        rows.push(vec![
            r.category.clone(),
            r.queued.to_string(),
            r.after_hours.to_string(),
            r.closure.to_string(),
            r.closed_now.to_string(),
            r.unstaffed.to_string(),
            r.category_title.clone(),
        ]);
    }
}

fn voice_rows(rows: &mut Vec<Vec<String>>, answers: &[super::VoiceAnswers]) {
    rows.push(
        ["node", "language", "chosen", "not_understood", "node_title"]
            .map(String::from)
            .to_vec(),
    );
    for r in answers {
        rows.push(vec![
            r.node.clone(),
            r.language.clone(),
            r.chosen.to_string(),
            r.not_understood.to_string(),
            r.node_title.clone(),
        ]);
    }
}

fn staffing_rows(rows: &mut Vec<Vec<String>>, staffing: &super::Staffing) {
    rows.push(
        [
            "weekday",
            "hour",
            "calls_offered",
            "handle_seconds",
            "operators_needed",
            "callback_requests",
            "callback_load",
            "callback_operators",
            "total_operators",
        ]
        .map(String::from)
        .to_vec(),
    );
    for h in &staffing.hours {
        rows.push(vec![
            h.weekday.to_string(),
            h.hour.to_string(),
            h.calls_offered.to_string(),
            h.handle_seconds.map(|s| s.to_string()).unwrap_or_default(),
            h.operators_needed.to_string(),
            h.callback_requests.to_string(),
            h.callback_load.to_string(),
            h.callback_operators.to_string(),
            h.total_operators.to_string(),
        ]);
    }
}

fn outcome_rows(rows: &mut Vec<Vec<String>>, outcomes: &[super::CallbackOutcomes]) {
    let header = [
        "category",
        "attempts",
        "reached",
        "left_message",
        "no_answer",
        "wrong_number",
        "requests_called",
        "requests_reached",
        "reach_rate_percent",
        "median_seconds_to_reached",
        "category_title",
    ];
    rows.push(header.iter().map(|h| h.to_string()).collect());
    let maybe = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    for o in outcomes {
        rows.push(vec![
            o.category.clone(),
            o.attempts.to_string(),
            o.reached.to_string(),
            o.left_message.to_string(),
            o.no_answer.to_string(),
            o.wrong_number.to_string(),
            o.requests_called.to_string(),
            o.requests_reached.to_string(),
            o.reach_rate_percent
                .map(|n| n.to_string())
                .unwrap_or_default(),
            maybe(o.time_to_reached.median_seconds),
            o.category_title.clone(),
        ]);
    }
}

fn wait_rows(rows: &mut Vec<Vec<String>>, stats: &[super::WaitStats], missed: &str) {
    let header = [
        "category",
        "count",
        missed,
        "median_seconds",
        "p90_seconds",
        "max_seconds",
        "category_title",
    ];
    rows.push(header.iter().map(|h| h.to_string()).collect());
    let text = |v: Option<i64>| v.map(|s| s.to_string()).unwrap_or_default();
    for s in stats {
        rows.push(vec![
            s.category.clone(),
            s.count.to_string(),
            s.missed.to_string(),
            text(s.median_seconds),
            text(s.p90_seconds),
            text(s.max_seconds),
            s.category_title.clone(),
        ]);
    }
}

fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}
