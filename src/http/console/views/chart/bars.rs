//! Horizontal bars in two parts, one row per thing compared: a dark inner part (a median, the
//! callers who hung up) over a light outer one (the 90th percentile, every caller who got
//! there), on one axis along the bottom. Each row's name stands above its bar, its numbers at
//! the right of that line, or on a line of their own when both would not fit.

use super::canvas::{Anchor, Canvas, FONT, LINE, fit, text_width};
use super::{Axis, Caption, Entry, Legend, PAD, Rect, Unit, WIDTH, empty};

/// The thickness of a bar.
const BAR: f64 = 14.0;
/// Between one row's bar and the next row's name.
const ROW_GAP: f64 = 10.0;

/// Bars to draw.
#[derive(Debug, Clone)]
pub struct Bars {
    pub caption: Caption,
    /// The style sheet's name for this kind of chart (`waits`, `drop-off`), which colours it.
    pub kind: &'static str,
    pub unit: Unit,
    /// What the inner and the outer parts are, for the legend.
    pub inner: String,
    pub outer: String,
    pub rows: Vec<Row>,
    /// Said instead when there are no rows.
    pub empty: String,
}

/// One row: its name, the ends of its two parts (`inner` ≤ `outer`), and its numbers in words.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub inner: f64,
    pub outer: f64,
    pub note: String,
}

/// The chart as SVG.
pub fn draw(chart: &Bars) -> String {
    if chart.rows.is_empty() {
        return empty(&chart.caption, &chart.empty);
    }
    let longest = chart
        .rows
        .iter()
        .map(|r| r.outer.max(r.inner))
        .fold(0.0, f64::max);
    let axis = Axis::to(longest, chart.unit);
    let ticks = axis.ticks();
    // The first and last ticks' labels are centred on the ends of the axis.
    let half = |tick: Option<&(f64, String)>| tick.map_or(0.0, |(_, l)| text_width(l) / 2.0);
    let span = (PAD + half(ticks.first()), WIDTH - PAD - half(ticks.last()));
    let x_of = |value: f64| span.0 + value.max(0.0) / axis.end() * (span.1 - span.0);
    let entries = [
        Entry {
            class: "inner".into(),
            name: chart.inner.clone(),
        },
        Entry {
            class: "outer".into(),
            name: chart.outer.clone(),
        },
    ];
    let legend = Legend::new(&entries, PAD);
    let rows: Vec<(f64, bool)> = heights(&chart.rows, legend.bottom + 6.0);
    let axis_y = rows.last().map_or(legend.bottom, |(top, wrapped)| {
        top + row_height(*wrapped) - ROW_GAP / 2.0
    });
    let height = axis_y + LINE + PAD;
    let class = format!("bars {}", chart.kind);
    let mut canvas = Canvas::new(WIDTH, height, &chart.caption, &class);
    legend.draw(&mut canvas);
    for (value, label) in &ticks {
        let x = x_of(*value);
        // Grid lines run along the bars only, so that no line crosses a row's words.
        for (top, wrapped) in &rows {
            let bar_top = bar_top(*top, *wrapped);
            canvas.line("grid", (x, bar_top - 3.0), (x, bar_top + BAR + 3.0));
        }
        canvas.text("tick", (x, axis_y + LINE - 2.0), Anchor::Middle, label);
    }
    canvas.line("axis", (span.0, axis_y), (span.1, axis_y));
    for (row, (top, wrapped)) in chart.rows.iter().zip(&rows) {
        draw_row(&mut canvas, row, (*top, *wrapped), &x_of);
    }
    canvas.finish()
}

/// Each row's top, and whether its numbers take a line of their own.
fn heights(rows: &[Row], top: f64) -> Vec<(f64, bool)> {
    let mut y = top;
    rows.iter()
        .map(|row| {
            let wrapped = !fits_beside(row);
            let at = (y, wrapped);
            y += row_height(wrapped);
            at
        })
        .collect()
}

fn fits_beside(row: &Row) -> bool {
    text_width(&row.name) + 16.0 + text_width(&row.note) <= WIDTH - 2.0 * PAD
}

/// The top of the bar of a row starting at `top`, under its one or two lines of words.
fn bar_top(top: f64, wrapped: bool) -> f64 {
    top + if wrapped { 2.0 * LINE } else { LINE }
}

fn row_height(wrapped: bool) -> f64 {
    let lines = if wrapped { 2.0 } else { 1.0 };
    lines * LINE + BAR + ROW_GAP
}

fn draw_row(
    canvas: &mut Canvas,
    row: &Row,
    (top, wrapped): (f64, bool),
    x_of: &dyn Fn(f64) -> f64,
) {
    let room = WIDTH - 2.0 * PAD;
    let baseline = top + FONT;
    canvas.text(
        "name",
        (PAD, baseline),
        Anchor::Start,
        &fit(&row.name, room),
    );
    if wrapped {
        canvas.text(
            "note",
            (PAD, baseline + LINE),
            Anchor::Start,
            &fit(&row.note, room),
        );
    } else {
        canvas.text("note", (WIDTH - PAD, baseline), Anchor::End, &row.note);
    }
    let bar_top = bar_top(top, wrapped);
    let part = |to: f64| Rect {
        x: x_of(0.0),
        y: bar_top,
        w: x_of(to) - x_of(0.0),
        h: BAR,
    };
    let tip = format!("{}: {}", row.name, row.note);
    canvas.rect("outer", part(row.outer.max(row.inner)), Some(&tip));
    canvas.rect("inner", part(row.inner), Some(&tip));
}
