//! A flow's graph drawn as SVG, for the console's flows page: boxes in layers from the start
//! node down, arrows labelled with keys. A plain layered layout, good enough to read a hotline
//! of a few dozen nodes; `flows graph` gives Mermaid or DOT for anything fancier.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::graph::{Graph, Shape, Vertex};

const CHAR_WIDTH: usize = 7;
const BOX_HEIGHT: usize = 40;
const GAP_X: usize = 24;
const GAP_Y: usize = 64;
const MARGIN: usize = 16;

/// Where each box sits.
struct Placed<'a> {
    vertex: &'a Vertex,
    x: usize,
    y: usize,
    width: usize,
}

/// The graph as an SVG document; `start` is the id of the vertex at the top.
pub fn svg(graph: &Graph, start: &str) -> String {
    let layers = layers(graph, start);
    let vertex = |id: &String| graph.vertices.iter().find(|v| &v.id == id);
    let row_width = |ids: &Vec<String>| -> usize {
        ids.iter()
            .filter_map(vertex)
            .map(|v| box_width(v) + GAP_X)
            .sum()
    };
    let width = layers.iter().map(row_width).max().unwrap_or(0) + 2 * MARGIN;
    let mut placed: BTreeMap<&str, Placed<'_>> = BTreeMap::new();
    for (row, ids) in layers.iter().enumerate() {
        // Rows are centred under the widest one.
        let mut x = (width - row_width(ids)) / 2 + GAP_X / 2;
        for id in ids {
            let Some(vertex) = vertex(id) else { continue };
            let box_width = box_width(vertex);
            let y = MARGIN + row * (BOX_HEIGHT + GAP_Y);
            placed.insert(
                id.as_str(),
                Placed {
                    vertex,
                    x,
                    y,
                    width: box_width,
                },
            );
            x += box_width + GAP_X;
        }
    }
    let height = MARGIN * 2 + layers.len() * (BOX_HEIGHT + GAP_Y);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow-picture\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" \
         font-size=\"12\" role=\"img\">\n"
    );
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n");
    for edge in &graph.edges {
        if let (Some(from), Some(to)) =
            (placed.get(edge.from.as_str()), placed.get(edge.to.as_str()))
        {
            arrow(&mut out, from, to, &edge.label);
        }
    }
    for p in placed.values() {
        draw_box(&mut out, p);
    }
    out.push_str("</svg>\n");
    out
}

/// Rows of vertex ids. A box sits one row below the lowest box that leads to it, ignoring
/// the arrows that lead back up (repeats, retries), so every other arrow points down; within
/// a row, boxes sit under the boxes that lead to them.
fn layers(graph: &Graph, start: &str) -> Vec<Vec<String>> {
    let back = back_edges(graph, start);
    let forward: Vec<(&str, &str)> = graph
        .edges
        .iter()
        .enumerate()
        .filter(|(i, e)| !back.contains(i) && e.from != e.to)
        .map(|(_, e)| (e.from.as_str(), e.to.as_str()))
        .collect();
    let mut depth: BTreeMap<&str, usize> = BTreeMap::from([(start, 0)]);
    // Longest path over an acyclic graph: relaxing every arrow as often as there are boxes
    // settles it (a few dozen boxes, so the simple way is fast enough).
    for _ in 0..graph.vertices.len() {
        let mut changed = false;
        for (from, to) in &forward {
            if let Some(&d) = depth.get(from)
                && depth.get(to).is_none_or(|&t| t < d + 1)
            {
                depth.insert(to, d + 1);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let deepest = depth.values().copied().max().unwrap_or(0);
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); deepest + 2];
    for v in &graph.vertices {
        let row = depth.get(v.id.as_str()).copied().unwrap_or(deepest + 1);
        rows[row].push(v.id.clone());
    }
    rows.retain(|r| !r.is_empty());
    order_rows(&mut rows, &forward);
    rows
}

/// The indexes of arrows that close a loop (lead to a box still being explored from the start).
fn back_edges(graph: &Graph, start: &str) -> Vec<usize> {
    let mut back = Vec::new();
    let mut state: BTreeMap<&str, bool> = BTreeMap::new(); // true while on the path
    let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
    state.insert(start, true);
    while let Some((node, next)) = stack.pop() {
        let outgoing: Vec<(usize, &str)> = graph
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.from == node)
            .map(|(i, e)| (i, e.to.as_str()))
            .collect();
        let Some(&(index, to)) = outgoing.get(next) else {
            state.insert(node, false);
            continue;
        };
        stack.push((node, next + 1));
        match state.get(to) {
            Some(true) => back.push(index),
            Some(false) => {}
            None => {
                state.insert(to, true);
                stack.push((to, 0));
            }
        }
    }
    back
}

/// Puts each box under the average position of the boxes that lead to it.
fn order_rows(rows: &mut [Vec<String>], forward: &[(&str, &str)]) {
    let mut position: BTreeMap<String, f64> = BTreeMap::new();
    for row in rows.iter_mut() {
        let key = |id: &String| -> f64 {
            let parents: Vec<f64> = forward
                .iter()
                .filter(|(_, to)| to == id)
                .filter_map(|(from, _)| position.get(*from).copied())
                .collect();
            if parents.is_empty() {
                f64::MAX
            } else {
                parents.iter().sum::<f64>() / parents.len() as f64
            }
        };
        let mut keyed: Vec<(f64, String)> = row.iter().map(|id| (key(id), id.clone())).collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        *row = keyed.into_iter().map(|(_, id)| id).collect();
        for (i, id) in row.iter().enumerate() {
            position.insert(id.clone(), i as f64 / row.len().max(1) as f64);
        }
    }
}

fn box_width(v: &Vertex) -> usize {
    let longest = v
        .label
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    longest * CHAR_WIDTH + 20
}

fn draw_box(out: &mut String, p: &Placed<'_>) {
    let (fill, stroke, radius) = match p.vertex.shape {
        Shape::Node => ("#ffffff", "#44546a", 3),
        Shape::Category => ("#fff4d6", "#b7791f", 12),
        Shape::Queue => ("#e6f4ea", "#2f855a", 20),
        Shape::Exit => ("#eef1f5", "#6b7280", 20),
    };
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "<g><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BOX_HEIGHT}\" rx=\"{radius}\" fill=\"{fill}\" stroke=\"{stroke}\"/>",
        p.x, p.y, p.width
    );
    let lines: Vec<&str> = p.vertex.label.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let y = p.y + 16 + i * 14 + (2 - lines.len().min(2)) * 7;
        let weight = if i == 0 { "bold" } else { "normal" };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{y}\" text-anchor=\"middle\" font-weight=\"{weight}\">{}</text>",
            p.x + p.width / 2,
            escape(line)
        );
    }
    out.push_str("</g>\n");
}

fn arrow(out: &mut String, from: &Placed<'_>, to: &Placed<'_>, label: &str) {
    let (x1, y1) = (from.x + from.width / 2, from.y + BOX_HEIGHT);
    let (x2, y2) = (to.x + to.width / 2, to.y);
    let path = if std::ptr::eq(from, to) {
        let right = from.x + from.width;
        format!(
            "M {right} {} C {} {} {} {} {right} {}",
            from.y + 10,
            right + 30,
            from.y,
            right + 30,
            from.y + 30,
            from.y + 30
        )
    } else if y2 > y1 {
        let mid = (y1 + y2) / 2;
        format!("M {x1} {y1} C {x1} {mid} {x2} {mid} {x2} {y2}")
    } else if to.y == from.y {
        // Along a row: a dip below it, from one box's bottom to the other's.
        let dip = y1 + GAP_Y / 2;
        format!(
            "M {x1} {y1} C {x1} {dip} {x2} {dip} {x2} {}",
            to.y + BOX_HEIGHT
        )
    } else {
        // Upward: leave and arrive on the sides so the line does not cross the boxes it joins.
        let (sx, ex) = (from.x, to.x + to.width);
        let (sy, ey) = (from.y + BOX_HEIGHT / 2, to.y + BOX_HEIGHT / 2);
        format!(
            "M {sx} {sy} C {} {sy} {} {ey} {ex} {ey}",
            sx.saturating_sub(60),
            ex + 60
        )
    };
    let _ = writeln!(
        out,
        "<path d=\"{path}\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>"
    );
    if !label.is_empty() {
        let (lx, ly) = if std::ptr::eq(from, to) {
            (from.x + from.width + 34, from.y + 20)
        } else if to.y == from.y {
            ((x1 + x2) / 2, y1 + GAP_Y * 3 / 8)
        } else {
            ((x1 + x2) / 2, (y1 + y2) / 2 + 4)
        };
        let w = label.chars().count() * 6 + 6;
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"14\" fill=\"#ffffff\" opacity=\"0.85\"/><text x=\"{lx}\" y=\"{ly}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333\">{}</text>",
            lx.saturating_sub(w / 2),
            ly.saturating_sub(11),
            escape(label)
        );
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_flow_draws_every_box_starting_at_the_top() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/call_flows");
        let flows =
            crate::catalog::files::load_dir(std::path::Path::new(path)).expect("flows load");
        let flow = flows.default_flow();
        let graph = super::super::graph::build(flow);
        let start = format!("n_{}", flow.start);
        let picture = svg(&graph, &start);
        assert!(picture.starts_with("<svg") && picture.trim_end().ends_with("</svg>"));
        assert_eq!(
            picture.matches("<rect x=").count() - picture.matches("opacity").count(),
            graph.vertices.len()
        );
        let rows = layers(&graph, &start);
        assert_eq!(
            rows[0],
            vec![start.clone()],
            "the start node is alone at the top"
        );
        assert!(
            !picture.contains("style="),
            "no inline styles: the console's policy forbids them"
        );
    }
}
