//! What a change to a flow does for callers: prompts changed per language, keys and routes
//! added or removed, nodes, categories and opening hours changed. Staff read it before
//! publishing an edit.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

mod prompts;

use super::graph::{exits, kind_name};
use crate::flow::model::{Flow, NodeKind, Prompt, ScheduleSpec};
use prompts::{prompt_changes, prompt_set_changes, prompts, setting_prompts};

/// The part of the flow a change is in; the report is grouped by it, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Words callers hear.
    Prompts,
    /// Keys and where they lead.
    Routes,
    /// Nodes added or removed.
    Nodes,
    /// Triage categories.
    Categories,
    /// Opening hours and closures.
    Hours,
}

impl Section {
    fn title(self) -> &'static str {
        match self {
            Section::Prompts => "Prompts",
            Section::Routes => "Keys and routes",
            Section::Nodes => "Nodes",
            Section::Categories => "Categories",
            Section::Hours => "Opening hours",
        }
    }
}

/// One difference, in words.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Where it is.
    pub section: Section,
    /// What changed.
    pub text: String,
}

/// Every difference between `old` and `new` that callers would notice.
pub fn diff(old: &Flow, new: &Flow) -> Vec<Change> {
    let mut changes = Vec::new();
    nodes(old, new, &mut changes);
    categories(old, new, &mut changes);
    hours(old, new, &mut changes);
    prompt_set_changes(&setting_prompts(old), &setting_prompts(new), &mut changes);
    changes.sort();
    changes
}

/// The report for people: one heading per section, one line per change.
pub fn render(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "No changes callers would notice.\n".to_string();
    }
    let mut out = String::new();
    let mut current = None;
    for change in changes {
        if current != Some(change.section) {
            // Writing to a String cannot fail.
            let _ = writeln!(
                out,
                "{}{}",
                if current.is_some() { "\n" } else { "" },
                change.section.title()
            );
            current = Some(change.section);
        }
        let _ = writeln!(out, "  {}", change.text);
    }
    out
}

fn push(changes: &mut Vec<Change>, section: Section, text: String) {
    changes.push(Change { section, text });
}

fn nodes(old: &Flow, new: &Flow, changes: &mut Vec<Change>) {
    for (id, node) in &new.nodes {
        let Some(before) = old.nodes.get(id) else {
            push(
                changes,
                Section::Nodes,
                format!("+ {id} ({}) added", kind_name(&node.kind)),
            );
            continue;
        };
        if kind_name(&before.kind) != kind_name(&node.kind) {
            let (was, now) = (kind_name(&before.kind), kind_name(&node.kind));
            push(
                changes,
                Section::Nodes,
                format!("~ {id} is now a {now} (was a {was})"),
            );
        }
        routes(id, &before.kind, &node.kind, changes);
        let named = |kind| -> BTreeMap<String, &Prompt> {
            (prompts(kind).into_iter())
                .map(|(name, prompt)| (format!("{id} {name}"), prompt))
                .collect()
        };
        prompt_set_changes(&named(&before.kind), &named(&node.kind), changes);
    }
    for (id, node) in &old.nodes {
        if !new.nodes.contains_key(id) {
            push(
                changes,
                Section::Nodes,
                format!("- {id} ({}) removed", kind_name(&node.kind)),
            );
        }
    }
}

fn routes(id: &str, old: &NodeKind, new: &NodeKind, changes: &mut Vec<Change>) {
    let before: BTreeMap<String, &str> =
        exits(old).into_iter().map(|(to, key)| (key, to)).collect();
    let after: BTreeMap<String, &str> = exits(new).into_iter().map(|(to, key)| (key, to)).collect();
    let describe = |key: &str| {
        if key.is_empty() {
            "next".to_string()
        } else {
            format!("`{key}`")
        }
    };
    for (key, to) in &after {
        match before.get(key) {
            None => push(
                changes,
                Section::Routes,
                format!("+ {id}: {} goes to {to}", describe(key)),
            ),
            Some(was) if was != to => push(
                changes,
                Section::Routes,
                format!("~ {id}: {} now goes to {to} (was {was})", describe(key)),
            ),
            Some(_) => {}
        }
    }
    for (key, to) in &before {
        if !after.contains_key(key) {
            push(
                changes,
                Section::Routes,
                format!("- {id}: {} no longer goes to {to}", describe(key)),
            );
        }
    }
}

fn categories(old: &Flow, new: &Flow, changes: &mut Vec<Change>) {
    for (id, c) in &new.categories {
        let Some(b) = old.categories.get(id) else {
            let text = format!(
                "+ {id} added (priority {}, queue {}, hours {})",
                c.priority, c.queue, c.schedule
            );
            push(changes, Section::Categories, text);
            continue;
        };
        let fields = [
            ("priority", b.priority.to_string(), c.priority.to_string()),
            ("queue", b.queue.clone(), c.queue.clone()),
            ("hours", b.schedule.clone(), c.schedule.clone()),
            ("when closed", b.when_closed.clone(), c.when_closed.clone()),
            (
                "max hold minutes",
                format!("{:?}", b.max_hold_minutes),
                format!("{:?}", c.max_hold_minutes),
            ),
            (
                "callback within hours",
                b.callback_within_hours.to_string(),
                c.callback_within_hours.to_string(),
            ),
            (
                "open only while staffed",
                b.open_requires_staff.to_string(),
                c.open_requires_staff.to_string(),
            ),
        ];
        for (name, was, now) in fields {
            if was != now {
                push(
                    changes,
                    Section::Categories,
                    format!("~ {id}: {name} {now} (was {was})"),
                );
            }
        }
        prompt_changes(&format!("category {id} label"), &b.label, &c.label, changes);
    }
    for id in old
        .categories
        .keys()
        .filter(|id| !new.categories.contains_key(*id))
    {
        push(changes, Section::Categories, format!("- {id} removed"));
    }
}

fn hours(old: &Flow, new: &Flow, changes: &mut Vec<Change>) {
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    for (id, s) in &new.schedules {
        let Some(b) = old.schedules.get(id) else {
            push(changes, Section::Hours, format!("+ {id} added"));
            continue;
        };
        for (day, name) in DAYS.iter().enumerate() {
            let (was, now) = (shifts(b, day), shifts(s, day));
            if was != now {
                push(
                    changes,
                    Section::Hours,
                    format!("~ {id}: {name} {now} (was {was})"),
                );
            }
        }
        let closures = |spec: &ScheduleSpec| -> BTreeSet<String> {
            spec.hours
                .closures
                .iter()
                .map(|c| match c.first_day == c.last_day {
                    true => format!("{} {}", c.first_day, c.name),
                    false => format!("{} to {} {}", c.first_day, c.last_day, c.name),
                })
                .collect()
        };
        let (was, now) = (closures(b), closures(s));
        for added in now.difference(&was) {
            push(changes, Section::Hours, format!("+ {id}: closed {added}"));
        }
        for removed in was.difference(&now) {
            push(
                changes,
                Section::Hours,
                format!("- {id}: no longer closed {removed}"),
            );
        }
        if b.hours.closed_now != s.hours.closed_now {
            let state = if s.hours.closed_now {
                "on: closed now"
            } else {
                "off"
            };
            push(
                changes,
                Section::Hours,
                format!("~ {id}: the closed-now switch is {state}"),
            );
        }
    }
    for id in old
        .schedules
        .keys()
        .filter(|id| !new.schedules.contains_key(*id))
    {
        push(changes, Section::Hours, format!("- {id} removed"));
    }
}

fn shifts(spec: &ScheduleSpec, day: usize) -> String {
    let list: Vec<String> = spec.hours.weekly[day]
        .iter()
        .map(ToString::to_string)
        .collect();
    if list.is_empty() {
        "closed".to_string()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests;
