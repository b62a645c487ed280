//! The answer the provider gets when a caller reaches each node, rendered by the real engine
//! under every kind of opening hours and in every language: too large for the provider, or
//! passing through so many nodes that the engine gives up on it.

use super::Lints;
use super::size::{AT, MAX_TWIML_BYTES};
use crate::engine::{self, CallContext, CallState, Effect, Event};
use crate::flow::model::{Flow, Node, NodeKind, Prompt, ScheduleSpec};
use crate::triage::schedule::{Closure, Shift};

/// The largest answer on reaching one node.
#[derive(Debug, Clone, Copy)]
struct Measure<'a> {
    node: &'a str,
    bytes: usize,
    /// Which opening hours it was rendered under.
    when: &'a str,
    /// The language's name.
    language: &'a str,
    /// The engine gave up and answered with the fallback.
    fell_back: bool,
}

impl Lints<'_> {
    pub(super) fn answer_sizes(&mut self, ctx: &CallContext<'_>) {
        let variants = variants(self.flow);
        let measures: Vec<Measure<'_>> = self
            .flow
            .nodes
            .keys()
            .filter_map(|id| largest(&variants, id, ctx))
            .collect();
        let too_large: Vec<&Measure<'_>> = measures
            .iter()
            .filter(|m| m.bytes > MAX_TWIML_BYTES)
            .collect();
        let gave_up: Vec<&Measure<'_>> = measures.iter().filter(|m| m.fell_back).collect();
        for m in self.chain_starts(&too_large) {
            self.error(
                self.node_span(m.node),
                "response-too-large",
                format!(
                    "what callers get on reaching `{}` ({}, in {}) is {} bytes of TwiML; the \
                     provider refuses answers over {MAX_TWIML_BYTES} bytes",
                    m.node, m.when, m.language, m.bytes
                ),
                "shorten the prompts heard here (this node and the message nodes that follow \
                 it), or put a menu between them so they are sent in separate answers"
                    .into(),
            );
        }
        for m in self.chain_starts(&gave_up) {
            self.error(
                self.node_span(m.node),
                "too-many-steps",
                format!(
                    "callers who reach `{}` pass through so many nodes in a row without being \
                     asked anything that the line gives up and plays the fallback",
                    m.node
                ),
                "join some of the messages that follow it into one, or put a menu among them"
                    .into(),
            );
        }
    }

    /// Of nodes with the same problem, those not reached straight from another one: a node
    /// the flow passes through on its way from another is part of that one's answer.
    fn chain_starts<'m>(&self, found: &[&'m Measure<'m>]) -> Vec<Measure<'m>> {
        let flow = self.flow;
        found
            .iter()
            .filter(|m| {
                !found
                    .iter()
                    .any(|o| flow.nodes.get(o.node).is_some_and(|n| passes_to(n, m.node)))
            })
            .map(|m| **m)
            .collect()
    }
}

/// The largest answer on reaching `node`, over every kind of hours and every language; ties
/// go to the first (the hours only matter when they change the answer).
fn largest<'a>(
    variants: &'a [(String, Flow)],
    node: &'a str,
    ctx: &CallContext<'_>,
) -> Option<Measure<'a>> {
    let mut best: Option<Measure<'a>> = None;
    let mut fell_back = false;
    for (when, flow) in variants {
        for language in &flow.languages {
            let state = CallState::new(&flow.id, node, &language.id);
            let outcome = engine::step(flow, &state, Event::Enter, ctx);
            fell_back |= outcome.effects.iter().any(
                |e| matches!(e, Effect::Step { outcome, .. } if outcome.starts_with("fallback")),
            );
            let bytes = outcome.response.render().len();
            if best.is_none_or(|b| bytes > b.bytes) {
                best = Some(Measure {
                    node,
                    bytes,
                    when,
                    language: &language.name,
                    fell_back: false,
                });
            }
        }
    }
    best.map(|b| Measure { fell_back, ..b })
}

/// Whether a caller reaching `node` goes straight on to `next` within the same answer.
fn passes_to(node: &Node, next: &str) -> bool {
    match &node.kind {
        NodeKind::Message { next: n, .. } | NodeKind::Callback { next: n, .. } => n == next,
        _ => false,
    }
}

/// The flow under each kind of opening hours, every schedule at once: open, open with nobody
/// available (the answers are rendered with nobody staffed, so only this variant keeps the
/// categories that need staff), after hours, closed by the switch, and on a closure day with
/// each closure announcement there is.
fn variants(flow: &Flow) -> Vec<(String, Flow)> {
    let today = flow.time_zone.to_datetime(AT).date();
    let all_day: Vec<Shift> = Shift::parse("00:00-24:00").into_iter().collect();
    let mut open = flow.clone();
    let mut after_hours = flow.clone();
    let mut closed_now = flow.clone();
    let mut holiday = flow.clone();
    for spec in open.schedules.values_mut() {
        spec.hours.weekly = std::array::from_fn(|_| all_day.clone());
        spec.hours.closures.clear();
        spec.hours.closed_now = false;
    }
    let unstaffed = flow.requires_staff().then(|| open.clone());
    for category in open.categories.values_mut() {
        category.open_requires_staff = false;
    }
    for spec in after_hours.schedules.values_mut() {
        spec.hours.weekly = Default::default();
        spec.hours.closures.clear();
        spec.hours.closed_now = false;
    }
    for spec in closed_now.schedules.values_mut() {
        spec.hours.closed_now = true;
    }
    for spec in holiday.schedules.values_mut() {
        close_on(spec, today, None);
    }
    let mut out = vec![("when open".to_string(), open)];
    out.extend(unstaffed.map(|f| ("when open but nobody is available".to_string(), f)));
    out.extend([
        ("after hours".to_string(), after_hours),
        ("while closed_now is on".to_string(), closed_now),
    ]);
    for (id, spec) in &flow.schedules {
        for (i, closure) in spec.hours.closures.iter().enumerate() {
            if let Some(Some(announcement)) = spec.closure_announcements.get(i) {
                let mut variant = holiday.clone();
                if let Some(s) = variant.schedules.get_mut(id) {
                    close_on(s, today, Some(announcement.clone()));
                }
                out.push((format!("on {}", closure.name), variant));
            }
        }
    }
    out.push(("on a closure day".to_string(), holiday));
    out
}

/// Closes the schedule on `day`, with the given announcement (else the schedule's default).
fn close_on(spec: &mut ScheduleSpec, day: jiff::civil::Date, announcement: Option<Prompt>) {
    spec.hours.closed_now = false;
    spec.hours.closures = vec![Closure {
        first_day: day,
        last_day: day,
        name: "closure".into(),
    }];
    spec.closure_announcements = vec![announcement];
}
