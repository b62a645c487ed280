//! What a change to a flow does for callers: prompts changed per language, keys and routes
//! added or removed, nodes, categories and opening hours changed. Staff read it before
//! publishing an edit.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::graph::{exits, kind_name};
use crate::flow::model::{Flow, NodeKind, Prompt, PromptPart, ScheduleSpec};

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
    prompt_changes(
        "[queue] hold_prompt",
        &old.queue.hold_prompt,
        &new.queue.hold_prompt,
        &mut changes,
    );
    prompt_changes(
        "[fallback] apology",
        &old.fallback.apology,
        &new.fallback.apology,
        &mut changes,
    );
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
        let (old_prompts, new_prompts) = (prompts(&before.kind), prompts(&node.kind));
        for (name, prompt) in &new_prompts {
            let empty = Prompt::default();
            let previous = old_prompts.get(name).copied().unwrap_or(&empty);
            prompt_changes(&format!("{id} {name}"), previous, prompt, changes);
        }
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

/// The prompts a node speaks, by their name in the file.
fn prompts(kind: &NodeKind) -> BTreeMap<&'static str, &Prompt> {
    let mut found: Vec<(&'static str, Option<&Prompt>)> = Vec::new();
    match kind {
        NodeKind::Message { prompt, .. }
        | NodeKind::Record { prompt, .. }
        | NodeKind::Callback { prompt, .. } => found.push(("prompt", Some(prompt))),
        NodeKind::Menu(m) => found.extend([
            ("prompt", Some(&m.prompt)),
            ("invalid_prompt", m.invalid_prompt.as_ref()),
            ("no_input_prompt", m.no_input_prompt.as_ref()),
        ]),
        NodeKind::CollectPhone(c) => found.extend([
            ("prompt", Some(&c.prompt)),
            ("invalid_prompt", Some(&c.invalid_prompt)),
            ("confirm_prompt", Some(&c.confirm_prompt)),
        ]),
        NodeKind::Triage { prompt, .. }
        | NodeKind::Transfer { prompt, .. }
        | NodeKind::Hangup { prompt } => found.push(("prompt", prompt.as_ref())),
    }
    found
        .into_iter()
        .filter_map(|(name, p)| Some((name, p?)))
        .collect()
}

fn prompt_changes(place: &str, old: &Prompt, new: &Prompt, changes: &mut Vec<Change>) {
    let languages: BTreeSet<&String> = old.parts.keys().chain(new.parts.keys()).collect();
    for language in languages {
        let (was, now) = (old.parts.get(language), new.parts.get(language));
        if was == now {
            continue;
        }
        let text = match (was, now) {
            (None, Some(n)) => format!("+ {place} ({language}): {}", words(n)),
            (Some(w), None) => format!("- {place} ({language}): {}", words(w)),
            (Some(w), Some(n)) => format!(
                "~ {place} ({language}):\n      was: {}\n      now: {}",
                words(w),
                words(n)
            ),
            (None, None) => continue,
        };
        push(changes, Section::Prompts, text);
    }
}

fn words(part: &PromptPart) -> String {
    match part {
        PromptPart::Say(text) => format!("\"{text}\""),
        PromptPart::Play(url) => format!("audio {url}"),
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
