//! The ways a caller can move between nodes, and which nodes end the caller's journey, as
//! the route checks see them.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::flow::model::{Flow, Node, NodeKind};

/// How a caller takes a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    /// By choosing: a menu key, or a confirmed phone number.
    Choice,
    /// By staying silent (a menu's default key).
    Silence,
    /// By pressing keys that are not options, until the menu gives up.
    WrongKeys,
    /// Whatever the caller does: no question is asked, or silence and wrong keys alike.
    Always,
}

impl Way {
    /// Whether a caller who stays silent takes it.
    pub fn when_silent(self) -> bool {
        matches!(self, Way::Silence | Way::Always)
    }

    /// Whether a caller who presses only wrong keys takes it.
    pub fn when_wrong(self) -> bool {
        matches!(self, Way::WrongKeys | Way::Always)
    }
}

/// One way from a node to another.
#[derive(Debug, Clone, Copy)]
pub(super) struct Route<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub way: Way,
}

/// Every route of the flow, node by node in id order.
pub(super) fn routes(flow: &Flow) -> Vec<Route<'_>> {
    let mut out = Vec::new();
    for (id, node) in &flow.nodes {
        for (to, way) in node_routes(flow, node) {
            out.push(Route {
                from: id.as_str(),
                to,
                way,
            });
        }
    }
    out
}

fn node_routes<'a>(flow: &'a Flow, node: &'a Node) -> Vec<(&'a str, Way)> {
    match &node.kind {
        NodeKind::Message { next, .. }
        | NodeKind::Record { next, .. }
        | NodeKind::Callback { next, .. }
        | NodeKind::Transfer { next, .. } => vec![(next.as_str(), Way::Always)],
        NodeKind::Menu(menu) => {
            // Silence counts as the default key, when there is one, rather than a failed try.
            let give_up = if menu.default_key.is_some() {
                Way::WrongKeys
            } else {
                Way::Always
            };
            let mut out = vec![(menu.after_max_attempts.as_str(), give_up)];
            for (key, choice) in &menu.options {
                let way = if menu.default_key.as_deref() == Some(key.as_str()) {
                    Way::Silence
                } else {
                    Way::Choice
                };
                out.push((choice.goto.as_str(), way));
                if let Some(other) = &choice.if_withheld {
                    out.push((other.as_str(), way));
                }
            }
            out
        }
        NodeKind::CollectPhone(c) => vec![
            (c.next.as_str(), Way::Choice),
            (c.after_max_attempts.as_str(), Way::Always),
        ],
        NodeKind::Triage { category, .. } => flow
            .categories
            .get(category)
            .map(|c| vec![(c.when_closed.as_str(), Way::Always)])
            .unwrap_or_default(),
        NodeKind::Hangup { .. } => Vec::new(),
    }
}

/// Whether a caller at this node can leave the menus for good: the call ends, is
/// transferred, or waits in a queue that can be open.
pub(super) fn is_exit(flow: &Flow, node: &Node) -> bool {
    match &node.kind {
        NodeKind::Hangup { .. } | NodeKind::Transfer { .. } => true,
        NodeKind::Triage { category, .. } => can_open(flow, category),
        _ => false,
    }
}

/// Whether the category's schedule has any shift at all.
pub(super) fn can_open(flow: &Flow, category: &str) -> bool {
    flow.categories
        .get(category)
        .and_then(|c| flow.schedules.get(&c.schedule))
        .is_some_and(|s| s.hours.weekly.iter().any(|day| !day.is_empty()))
}

/// The nodes reachable from `starts` along the routes `follow` accepts, in the order first
/// reached (the starts themselves included).
pub(super) fn reachable<'a>(
    starts: &[&'a str],
    routes: &[Route<'a>],
    follow: impl Fn(&Route<'a>) -> bool,
) -> Vec<&'a str> {
    let mut seen: BTreeSet<&str> = starts.iter().copied().collect();
    let mut order: Vec<&str> = Vec::new();
    let mut queue: VecDeque<&str> = starts.iter().copied().collect();
    while let Some(at) = queue.pop_front() {
        order.push(at);
        for r in routes.iter().filter(|r| r.from == at && follow(r)) {
            if seen.insert(r.to) {
                queue.push_back(r.to);
            }
        }
    }
    order
}

/// A shortest loop from `start` back to itself along `routes`, `start` at both ends; empty
/// when there is none.
pub(super) fn cycle<'a>(start: &'a str, routes: &[Route<'a>]) -> Vec<&'a str> {
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for r in routes.iter().filter(|r| r.from == at) {
            if r.to == start {
                let mut out = vec![start, at];
                let mut current = at;
                while let Some(&p) = parent.get(current) {
                    out.push(p);
                    current = p;
                }
                out.reverse();
                return out;
            }
            if r.to != start && !parent.contains_key(r.to) {
                parent.insert(r.to, at);
                queue.push_back(r.to);
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route<'a>(from: &'a str, to: &'a str) -> Route<'a> {
        Route {
            from,
            to,
            way: Way::Always,
        }
    }

    #[test]
    fn a_loop_is_found_from_any_of_its_nodes_and_named_in_order() {
        let routes = [
            route("a", "b"),
            route("b", "c"),
            route("c", "a"),
            route("c", "d"),
        ];
        assert_eq!(cycle("b", &routes), ["b", "c", "a", "b"]);
        assert!(cycle("d", &routes).is_empty());
        assert_eq!(cycle("x", &[route("x", "x")]), ["x", "x"]);
    }

    #[test]
    fn reachable_nodes_come_in_the_order_callers_meet_them() {
        let routes = [route("a", "c"), route("a", "b"), route("c", "d")];
        assert_eq!(reachable(&["a"], &routes, |_| true), ["a", "c", "b", "d"]);
        assert_eq!(reachable(&["a"], &routes, |r| r.to != "c"), ["a", "b"]);
    }
}
