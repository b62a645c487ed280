//! From placed slots to what is drawn: each box's rectangle, each arrow's points (from a port
//! on the bottom of its upper box, through its slots, to a port on the top of its lower box)
//! and its label, and the loops beside boxes.

use super::layout::{
    Arrow, Grid, Kind, LOOP, Label, Layout, Link, MARGIN, Placed, Rect, box_size, label_size,
    row_spans,
};
use crate::authoring::graph::Graph;

/// The spacing of the ports where several arrows leave or enter one side of a box.
const PORT: f64 = 12.0;

/// The drawing being made from a placed grid.
pub(super) struct Drawing<'a> {
    grid: &'a Grid,
    rows: Vec<(f64, f64)>,
    /// The leftmost point drawn, which becomes the margin.
    shift: f64,
    boxes: Vec<Option<Rect>>,
    layout: Layout,
}

impl<'a> Drawing<'a> {
    pub fn new(grid: &'a Grid) -> Drawing<'a> {
        let shift = grid
            .slots
            .iter()
            .map(|s| s.x - s.left)
            .fold(f64::INFINITY, f64::min);
        let shift = if shift.is_finite() {
            MARGIN - shift
        } else {
            0.0
        };
        let rows = row_spans(grid);
        let height = rows.last().map_or(0.0, |(top, h)| top + h) + MARGIN;
        let width = grid
            .slots
            .iter()
            .map(|s| s.x + s.right + shift)
            .fold(0.0, f64::max)
            + MARGIN;
        Drawing {
            grid,
            rows,
            shift,
            boxes: Vec::new(),
            layout: Layout {
                width: width.ceil(),
                height: height.ceil(),
                boxes: Vec::new(),
                arrows: Vec::new(),
            },
        }
    }

    /// Places the boxes, centred in their rows.
    pub fn boxes(&mut self, graph: &Graph, lines: &[Vec<String>]) {
        self.boxes = vec![None; graph.vertices.len()];
        for slot in &self.grid.slots {
            let Kind::Box(v) = slot.kind else { continue };
            let (w, h) = box_size(&lines[v]);
            let (top, height) = self.rows[slot.row];
            let rect = Rect {
                x: slot.x + self.shift - w / 2.0,
                y: top + (height - h) / 2.0,
                w,
                h,
            };
            self.boxes[v] = Some(rect);
            self.layout.boxes.push(Placed {
                rect,
                lines: lines[v].clone(),
                title: graph.vertices[v].title.clone(),
                shape: graph.vertices[v].shape,
            });
        }
    }

    /// Draws each link along its chain of slots.
    pub fn arrows(&mut self, links: &[Link], back: &[bool]) {
        for (i, chain) in self.grid.chains.iter().enumerate() {
            let (Some(&first), Some(&last)) = (chain.first(), chain.last()) else {
                continue;
            };
            let (Some(upper), Some(lower)) = (self.rect_of(first), self.rect_of(last)) else {
                continue;
            };
            let start = (self.port(first, i, true, upper), upper.y + upper.h);
            let mut points = vec![start];
            let mut label = None;
            for &slot in &chain[1..chain.len() - 1] {
                let s = &self.grid.slots[slot];
                let (top, height) = self.rows[s.row];
                let x = s.x + self.shift;
                points.push((x, top));
                points.push((x, top + height));
                if let Kind::Label(_) = s.kind {
                    label = Some(self.label_at(x, top, height, &links[i].labels));
                }
            }
            points.push((self.port(last, i, false, lower), lower.y));
            self.layout.arrows.push(Arrow {
                points,
                label,
                back: back[i],
                to_itself: false,
            });
        }
    }

    /// Draws each box's loop on its right, with its label beside it.
    pub fn loops(&mut self, loops: &[Vec<String>], lines: &[Vec<String>]) {
        for (v, labels) in loops.iter().enumerate() {
            let Some(rect) = self.boxes.get(v).copied().flatten() else {
                continue;
            };
            if labels.is_empty() {
                continue;
            }
            let right = rect.x + rect.w;
            let points = vec![
                (right, rect.y + rect.h / 3.0),
                (right, rect.y + rect.h * 2.0 / 3.0),
            ];
            let label = (!lines[v].is_empty()).then(|| {
                let (w, h) = label_size(&lines[v]);
                Label {
                    rect: Rect {
                        x: right + LOOP + 2.0,
                        y: rect.y + (rect.h - h) / 2.0,
                        w,
                        h,
                    },
                    lines: lines[v].clone(),
                    full: labels.join("; "),
                }
            });
            self.layout.arrows.push(Arrow {
                points,
                label,
                back: false,
                to_itself: true,
            });
        }
    }

    pub fn finish(self) -> Layout {
        self.layout
    }

    fn rect_of(&self, slot: usize) -> Option<Rect> {
        match self.grid.slots[slot].kind {
            Kind::Box(v) => self.boxes.get(v).copied().flatten(),
            _ => None,
        }
    }

    /// Where link `link` leaves (`bottom`) or enters a box: the box's arrows on that side are
    /// spread in the order of the slots they run to, so they do not cross at the box.
    fn port(&self, slot: usize, link: usize, bottom: bool, rect: Rect) -> f64 {
        let mut sides: Vec<(f64, usize)> = self
            .grid
            .chains
            .iter()
            .enumerate()
            .filter_map(|(i, chain)| {
                let (end, next) = if bottom {
                    (*chain.first()?, *chain.get(1)?)
                } else {
                    (*chain.last()?, *chain.get(chain.len().checked_sub(2)?)?)
                };
                (end == slot).then(|| (self.grid.slots[next].x, i))
            })
            .collect();
        sides.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let n = sides.len().max(1) as f64;
        let span = (rect.w - 2.0 * PORT).min((n - 1.0) * PORT).max(0.0);
        let at = sides.iter().position(|(_, i)| *i == link).unwrap_or(0) as f64;
        let step = if n > 1.0 { span / (n - 1.0) } else { 0.0 };
        rect.x + rect.w / 2.0 - span / 2.0 + at * step
    }

    fn label_at(&self, x: f64, top: f64, height: f64, labels: &[String]) -> Label {
        let lines = super::words::arrow_lines(labels);
        let (w, h) = label_size(&lines);
        Label {
            rect: Rect {
                x: x - w / 2.0,
                y: top + (height - h) / 2.0,
                w,
                h,
            },
            lines,
            full: labels
                .iter()
                .filter(|l| !l.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}
