//! The two choices a layered layout makes after the layers: the order of the slots in each
//! row (few crossings, by barycenter sweeps down and up, keeping the best order seen), and
//! where each slot goes (as near the middle of the slots it joins as the room between its
//! neighbours allows, row by row, down and up again).

use super::layout::{Grid, Kind};

/// Sweeps of the crossing reduction; each alternates direction.
const SWEEPS: usize = 12;
/// Passes of the placement.
const PASSES: usize = 8;
/// Between two boxes, or a box and a label.
const GAP: f64 = 18.0;
/// Beside an arrow passing through.
const GAP_PASS: f64 = 10.0;

/// Orders every row to cross few arrows.
pub(super) fn reduce_crossings(grid: &mut Grid) {
    let mut best = grid.rows.clone();
    let mut fewest = crossings(grid);
    let last = grid.rows.len().saturating_sub(1);
    for sweep in 0..SWEEPS {
        if sweep % 2 == 0 {
            (1..=last).for_each(|row| sort_row(grid, row, true));
        } else {
            (0..last).rev().for_each(|row| sort_row(grid, row, false));
        }
        let now = crossings(grid);
        if now < fewest {
            fewest = now;
            best = grid.rows.clone();
        }
    }
    grid.rows = best;
}

/// Sorts a row by the mean position of each slot's neighbours above (`up`) or below; a slot
/// without any keeps its place.
fn sort_row(grid: &mut Grid, row: usize, up: bool) {
    let Some(other) = (if up {
        row.checked_sub(1)
    } else {
        Some(row + 1)
    }) else {
        return;
    };
    let Some(others) = grid.rows.get(other) else {
        return;
    };
    let position = positions(grid.slots.len(), others);
    let mut keyed: Vec<(f64, usize)> = grid.rows[row]
        .iter()
        .enumerate()
        .map(|(i, &slot)| {
            let near: Vec<f64> = grid
                .neighbours(slot, up)
                .iter()
                .filter_map(|&n| position[n])
                .collect();
            let key = if near.is_empty() {
                i as f64
            } else {
                near.iter().sum::<f64>() / near.len() as f64
            };
            (key, slot)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    grid.rows[row] = keyed.into_iter().map(|(_, slot)| slot).collect();
}

/// Each slot's index in `row`, by slot id.
fn positions(count: usize, row: &[usize]) -> Vec<Option<f64>> {
    let mut position = vec![None; count];
    for (i, &slot) in row.iter().enumerate() {
        position[slot] = Some(i as f64);
    }
    position
}

/// How many pairs of arrow segments cross, over all rows.
pub(super) fn crossings(grid: &Grid) -> usize {
    let mut total = 0;
    for pair in grid.rows.windows(2) {
        let upper = positions(grid.slots.len(), &pair[0]);
        let lower = positions(grid.slots.len(), &pair[1]);
        let segments: Vec<(f64, f64)> = pair[0]
            .iter()
            .flat_map(|&s| grid.neighbours(s, false).iter().map(move |&n| (s, n)))
            .filter_map(|(s, n)| Some((upper[s]?, lower[n]?)))
            .collect();
        for (i, a) in segments.iter().enumerate() {
            total += segments[i + 1..]
                .iter()
                .filter(|b| (a.0 - b.0) * (a.1 - b.1) < 0.0)
                .count();
        }
    }
    total
}

/// Gives every slot its `x`: first packed, then drawn towards its neighbours.
pub(super) fn place(grid: &mut Grid) {
    for row in 0..grid.rows.len() {
        let packed: Vec<f64> = vec![0.0; grid.rows[row].len()];
        settle(grid, row, &packed);
    }
    let last = grid.rows.len().saturating_sub(1);
    for _ in 0..PASSES {
        (1..=last).for_each(|row| align(grid, row, &[true]));
        (0..last).rev().for_each(|row| align(grid, row, &[false]));
    }
    (0..=last).for_each(|row| align(grid, row, &[true, false]));
    straighten(grid);
}

/// Lines up the slots of an arrow that passes several rows, where the room in each row
/// allows, so a long arrow runs straight instead of jogging at every row.
fn straighten(grid: &mut Grid) {
    for c in 0..grid.chains.len() {
        let passes: Vec<usize> = grid.chains[c]
            .iter()
            .copied()
            .filter(|&s| matches!(grid.slots[s].kind, Kind::Pass(_)))
            .collect();
        if passes.len() < 2 {
            continue;
        }
        let (mut lo, mut hi) = (f64::MIN, f64::MAX);
        for &slot in &passes {
            let (l, h) = room(grid, slot);
            (lo, hi) = (lo.max(l), hi.min(h));
        }
        let mean = passes.iter().map(|&s| grid.slots[s].x).sum::<f64>() / passes.len() as f64;
        if lo <= hi {
            let x = mean.clamp(lo, hi);
            passes.iter().for_each(|&s| grid.slots[s].x = x);
        }
    }
}

/// How far left and right a slot may move without crowding its neighbours in the row.
fn room(grid: &Grid, slot: usize) -> (f64, f64) {
    let s = &grid.slots[slot];
    let row = &grid.rows[s.row];
    let at = row.iter().position(|&o| o == slot).unwrap_or(0);
    let lo = at
        .checked_sub(1)
        .map(|i| &grid.slots[row[i]])
        .map_or(f64::MIN, |n| n.x + n.right + gap(n.kind, s.kind) + s.left);
    let hi = row
        .get(at + 1)
        .map(|&i| &grid.slots[i])
        .map_or(f64::MAX, |n| n.x - n.left - gap(s.kind, n.kind) - s.right);
    (lo, hi)
}

/// Moves a row's slots towards the mean `x` of their neighbours in the given directions.
fn align(grid: &mut Grid, row: usize, directions: &[bool]) {
    let wanted: Vec<f64> = grid.rows[row]
        .iter()
        .map(|&slot| {
            let near: Vec<f64> = directions
                .iter()
                .flat_map(|&up| grid.neighbours(slot, up))
                .map(|&n| grid.slots[n].x)
                .collect();
            if near.is_empty() {
                grid.slots[slot].x
            } else {
                near.iter().sum::<f64>() / near.len() as f64
            }
        })
        .collect();
    settle(grid, row, &wanted);
}

/// Places a row's slots as near `wanted` as they can be (least squares) while each keeps its
/// room from the next: an isotonic regression, by pooling adjacent violators.
fn settle(grid: &mut Grid, row: usize, wanted: &[f64]) {
    let slots = &grid.rows[row];
    // With `offset` the room needed left of each slot, `x - offset` must not decrease.
    let mut offset = vec![0.0; slots.len()];
    for i in 1..slots.len() {
        let (a, b) = (&grid.slots[slots[i - 1]], &grid.slots[slots[i]]);
        offset[i] = offset[i - 1] + a.right + gap(a.kind, b.kind) + b.left;
    }
    // Blocks of (weighted sum of targets, weight, slots); each block sits at its mean.
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (i, want) in wanted.iter().enumerate() {
        let weight = weight(grid.slots[slots[i]].kind);
        blocks.push(((want - offset[i]) * weight, weight, 1));
        while blocks.len() > 1 {
            let (sum, n, len) = blocks[blocks.len() - 1];
            let (psum, pn, plen) = blocks[blocks.len() - 2];
            if psum / pn <= sum / n {
                break;
            }
            blocks.pop();
            let merged = blocks.len() - 1;
            blocks[merged] = (psum + sum, pn + n, plen + len);
        }
    }
    let mut i = 0;
    for (sum, n, len) in blocks {
        for _ in 0..len {
            let id = grid.rows[row][i];
            grid.slots[id].x = sum / n + offset[i];
            i += 1;
        }
    }
}

/// How strongly a slot keeps to where its neighbours want it: arrows running through rows
/// most, so that long arrows run straight; labels more than boxes, so a label stays on its
/// arrow's way.
fn weight(kind: Kind) -> f64 {
    match kind {
        Kind::Pass(_) => 4.0,
        Kind::Label(_) => 2.0,
        Kind::Box(_) => 1.0,
    }
}

fn gap(a: Kind, b: Kind) -> f64 {
    match (a, b) {
        (Kind::Pass(_), _) | (_, Kind::Pass(_)) => GAP_PASS,
        _ => GAP,
    }
}
