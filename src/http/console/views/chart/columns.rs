//! Stacked columns: one column per step along the bottom (a day), split into series (the
//! categories), each series in its own colour and named in a legend above. Column labels are
//! thinned out when they would touch, and a column's total stands above it where it fits.

use super::canvas::{Anchor, Canvas, FONT, LINE, text_width};
use super::{Axis, Caption, Entry, Legend, PAD, Rect, SERIES_COLOURS, Unit, WIDTH, empty};

/// The height of the plot.
const PLOT: f64 = 180.0;

/// Columns to draw.
#[derive(Debug, Clone)]
pub struct Columns {
    pub caption: Caption,
    /// The series' names, bottom of the stack first.
    pub series: Vec<String>,
    pub columns: Vec<Column>,
    /// What a unit of a value is, for the tooltips ("calls").
    pub noun: String,
    /// Said instead when every value is zero.
    pub empty: String,
}

/// One column: its label and a value per series.
#[derive(Debug, Clone)]
pub struct Column {
    pub label: String,
    pub values: Vec<u64>,
}

/// The chart as SVG.
pub fn draw(chart: &Columns) -> String {
    let tallest = chart
        .columns
        .iter()
        .map(|c| c.values.iter().sum::<u64>())
        .max()
        .unwrap_or(0);
    if tallest == 0 {
        return empty(&chart.caption, &chart.empty);
    }
    let axis = Axis::to(tallest as f64, Unit::Count);
    let ticks = axis.ticks();
    let gutter = ticks.iter().map(|(_, l)| text_width(l)).fold(0.0, f64::max) + 8.0;
    let legend = Legend::new(&entries(chart), PAD);
    // Room above the tallest column for its total.
    let plot_top = legend.bottom + LINE;
    let bottom = plot_top + PLOT;
    let height = bottom + LINE + PAD + 4.0;
    let mut canvas = Canvas::new(WIDTH, height, &chart.caption, "columns");
    legend.draw(&mut canvas);
    let widest = chart
        .columns
        .iter()
        .map(|c| text_width(&c.label))
        .fold(0.0, f64::max);
    // The last column's label may be wider than its column.
    let plot = Rect {
        x: PAD + gutter,
        y: plot_top,
        w: WIDTH - 2.0 * PAD - gutter - widest / 2.0,
        h: PLOT,
    };
    let y_of = |value: f64| bottom - value / axis.end() * PLOT;
    for (value, label) in &ticks {
        let y = y_of(*value);
        canvas.line("grid", (plot.x, y), (plot.x + plot.w, y));
        canvas.text("tick", (plot.x - 6.0, y + FONT / 3.0), Anchor::End, label);
    }
    draw_columns(&mut canvas, chart, plot, &y_of, widest);
    canvas.finish()
}

/// The columns across the plot, their labels under it and its base line.
fn draw_columns(
    canvas: &mut Canvas,
    chart: &Columns,
    plot: Rect,
    y_of: &dyn Fn(f64) -> f64,
    widest: f64,
) {
    let slot = plot.w / chart.columns.len() as f64;
    for (i, column) in chart.columns.iter().enumerate() {
        let left = plot.x + slot * i as f64;
        stack(canvas, chart, column, (left, slot), y_of);
    }
    column_labels(canvas, &chart.columns, plot, (slot, widest));
    let bottom = plot.y + plot.h;
    canvas.line("axis", (plot.x, bottom), (plot.x + plot.w, bottom));
}

/// The legend's entries: each series with its colour.
fn entries(chart: &Columns) -> Vec<Entry> {
    (chart.series.iter().enumerate())
        .map(|(i, name)| Entry {
            class: series_class(i),
            name: name.clone(),
        })
        .collect()
}

/// One column's segments, bottom up, and its total above it where that fits.
fn stack(
    canvas: &mut Canvas,
    chart: &Columns,
    column: &Column,
    (left, slot): (f64, f64),
    y_of: &dyn Fn(f64) -> f64,
) {
    let width = (slot * 0.72).min(44.0);
    let x = left + (slot - width) / 2.0;
    let mut below = 0u64;
    for (s, value) in column.values.iter().enumerate().filter(|(_, v)| **v > 0) {
        let (top, base) = (y_of((below + value) as f64), y_of(below as f64));
        let name = chart.series.get(s).map_or("", String::as_str);
        let tip = format!("{name}: {value} {} on {}", chart.noun, column.label);
        let segment = Rect {
            x,
            y: top,
            w: width,
            h: base - top,
        };
        canvas.rect(&format!("segment {}", series_class(s)), segment, Some(&tip));
        below += value;
    }
    let total = below.to_string();
    if below > 0 && text_width(&total) <= slot - 2.0 {
        let at = (left + slot / 2.0, y_of(below as f64) - 4.0);
        canvas.text("total", at, Anchor::Middle, &total);
    }
}

/// The labels under the columns: every one where they have room, else every second, third…
fn column_labels(canvas: &mut Canvas, columns: &[Column], plot: Rect, (slot, widest): (f64, f64)) {
    let every = ((widest + 6.0) / slot).ceil().max(1.0) as usize;
    // Low enough to clear the zero of the axis on the left.
    let y = plot.y + plot.h + FONT + 8.0;
    for (i, column) in columns.iter().enumerate().step_by(every) {
        let x = plot.x + slot * (i as f64 + 0.5);
        canvas.text("tick", (x, y), Anchor::Middle, &column.label);
    }
}

/// The class of series `i`'s colour; past the eighth, colours repeat.
pub fn series_class(i: usize) -> String {
    format!("s{}", i % SERIES_COLOURS)
}
