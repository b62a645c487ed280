//! Where callers can go: nodes nobody reaches, places callers can never leave, and loops a
//! caller who does not answer goes round forever.

use std::collections::BTreeSet;

use super::paths::{self, Route, Way};
use super::{Lints, list};

impl<'a> Lints<'a> {
    pub(super) fn reach(&mut self) {
        let routes = paths::routes(self.flow);
        let roots = self.roots();
        let reached = paths::reachable(&roots, &routes, |_| true);
        self.unreachable(&reached, &routes);
        let stuck = self.dead_ends(&roots, &reached, &routes);
        self.silent_loops(&reached, &stuck, &routes);
    }

    /// Where calls begin: the start, and the node the fallback sends callers to when the
    /// fallback category is closed.
    fn roots(&self) -> Vec<&'a str> {
        let mut roots = vec![self.flow.start.as_str()];
        if let Some(c) = self.flow.categories.get(&self.flow.fallback_category) {
            roots.push(c.when_closed.as_str());
        }
        roots
    }

    /// One warning per part of the flow nobody reaches, at the node that part starts with.
    fn unreachable(&mut self, reached: &[&str], routes: &[Route<'a>]) {
        let flow = self.flow;
        let lost: Vec<&str> = flow
            .nodes
            .keys()
            .map(String::as_str)
            .filter(|id| !reached.contains(id))
            .collect();
        let led_to_by_lost = |id: &str| {
            routes
                .iter()
                .any(|r| r.to == id && r.from != id && lost.contains(&r.from))
        };
        let heads = lost.iter().filter(|id| !led_to_by_lost(id));
        let mut covered: BTreeSet<&str> = BTreeSet::new();
        for &head in heads.chain(lost.iter()) {
            if covered.contains(head) {
                continue;
            }
            let part = paths::reachable(&[head], routes, |r| lost.contains(&r.to));
            covered.extend(part.iter().copied());
            let others = if part.len() > 1 {
                format!(", nor {}, reached only through it", list(&part[1..]))
            } else {
                String::new()
            };
            self.warning(
                self.node_span(head),
                "unreachable-node",
                format!("no caller can reach node `{head}`{others}"),
                "lead to it from a menu option, a `next`, an `after_max_attempts` or a category's \
                 `when_closed`; or delete it if it is no longer used"
                    .into(),
            );
        }
    }

    /// Errors for places callers can reach but never leave; returns the nodes concerned.
    fn dead_ends(
        &mut self,
        roots: &[&'a str],
        reached: &[&'a str],
        routes: &[Route<'a>],
    ) -> Vec<&'a str> {
        let flow = self.flow;
        let exits: Vec<&str> = flow
            .nodes
            .iter()
            .filter(|(_, n)| paths::is_exit(flow, n))
            .map(|(id, _)| id.as_str())
            .collect();
        let backwards: Vec<Route<'a>> = routes
            .iter()
            .map(|r| Route {
                from: r.to,
                to: r.from,
                way: r.way,
            })
            .collect();
        let can_leave = paths::reachable(&exits, &backwards, |_| true);
        let stuck: Vec<&str> = reached
            .iter()
            .copied()
            .filter(|id| !can_leave.contains(id))
            .collect();
        let entered_from_outside = |id: &str| {
            roots.contains(&id)
                || routes
                    .iter()
                    .any(|r| r.to == id && !stuck.contains(&r.from) && reached.contains(&r.from))
        };
        for &entry in stuck.iter().filter(|id| entered_from_outside(id)) {
            let trap = paths::reachable(&[entry], routes, |_| true);
            self.error(
                self.node_span(entry),
                "dead-end",
                format!(
                    "callers who reach `{entry}` can never get to a queue, a transfer or the end \
                     of the call: every way on leads to {}",
                    list(&trap)
                ),
                "give one of these nodes a way out: a menu option or an `after_max_attempts` \
                 that leads to a triage, transfer or hangup node"
                    .into(),
            );
        }
        stuck
    }

    /// Warnings for loops a caller who stays silent or presses wrong keys goes round forever.
    fn silent_loops(&mut self, reached: &[&'a str], stuck: &[&'a str], routes: &[Route<'a>]) {
        let taken = |pick: fn(Way) -> bool| -> Vec<Route<'a>> {
            routes
                .iter()
                .copied()
                .filter(|r| pick(r.way) && reached.contains(&r.from))
                .collect()
        };
        let silent = taken(Way::when_silent);
        let wrong = taken(Way::when_wrong);
        let either = taken(|w| w != Way::Choice);
        let mut reported: BTreeSet<&str> = stuck.iter().copied().collect();
        for &id in reached {
            if reported.contains(id) {
                continue;
            }
            let cycle = paths::cycle(id, &either);
            if cycle.is_empty() {
                continue;
            }
            // The whole loop is reported once, at the node callers meet first.
            for &member in &paths::reachable(&[id], &either, |_| true) {
                if paths::reachable(&[member], &either, |_| true).contains(&id) {
                    reported.insert(member);
                }
            }
            let who = match (
                paths::cycle(id, &silent).is_empty(),
                paths::cycle(id, &wrong).is_empty(),
            ) {
                (false, false) => "a caller who stays silent or presses wrong keys",
                (false, true) => "a caller who stays silent",
                (true, false) => "a caller who keeps pressing wrong keys",
                (true, true) => "a caller who never answers properly",
            };
            self.warning(
                self.node_span(id),
                "silent-loop",
                format!(
                    "{who} can go round {} forever, never reaching help or the end of the call",
                    cycle.join(" -> ")
                ),
                "let a menu of this loop give up (`after_max_attempts`) on a node outside it that \
                 queues, transfers or says goodbye; a `default_key` sends silent callers on \
                 without counting a failed try, so check where it leads"
                    .into(),
            );
        }
    }
}
