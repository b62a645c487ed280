//! The few SVG elements the charts are made of, with their text escaped. Colours and fonts
//! come from the console's style sheet by class: an inline `style` is what the console's
//! content security policy forbids.

use std::fmt::Write;

use quick_xml::escape::escape;

use super::Caption;

/// The size the charts' text is drawn and measured at, in the drawing's units.
pub const FONT: f64 = 13.0;
/// The height of a line of text.
pub const LINE: f64 = 17.0;

/// How a text is anchored at its point.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A rectangle by its top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// An SVG document being written.
pub struct Canvas {
    out: String,
}

impl Canvas {
    /// A drawing `width` by `height` units that scales with its container (`viewBox` and the
    /// style sheet's `svg.chart`), named for assistive technology by its caption.
    pub fn new(width: f64, height: f64, caption: &Caption, class: &str) -> Canvas {
        let id = escape(caption.id.as_str());
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" \
             viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" \
             aria-labelledby=\"{id}-title {id}-desc\">"
        );
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            escape(caption.title.as_str()),
            escape(caption.desc.as_str())
        );
        Canvas { out }
    }

    /// A rectangle, with a tooltip when `tip` is given.
    pub fn rect(&mut self, class: &str, r: Rect, tip: Option<&str>) {
        let Rect { x, y, w, h } = r;
        let _ = write!(
            self.out,
            "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\"",
            w.max(0.0),
            h.max(0.0)
        );
        match tip {
            Some(tip) => {
                let _ = write!(self.out, "><title>{}</title></rect>", escape(tip));
            }
            None => self.out.push_str("/>"),
        }
    }

    pub fn text(&mut self, class: &str, (x, y): (f64, f64), anchor: Anchor, text: &str) {
        let anchor = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let _ = write!(
            self.out,
            "<text class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\">{}</text>",
            escape(text)
        );
    }

    pub fn line(&mut self, class: &str, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) {
        let _ = write!(
            self.out,
            "<line class=\"{class}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>"
        );
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// How wide `text` is drawn, generously: a little more than the average character of a
/// sans-serif font, so that what is measured apart is drawn apart.
pub fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * FONT * 0.6
}

/// `text` cut with "…" to fit in `width`.
pub fn fit(text: &str, width: f64) -> String {
    if text_width(text) <= width {
        return text.to_string();
    }
    let keep = ((width / (FONT * 0.6)).floor() as usize).saturating_sub(1);
    let kept: String = text.chars().take(keep).collect();
    format!("{}…", kept.trim_end())
}
