//! The words callers hear, for the diff: which prompts a node and the flow's settings speak,
//! and what changed in each, language by language.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Section, push};
use crate::flow::model::{Flow, NodeKind, Prompt, PromptPart};

/// The prompts a node speaks, by their name in the file.
pub(super) fn prompts(kind: &NodeKind) -> BTreeMap<&'static str, &Prompt> {
    let mut found: Vec<(&'static str, Option<&Prompt>)> = Vec::new();
    match kind {
        NodeKind::Message { prompt, .. }
        | NodeKind::Record { prompt, .. }
        | NodeKind::Callback { prompt, .. } => found.push(("prompt", Some(prompt))),
        NodeKind::Menu(m) => found.extend([
            ("prompt", Some(&m.prompt)),
            ("invalid_prompt", m.invalid_prompt.as_ref()),
            ("no_input_prompt", m.no_input_prompt.as_ref()),
            (
                "speech_prompt",
                m.speech.as_ref().and_then(|s| s.prompt.as_ref()),
            ),
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

/// The prompts of the flow's settings, by where the file writes them: the queue's, the
/// fallback's, the turned-away callers', the call backs' and each schedule's announcements.
pub(super) fn setting_prompts(flow: &Flow) -> BTreeMap<String, &Prompt> {
    let (queue, callbacks) = (&flow.queue, &flow.callbacks);
    let mut found: Vec<(String, Option<&Prompt>)> = vec![
        ("[queue] hold_prompt".into(), Some(&queue.hold_prompt)),
        (
            "[queue] unavailable_prompt".into(),
            Some(&queue.unavailable_prompt),
        ),
        (
            "[queue] estimate_prompt".into(),
            queue.estimate_prompt.as_ref(),
        ),
        (
            "[queue] offer_callback_prompt".into(),
            queue.offer_callback_prompt.as_ref(),
        ),
        ("[fallback] apology".into(), Some(&flow.fallback.apology)),
        ("[fallback] give_up".into(), Some(&flow.fallback.give_up)),
        (
            "[abuse] message".into(),
            flow.abuse.as_ref().map(|a| &a.message),
        ),
        ("[callbacks] screen".into(), callbacks.screen.as_ref()),
        ("[callbacks] voicemail".into(), callbacks.voicemail.as_ref()),
    ];
    for (id, s) in &flow.schedules {
        let place = |key: &str| format!("[schedules.{id}] {key}");
        found.extend([
            (place("after_hours_announcement"), s.after_hours.as_ref()),
            (place("closed_now_announcement"), s.closed_now.as_ref()),
            (place("closure_announcement"), s.closure_default.as_ref()),
            (place("unstaffed_announcement"), s.unstaffed.as_ref()),
        ]);
        let own = s.hours.closures.iter().zip(&s.closure_announcements);
        found.extend(own.map(|(closure, announcement)| {
            let key = format!("announcement of the closure on {}", closure.first_day);
            (place(&key), announcement.as_ref())
        }));
    }
    (found.into_iter())
        .filter_map(|(place, prompt)| Some((place, prompt?)))
        .collect()
}

/// The changes between two sets of prompts by place; a prompt added or removed changes every
/// language.
pub(super) fn prompt_set_changes(
    old: &BTreeMap<String, &Prompt>,
    new: &BTreeMap<String, &Prompt>,
    changes: &mut Vec<Change>,
) {
    let empty = Prompt::default();
    for place in old.keys().chain(new.keys()).collect::<BTreeSet<_>>() {
        let was = old.get(place).copied().unwrap_or(&empty);
        let now = new.get(place).copied().unwrap_or(&empty);
        prompt_changes(place, was, now, changes);
    }
}

pub(super) fn prompt_changes(place: &str, old: &Prompt, new: &Prompt, changes: &mut Vec<Change>) {
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
