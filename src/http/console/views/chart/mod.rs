//! Charts the server draws as SVG for the console (no script, no outside library): stacked
//! columns (`columns`) and horizontal bars in two parts (`bars`). Each chart is an image with
//! a title and a description for assistive technology, scales with the width of its container,
//! and places its text so that no two labels overlap; the numbers stay in the tables beside it.
//! Pure: data in, SVG text out.

pub mod bars;
mod canvas;
pub mod columns;

pub use canvas::Rect;
use canvas::{Anchor, Canvas, FONT, LINE, text_width};

/// The width of every chart, in its own units; the page scales it.
pub const WIDTH: f64 = 440.0;
/// Room around a chart's content.
const PAD: f64 = 8.0;
/// Series colours the style sheet defines (`s0` to `s7`), told apart by colour-blind readers.
pub const SERIES_COLOURS: usize = 8;

/// What a chart is called, for assistive technology: its `title` and a `desc` of what it shows.
#[derive(Debug, Clone)]
pub struct Caption {
    /// Unique on the page; the title and description take ids from it.
    pub id: String,
    pub title: String,
    pub desc: String,
}

/// What an axis counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Whole numbers of things.
    Count,
    /// A duration in seconds, labelled in seconds, minutes, hours or days.
    Seconds,
}

/// An axis from zero: `steps` equal steps of `step`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub step: f64,
    pub steps: usize,
    pub unit: Unit,
}

/// Steps for durations: round numbers of seconds, minutes, hours and days.
const DURATION_STEPS: [f64; 20] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0,
    10800.0, 21600.0, 43200.0, 86400.0, 172_800.0, 604_800.0,
];
/// At most this many steps on an axis, so that its labels have room.
const MAX_STEPS: usize = 5;

impl Axis {
    /// The shortest axis of round steps that reaches `max` in at most five steps.
    pub fn to(max: f64, unit: Unit) -> Axis {
        let max = max.max(1.0);
        let step = match unit {
            Unit::Seconds => DURATION_STEPS
                .iter()
                .copied()
                .find(|s| max / s <= MAX_STEPS as f64)
                .unwrap_or_else(|| (max / MAX_STEPS as f64 / 604_800.0).ceil() * 604_800.0),
            Unit::Count => {
                let rough = max / MAX_STEPS as f64;
                let power = 10f64.powf(rough.log10().floor()).max(1.0);
                [1.0, 2.0, 5.0, 10.0]
                    .iter()
                    .map(|m| m * power)
                    .find(|s| *s >= rough)
                    .unwrap_or(10.0 * power)
            }
        };
        Axis {
            step,
            steps: ((max / step).ceil() as usize).max(1),
            unit,
        }
    }

    /// The value at the end of the axis.
    pub fn end(&self) -> f64 {
        self.step * self.steps as f64
    }

    /// Every tick, from zero, with its label.
    pub fn ticks(&self) -> Vec<(f64, String)> {
        (0..=self.steps)
            .map(|i| {
                let value = self.step * i as f64;
                (value, label(value, self.unit))
            })
            .collect()
    }
}

/// A tick's label: "40", "30 s", "15 min", "2 h", "1 d 12 h".
pub fn label(value: f64, unit: Unit) -> String {
    let whole = value.round() as i64;
    if unit == Unit::Count {
        return whole.to_string();
    }
    let (days, hours, minutes, seconds) = (
        whole / 86400,
        whole / 3600 % 24,
        whole / 60 % 60,
        whole % 60,
    );
    match (days, hours, minutes, seconds) {
        (0, 0, 0, s) => format!("{s} s"),
        (0, 0, m, 0) => format!("{m} min"),
        (0, 0, m, s) => format!("{m} min {s} s"),
        (0, h, 0, _) => format!("{h} h"),
        (0, h, m, _) => format!("{h} h {m} min"),
        (d, 0, _, _) => format!("{d} d"),
        (d, h, _, _) => format!("{d} d {h} h"),
    }
}

/// One entry of a legend: the class of its swatch and its name.
pub struct Entry {
    pub class: String,
    pub name: String,
}

/// A legend laid out from `top`: entries side by side, on further lines where the width ends.
struct Legend {
    /// Each entry's swatch class, name (cut to fit) and top-left corner.
    places: Vec<(String, String, f64, f64)>,
    /// The `y` below it.
    bottom: f64,
}

impl Legend {
    fn new(entries: &[Entry], top: f64) -> Legend {
        let (mut x, mut y) = (PAD, top);
        let mut places = Vec::new();
        for entry in entries {
            let name = canvas::fit(&entry.name, WIDTH - 2.0 * PAD - 18.0);
            let width = 18.0 + text_width(&name);
            if x > PAD && x + width > WIDTH - PAD {
                (x, y) = (PAD, y + LINE);
            }
            places.push((entry.class.clone(), name, x, y));
            x += width + 16.0;
        }
        let bottom = if entries.is_empty() { top } else { y + LINE };
        Legend { places, bottom }
    }

    fn draw(&self, canvas: &mut Canvas) {
        for (class, name, x, y) in &self.places {
            let swatch = Rect {
                x: *x,
                y: y + 2.0,
                w: 12.0,
                h: 12.0,
            };
            canvas.rect(&format!("swatch {class}"), swatch, None);
            canvas.text("legend", (x + 18.0, y + FONT), Anchor::Start, name);
        }
    }
}

/// A chart with nothing to show, saying why.
pub fn empty(caption: &Caption, message: &str) -> String {
    let caption = Caption {
        desc: message.to_string(),
        ..caption.clone()
    };
    let height = 48.0;
    let mut canvas = Canvas::new(WIDTH, height, &caption, "empty");
    let frame = Rect {
        x: 1.0,
        y: 1.0,
        w: WIDTH - 2.0,
        h: height - 2.0,
    };
    canvas.rect("frame", frame, None);
    let text = canvas::fit(message, WIDTH - 2.0 * PAD);
    canvas.text(
        "note",
        (WIDTH / 2.0, height / 2.0 + 4.5),
        Anchor::Middle,
        &text,
    );
    canvas.finish()
}

#[cfg(test)]
mod tests;
