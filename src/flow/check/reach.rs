//! Whole-flow checks that keep a live call safe: no chain of nodes that loops without waiting
//! for the caller, and every recording ends up attached to a callback request.

use std::collections::BTreeMap;

use super::Checker;
use crate::flow::model::{Category, Node, NodeKind};
use crate::flow::raw::RawFlow;

impl Checker<'_> {
    pub(super) fn reachability(
        &mut self,
        nodes: &BTreeMap<String, Node>,
        categories: &BTreeMap<String, Category>,
        raw: &RawFlow,
    ) {
        for id in nodes.keys() {
            if let Some(cycle) = instant_cycle(id, nodes, categories) {
                self.error(
                    raw.nodes[id].get_ref().kind.span(),
                    "endless-loop",
                    format!(
                        "nodes {} lead back to each other without waiting for the caller",
                        cycle.join(" -> ")
                    ),
                    "break the loop with a menu, or end it with a hangup, triage or transfer node"
                        .into(),
                );
                return;
            }
        }
        for (id, node) in nodes {
            if let NodeKind::Record { next, .. } = &node.kind
                && !reaches_callback(next, nodes)
            {
                self.error(
                    raw.nodes[id]
                        .get_ref()
                        .next
                        .as_ref()
                        .map_or(0..0, |n| n.span()),
                    "recording-lost",
                    format!("the recording made in `{id}` is never attached to a callback request"),
                    "let `next` lead (directly or through message nodes) to a callback node".into(),
                );
            }
        }
    }
}

/// Where a node goes next without waiting for any input, if anywhere.
fn instant_next<'a>(node: &'a Node, categories: &'a BTreeMap<String, Category>) -> Option<&'a str> {
    match &node.kind {
        NodeKind::Message { next, .. } | NodeKind::Callback { next, .. } => Some(next),
        NodeKind::Triage { category, .. } => {
            categories.get(category).map(|c| c.when_closed.as_str())
        }
        _ => None,
    }
}

/// The loop starting at `start`, if following instant steps returns to it.
fn instant_cycle(
    start: &str,
    nodes: &BTreeMap<String, Node>,
    categories: &BTreeMap<String, Category>,
) -> Option<Vec<String>> {
    let mut path = vec![start.to_string()];
    let mut current = nodes.get(start)?;
    while let Some(next) = instant_next(current, categories) {
        path.push(next.to_string());
        if next == start {
            return Some(path);
        }
        if path.len() > nodes.len() + 1 {
            return None;
        }
        current = nodes.get(next)?;
    }
    None
}

fn reaches_callback(start: &str, nodes: &BTreeMap<String, Node>) -> bool {
    let mut current = start;
    for _ in 0..=nodes.len() {
        match nodes.get(current).map(|n| &n.kind) {
            Some(NodeKind::Callback { .. }) => return true,
            Some(NodeKind::Message { next, .. }) => current = next,
            _ => return false,
        }
    }
    false
}
