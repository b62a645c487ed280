//! The reports page's charts, drawn from a period's report: calls per day and category, the
//! waits for an answer, for a first call back and until someone was reached, and where callers
//! hung up in the menus. Categories and menu steps go by the titles the report gives them; the
//! tables beside the charts keep the numbers.

use jiff::civil::Date;

use super::chart::bars::{self, Bars, Row};
use super::chart::columns::{self, Column, Columns};
use super::chart::{Caption, SERIES_COLOURS, Unit, label};
use crate::reports::{Report, WaitStats};

/// The most menu steps the drop-off chart shows, those most hung up at first.
const DROP_OFF_ROWS: usize = 15;

/// Every chart of the page, as SVG.
pub struct ReportCharts {
    pub days: String,
    pub drop_off: String,
    pub answer_times: String,
    pub callback_times: String,
    pub time_to_reached: String,
}

/// The charts of `report`, whose period has the `days` given.
pub fn draw(report: &Report, days: &[Date]) -> ReportCharts {
    let reached: Vec<WaitStats> = (report.callback_outcomes.iter())
        .map(|o| o.time_to_reached.clone())
        .collect();
    ReportCharts {
        days: columns::draw(&calls_per_day(report, days)),
        drop_off: bars::draw(&drop_off(report)),
        answer_times: bars::draw(&waits(
            caption("chart-answer", "Time to answer live callers"),
            &report.answer_times,
            "Nobody waiting live was answered in this period.",
        )),
        callback_times: bars::draw(&waits(
            caption("chart-callback", "Time to first call back"),
            &report.callback_times,
            "No request was called back in this period.",
        )),
        time_to_reached: bars::draw(&waits(
            caption("chart-reached", "Time until a call back reached the caller"),
            &reached,
            "No call back reached a caller in this period.",
        )),
    }
}

fn caption(id: &str, title: &str) -> Caption {
    Caption {
        id: id.to_string(),
        title: title.to_string(),
        desc: String::new(),
    }
}

/// One column per day, one series per category (most calls at the bottom); past the colours
/// there are, the quietest categories share one series.
fn calls_per_day(report: &Report, days: &[Date]) -> Columns {
    let totals = totals(report);
    let named = if totals.len() > SERIES_COLOURS {
        SERIES_COLOURS - 1
    } else {
        totals.len()
    };
    let series_of = |category: &str| {
        let at = totals.iter().position(|(c, _)| c == category).unwrap_or(0);
        at.min(named)
    };
    let title = |id: &str| {
        (report.calls_per_day.iter())
            .find(|r| r.category == id)
            .map_or_else(|| id.to_string(), |r| r.category_title.clone())
    };
    let mut series: Vec<String> = totals[..named].iter().map(|(c, _)| title(c)).collect();
    if named < totals.len() {
        series.push("Other categories".to_string());
    }
    let columns: Vec<Column> = days
        .iter()
        .map(|day| {
            let date = day.to_string();
            let mut values = vec![0; series.len()];
            for row in report.calls_per_day.iter().filter(|r| r.date == date) {
                values[series_of(&row.category)] += row.calls;
            }
            Column {
                label: day.strftime("%-d %b").to_string(),
                values,
            }
        })
        .collect();
    let total: u64 = totals.iter().map(|(_, n)| n).sum();
    let mut caption = caption("chart-days", "Calls per day and category");
    caption.desc = format!(
        "Columns of calls per day, each split by category: {total} calls in {} days.",
        days.len()
    );
    Columns {
        caption,
        series,
        columns,
        noun: "calls".to_string(),
        empty: "No calls in this period.".to_string(),
    }
}

/// Each category's calls in the period, most first.
fn totals(report: &Report) -> Vec<(String, u64)> {
    let mut totals: Vec<(String, u64)> = Vec::new();
    for row in &report.calls_per_day {
        match totals.iter_mut().find(|(c, _)| *c == row.category) {
            Some((_, n)) => *n += row.calls,
            None => totals.push((row.category.clone(), row.calls)),
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    totals
}

/// Per category with a wait measured, the median and the 90th percentile.
fn waits(mut caption: Caption, stats: &[WaitStats], empty: &str) -> Bars {
    let rows: Vec<Row> = stats
        .iter()
        .filter_map(|s| {
            let (median, p90) = (s.median_seconds?, s.p90_seconds?);
            let words = |seconds: i64| label(seconds as f64, Unit::Seconds);
            Some(Row {
                name: s.category_title.clone(),
                inner: median as f64,
                outer: p90 as f64,
                note: format!("median {} · 90 % within {}", words(median), words(p90)),
            })
        })
        .collect();
    caption.desc = format!(
        "For each category, a dark bar to the median wait (half waited less) and a light bar to \
         the wait 90 % of them waited at most. {} categories.",
        rows.len()
    );
    Bars {
        caption,
        kind: "waits",
        unit: Unit::Seconds,
        inner: "Median".to_string(),
        outer: "90 % within".to_string(),
        rows,
        empty: empty.to_string(),
    }
}

/// The menu steps callers hung up at, most first: how many reached each, how many left there.
fn drop_off(report: &Report) -> Bars {
    let rows: Vec<Row> = (report.drop_off.iter())
        .filter(|row| row.hung_up > 0)
        .take(DROP_OFF_ROWS)
        .map(|row| Row {
            name: row.node_title.clone(),
            inner: row.hung_up as f64,
            outer: row.reached as f64,
            note: format!(
                "{} of {} hung up ({:.1} %)",
                row.hung_up,
                row.reached,
                row.rate * 100.0
            ),
        })
        .collect();
    let mut caption = caption("chart-drop-off", "Where callers hung up in the menus");
    caption.desc = format!(
        "For each menu step callers hung up at (at most {DROP_OFF_ROWS}, most first), a light \
         bar to the callers who reached it and a dark bar to those who hung up there."
    );
    Bars {
        caption,
        kind: "drop-off",
        unit: Unit::Count,
        inner: "Hung up there".to_string(),
        outer: "Reached it".to_string(),
        rows,
        empty: "No caller hung up in the menus in this period.".to_string(),
    }
}
