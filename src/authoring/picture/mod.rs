//! A flow's graph drawn as SVG, for the console's flows page: boxes in layers from the start
//! node down, arrows labelled with the keys and events that lead on, arrows that lead back up
//! dashed. `layout` places everything so that no two boxes or labels overlap; this module only
//! writes the SVG. `flows graph` gives Mermaid or DOT for other tools.

mod layout;
mod order;
mod placing;
mod words;

use std::fmt::Write;

use quick_xml::escape::escape;

use super::graph::{Graph, Shape};
pub use layout::{Arrow, Label, Layout, Placed, Rect, lay_out};

/// The colour of arrows, and of those that lead back up.
const INK: &str = "#555555";
const BACK_INK: &str = "#9a4a00";

/// The graph as an SVG document; `start` is the id of the vertex at the top.
pub fn svg(graph: &Graph, start: &str) -> String {
    render(&lay_out(graph, start))
}

/// The SVG of a layout. It scales with the width of its frame (the `viewBox`) and uses no
/// inline style, which the console's content security policy forbids.
pub fn render(layout: &Layout) -> String {
    let (w, h) = (layout.width, layout.height);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow-picture\" width=\"{w}\" \
         height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\" \
         role=\"img\">\n<title>The steps of the call and what leads from one to the next</title>\n"
    );
    out.push_str("<defs>");
    for (id, ink) in [("arrow", INK), ("arrow-back", BACK_INK)] {
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" \
             markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" \
             fill=\"{ink}\"/></marker>"
        );
    }
    out.push_str("</defs>\n");
    for arrow in &layout.arrows {
        draw_arrow(&mut out, arrow);
    }
    for placed in &layout.boxes {
        draw_box(&mut out, placed);
    }
    for arrow in &layout.arrows {
        if let Some(label) = &arrow.label {
            draw_label(&mut out, label, arrow.back);
        }
    }
    out.push_str("</svg>\n");
    out
}

fn draw_arrow(out: &mut String, arrow: &Arrow) {
    let d = if arrow.to_itself {
        loop_path(&arrow.points)
    } else {
        path(&arrow.points)
    };
    let (ink, ends) = if arrow.back {
        (
            BACK_INK,
            " stroke-dasharray=\"5 4\" marker-start=\"url(#arrow-back)\"",
        )
    } else {
        (INK, " marker-end=\"url(#arrow)\"")
    };
    let _ = writeln!(
        out,
        "<path d=\"{d}\" fill=\"none\" stroke=\"{ink}\" stroke-width=\"1.2\"{ends}/>"
    );
}

/// Straight down where the points share an x, an S-bend where they do not.
fn path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        if i == 0 {
            let _ = write!(d, "M {x:.1} {y:.1}");
            continue;
        }
        let (px, py) = points[i - 1];
        if (px - x).abs() < 0.5 {
            let _ = write!(d, " L {x:.1} {y:.1}");
        } else {
            let mid = (py + y) / 2.0;
            let _ = write!(d, " C {px:.1} {mid:.1} {x:.1} {mid:.1} {x:.1} {y:.1}");
        }
    }
    d
}

/// A loop out of a box's right side and back into it.
fn loop_path(points: &[(f64, f64)]) -> String {
    let (Some(&(x, y1)), Some(&(_, y2))) = (points.first(), points.last()) else {
        return String::new();
    };
    let out = x + layout::LOOP - 4.0;
    format!(
        "M {x:.1} {y1:.1} C {out:.1} {:.1} {out:.1} {:.1} {x:.1} {y2:.1}",
        y1 - 8.0,
        y2 + 8.0
    )
}

fn draw_box(out: &mut String, placed: &Placed) {
    let (fill, stroke, radius) = match placed.shape {
        Shape::Node => ("#ffffff", "#44546a", 3),
        Shape::Category => ("#fff4d6", "#b7791f", 12),
        Shape::Queue => ("#e6f4ea", "#2f855a", 20),
        Shape::Exit => ("#eef1f5", "#6b7280", 20),
    };
    let Rect { x, y, w, h } = placed.rect;
    out.push_str("<g>");
    if !placed.title.is_empty() {
        let _ = write!(out, "<title>{}</title>", escape(placed.title.as_str()));
    }
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"{radius}\" \
         fill=\"{fill}\" stroke=\"{stroke}\"/>"
    );
    let lines = placed.lines.len() as f64;
    let first = y + (h - lines * layout::BOX_LINE) / 2.0 + 11.0;
    for (i, line) in placed.lines.iter().enumerate() {
        let weight = if i == 0 { "bold" } else { "normal" };
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"{weight}\">{}</text>",
            x + w / 2.0,
            first + i as f64 * layout::BOX_LINE,
            escape(line.as_str())
        );
    }
    out.push_str("</g>\n");
}

/// A label as a chip over its arrow, with the arrow's full text as its tooltip.
fn draw_label(out: &mut String, label: &Label, back: bool) {
    let Rect { x, y, w, h } = label.rect;
    let (ink, border) = if back {
        (BACK_INK, BACK_INK)
    } else {
        ("#333333", "#c9d0d6")
    };
    let _ = write!(
        out,
        "<g><title>{}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" \
         rx=\"3\" fill=\"#ffffff\" stroke=\"{border}\"/><text font-size=\"11\" fill=\"{ink}\" \
         text-anchor=\"middle\">",
        escape(label.full.as_str())
    );
    for (i, line) in label.lines.iter().enumerate() {
        let _ = write!(
            out,
            "<tspan x=\"{:.1}\" y=\"{:.1}\">{}</tspan>",
            x + w / 2.0,
            y + 12.0 + i as f64 * layout::LABEL_LINE,
            escape(line.as_str())
        );
    }
    out.push_str("</text></g>\n");
}

#[cfg(test)]
mod tests;
