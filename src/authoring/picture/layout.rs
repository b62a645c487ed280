//! Where everything in a flow's picture goes: a layered (Sugiyama) layout. Boxes sit in layers
//! by the longest path from the start; arrows that lead back up (retries, a failed number
//! going back to the offer) are turned round for the layering and drawn apart. Between two
//! layers of boxes lies a row of slots, one per arrow crossing it, and every arrow also takes
//! a slot in each layer it passes. An arrow's label is its slot in the row under the box it
//! leaves, so a label never shares room with a box or another label. `order` then chooses
//! the order of each row and the slots' positions.

use std::collections::BTreeMap;

use super::order;
use super::words;
use crate::authoring::graph::{Graph, Shape};

/// Room around the drawing.
pub const MARGIN: f64 = 16.0;
/// The width of a character of box text (12 px sans-serif, generously).
const BOX_CHAR: f64 = 7.0;
/// The width of a character of arrow text (11 px).
pub(super) const LABEL_CHAR: f64 = 6.4;
/// A line of box text.
pub(super) const BOX_LINE: f64 = 14.0;
/// A line of arrow text.
pub(super) const LABEL_LINE: f64 = 13.0;
/// Between one row and the next, for the arrows to bend in.
const ROW_GAP: f64 = 14.0;
/// The room a loop takes right of its box, before its label.
pub(super) const LOOP: f64 = 30.0;

/// A rectangle by its top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// Whether the two share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

/// The picture, placed.
#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<Placed>,
    pub arrows: Vec<Arrow>,
}

/// A box and its text.
#[derive(Debug, Clone)]
pub struct Placed {
    pub rect: Rect,
    pub lines: Vec<String>,
    /// Shown when the pointer rests on the box; empty for none.
    pub title: String,
    pub shape: Shape,
}

/// An arrow: the points it runs through, from its upper end down (or a loop beside a box).
#[derive(Debug, Clone)]
pub struct Arrow {
    pub points: Vec<(f64, f64)>,
    pub label: Option<Label>,
    /// It leads back up: the head is at the first point.
    pub back: bool,
    /// It leads from a box to itself, on the box's right.
    pub to_itself: bool,
}

/// An arrow's label.
#[derive(Debug, Clone)]
pub struct Label {
    pub rect: Rect,
    pub lines: Vec<String>,
    /// Every label of the arrow in full, for the tooltip.
    pub full: String,
}

impl Layout {
    /// Every label's box.
    pub fn label_boxes(&self) -> impl Iterator<Item = &Rect> {
        self.arrows
            .iter()
            .filter_map(|a| a.label.as_ref().map(|l| &l.rect))
    }
}

/// All the arrows between two boxes, in the flow's direction.
pub(super) struct Link {
    pub from: usize,
    pub to: usize,
    pub labels: Vec<String>,
}

/// What takes room in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A box (by vertex).
    Box(usize),
    /// An arrow's label (by link).
    Label(usize),
    /// An arrow passing through (by link).
    Pass(usize),
}

/// One slot: its row, its room left and right of its anchor, its height, and its anchor.
#[derive(Debug, Clone)]
pub(super) struct Slot {
    pub kind: Kind,
    pub row: usize,
    pub left: f64,
    pub right: f64,
    pub height: f64,
    pub x: f64,
}

/// The rows of slots and the arrows through them.
pub(super) struct Grid {
    pub slots: Vec<Slot>,
    /// Slot ids per row, in order.
    pub rows: Vec<Vec<usize>>,
    /// Per link, its slots from the upper box to the lower one.
    pub chains: Vec<Vec<usize>>,
    /// Per slot, the slots joined to it in the row above, and in the row below.
    above: Vec<Vec<usize>>,
    below: Vec<Vec<usize>>,
}

impl Grid {
    /// The slots joined to `slot` in the row above (`up`) or below.
    pub fn neighbours(&self, slot: usize, up: bool) -> &[usize] {
        let all = if up { &self.above } else { &self.below };
        all.get(slot).map_or(&[], Vec::as_slice)
    }

    /// Records who joins whom, once every chain is made.
    fn join(&mut self) {
        self.above = vec![Vec::new(); self.slots.len()];
        self.below = vec![Vec::new(); self.slots.len()];
        for chain in &self.chains {
            for pair in chain.windows(2) {
                self.below[pair[0]].push(pair[1]);
                self.above[pair[1]].push(pair[0]);
            }
        }
    }
}

/// Lays out `graph` with `start` at the top.
pub fn lay_out(graph: &Graph, start: &str) -> Layout {
    let index: BTreeMap<&str, usize> = graph
        .vertices
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let (links, loops) = links(graph, &index);
    let first = index.get(start).copied().unwrap_or(0);
    let back = back_links(graph.vertices.len(), &links, first);
    let ranks = ranks(graph.vertices.len(), &links, &back, first);
    let box_lines: Vec<Vec<String>> = graph
        .vertices
        .iter()
        .map(|v| words::box_lines(&v.label))
        .collect();
    let loop_lines: Vec<Vec<String>> = loops.iter().map(|l| words::arrow_lines(l)).collect();
    let mut grid = grid(&links, &back, &ranks, &box_lines, &loop_lines);
    order::reduce_crossings(&mut grid);
    order::place(&mut grid);
    let mut drawn = super::placing::Drawing::new(&grid);
    drawn.boxes(graph, &box_lines);
    drawn.arrows(&links, &back);
    drawn.loops(&loops, &loop_lines);
    drawn.finish()
}

/// The arrows between different boxes, merged per pair, and the labels of each box's loops.
fn links(graph: &Graph, index: &BTreeMap<&str, usize>) -> (Vec<Link>, Vec<Vec<String>>) {
    let mut links: Vec<Link> = Vec::new();
    let mut loops: Vec<Vec<String>> = vec![Vec::new(); graph.vertices.len()];
    for edge in &graph.edges {
        let (Some(&from), Some(&to)) = (index.get(edge.from.as_str()), index.get(edge.to.as_str()))
        else {
            continue;
        };
        if from == to {
            loops[from].push(edge.label.clone());
        } else if let Some(link) = links.iter_mut().find(|l| l.from == from && l.to == to) {
            link.labels.push(edge.label.clone());
        } else {
            let labels = vec![edge.label.clone()];
            links.push(Link { from, to, labels });
        }
    }
    (links, loops)
}

/// Which links close a loop: those that lead to a box still being explored, searching from
/// the start first and then from any box it does not reach.
fn back_links(count: usize, links: &[Link], start: usize) -> Vec<bool> {
    let mut back = vec![false; links.len()];
    // None: not seen; Some(true): on the current path; Some(false): done.
    let mut state: Vec<Option<bool>> = vec![None; count];
    let roots = std::iter::once(start).chain(0..count);
    for root in roots {
        if root >= count || state[root].is_some() {
            continue;
        }
        state[root] = Some(true);
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((node, next)) = stack.pop() {
            let outgoing: Vec<usize> = (0..links.len())
                .filter(|&i| links[i].from == node)
                .collect();
            let Some(&link) = outgoing.get(next) else {
                state[node] = Some(false);
                continue;
            };
            stack.push((node, next + 1));
            let to = links[link].to;
            match state[to] {
                Some(true) => back[link] = true,
                Some(false) => {}
                None => {
                    state[to] = Some(true);
                    stack.push((to, 0));
                }
            }
        }
    }
    back
}

/// Each box's layer: the longest path to it over the links, turned round where they lead back.
fn ranks(count: usize, links: &[Link], back: &[bool], start: usize) -> Vec<usize> {
    let down: Vec<(usize, usize)> = links
        .iter()
        .zip(back)
        .map(|(l, &b)| if b { (l.to, l.from) } else { (l.from, l.to) })
        .collect();
    let mut incoming = vec![0usize; count];
    for &(_, to) in &down {
        incoming[to] += 1;
    }
    let mut ready: Vec<usize> = std::iter::once(start)
        .chain(0..count)
        .filter(|&v| v < count && incoming[v] == 0)
        .collect();
    ready.dedup();
    let mut rank = vec![0usize; count];
    let mut seen = vec![false; count];
    while let Some(v) = ready.pop() {
        if std::mem::replace(&mut seen[v], true) {
            continue;
        }
        for &(from, to) in down.iter().filter(|(from, _)| *from == v) {
            rank[to] = rank[to].max(rank[from] + 1);
            incoming[to] -= 1;
            if incoming[to] == 0 {
                ready.push(to);
            }
        }
    }
    rank
}

/// The slots: a box in row `2 × layer`, and for each link one slot in every row between its
/// boxes, the first holding its label.
fn grid(
    links: &[Link],
    back: &[bool],
    ranks: &[usize],
    box_lines: &[Vec<String>],
    loop_lines: &[Vec<String>],
) -> Grid {
    let rows = 2 * ranks.iter().copied().max().unwrap_or(0) + 1;
    let mut grid = Grid {
        slots: Vec::new(),
        rows: vec![Vec::new(); rows],
        chains: Vec::new(),
        above: Vec::new(),
        below: Vec::new(),
    };
    for (v, lines) in box_lines.iter().enumerate() {
        let (w, h) = box_size(lines);
        let beside = loop_room(&loop_lines[v], !loop_lines[v].is_empty());
        grid.add(Kind::Box(v), 2 * ranks[v], (w / 2.0, w / 2.0 + beside), h);
    }
    for (i, link) in links.iter().enumerate() {
        let (upper, lower) = if back[i] {
            (link.to, link.from)
        } else {
            (link.from, link.to)
        };
        let lines = words::arrow_lines(&link.labels);
        let mut chain = vec![upper];
        for row in 2 * ranks[upper] + 1..2 * ranks[lower] {
            let labelled = row == 2 * ranks[upper] + 1 && !lines.is_empty();
            let slot = if labelled {
                let (w, h) = label_size(&lines);
                grid.add(Kind::Label(i), row, (w / 2.0, w / 2.0), h)
            } else {
                grid.add(Kind::Pass(i), row, (1.0, 1.0), 0.0)
            };
            chain.push(slot);
        }
        chain.push(lower);
        grid.chains.push(chain);
    }
    grid.join();
    grid
}

impl Grid {
    fn add(&mut self, kind: Kind, row: usize, (left, right): (f64, f64), height: f64) -> usize {
        let id = self.slots.len();
        self.slots.push(Slot {
            kind,
            row,
            left,
            right,
            height,
            x: 0.0,
        });
        self.rows[row].push(id);
        id
    }
}

/// A box's width and height for its lines.
pub(super) fn box_size(lines: &[String]) -> (f64, f64) {
    let longest = lines.iter().map(|l| words::chars(l)).max().unwrap_or(0);
    let height = (lines.len().max(2) as f64) * BOX_LINE + 12.0;
    (longest as f64 * BOX_CHAR + 20.0, height)
}

/// A label's width and height for its lines.
pub(super) fn label_size(lines: &[String]) -> (f64, f64) {
    let longest = lines.iter().map(|l| words::chars(l)).max().unwrap_or(0);
    (
        longest as f64 * LABEL_CHAR + 8.0,
        lines.len() as f64 * LABEL_LINE + 4.0,
    )
}

/// The room right of a box that has a loop, with its label.
fn loop_room(lines: &[String], has_loop: bool) -> f64 {
    match (has_loop, lines.is_empty()) {
        (false, _) => 0.0,
        (true, true) => LOOP,
        (true, false) => LOOP + label_size(lines).0 + 4.0,
    }
}

/// The top of each row and its height, rows stacked with a gap for the arrows to bend in.
pub(super) fn row_spans(grid: &Grid) -> Vec<(f64, f64)> {
    let mut top = MARGIN;
    grid.rows
        .iter()
        .enumerate()
        .map(|(row, slots)| {
            let tallest = slots
                .iter()
                .map(|&s| grid.slots[s].height)
                .fold(0.0, f64::max);
            // A row of passing arrows alone still needs room to show them running on.
            let height = if row % 2 == 0 {
                tallest
            } else {
                tallest.max(6.0)
            };
            let span = (top, height);
            top += height + ROW_GAP;
            span
        })
        .collect()
}
