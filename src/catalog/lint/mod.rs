//! Whole-flow checks that look at calls rather than settings: where callers can and cannot
//! go, menus that leave them guessing, opening hours that never open, and answers the
//! provider would refuse. They run on a checked flow (so every reference resolves) and point
//! at the file's lines; most findings are warnings, because the flow still works.

mod answers;
mod closed;
mod hours;
mod menus;
mod paths;
mod reach;
mod size;
mod titles;

use std::ops::Range;

use crate::flow::diagnostic::{FlowDiagnostic, SourceFile};
use crate::flow::model::Flow;
use crate::flow::raw::RawFlow;

/// Runs every whole-flow check.
pub(super) fn lint(flow: &Flow, raw: &RawFlow, file: SourceFile<'_>) -> Vec<FlowDiagnostic> {
    let mut lints = Lints {
        flow,
        raw,
        file,
        found: Vec::new(),
    };
    lints.reach();
    lints.closed_paths();
    lints.menus();
    lints.hours();
    lints.sizes();
    lints.titles();
    lints.found
}

/// The flow under check, its file, and what was found so far.
struct Lints<'a> {
    flow: &'a Flow,
    raw: &'a RawFlow,
    file: SourceFile<'a>,
    found: Vec<FlowDiagnostic>,
}

impl Lints<'_> {
    fn error(&mut self, span: Range<usize>, code: &'static str, message: String, help: String) {
        let d = self.file.diagnostic(span, code, message, help);
        self.found.push(d);
    }

    fn warning(&mut self, span: Range<usize>, code: &'static str, message: String, help: String) {
        let d = self
            .file
            .diagnostic(span, code, message, help)
            .into_warning();
        self.found.push(d);
    }

    /// Where a node is written: its `[nodes.<id>]` heading when it has one, else its `type`.
    fn node_span(&self, id: &str) -> Range<usize> {
        let kind = self
            .raw
            .nodes
            .get(id)
            .map_or(0..0, |n| n.get_ref().kind.span());
        self.heading_span(&format!("[nodes.{id}]"), kind)
    }

    /// Where a heading such as `[schedules.office]` starts a line, else `fallback` (the
    /// section may be written with dotted keys instead).
    fn heading_span(&self, heading: &str, fallback: Range<usize>) -> Range<usize> {
        let text = self.file.text;
        text.match_indices(heading)
            .map(|(at, _)| at)
            .find(|&at| {
                text[..at]
                    .rsplit('\n')
                    .next()
                    .is_some_and(|l| l.trim().is_empty())
            })
            .map_or(fallback, |at| at..at + heading.len())
    }
}

/// `a`, `b` and `c`, each in backquotes.
fn list(ids: &[&str]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
