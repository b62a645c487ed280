//! Checks of prompts: every declared language present, nothing empty, text short enough for
//! text-to-speech, audio as web addresses, and only the placeholders the node can fill.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Checker;
use crate::flow::model::{Prompt, PromptPart};
use crate::flow::raw::{RawPrompt, RawPromptPart};

/// Twilio's Polly voices refuse longer `<Say>` text (error 13521); the basic voices allow more,
/// but a flow must work with any voice.
pub const MAX_SAY_CHARS: usize = 3000;

impl Checker<'_> {
    /// Checks one prompt; `placeholders` are the `{names}` its node fills in.
    pub(in crate::flow) fn prompt(&mut self, raw: &RawPrompt, placeholders: &[&str]) -> Prompt {
        let mut parts = BTreeMap::new();
        for (lang, part) in raw.get_ref() {
            if !self.languages.contains(lang) {
                let known = self.languages.join(", ");
                self.error(
                    part.span(),
                    "unknown-language",
                    format!("this prompt has text for `{lang}`, which is not a declared language"),
                    format!("declare [languages.{lang}], or use one of: {known}"),
                );
                continue;
            }
            let checked = match part.get_ref() {
                RawPromptPart::Say(text) => {
                    self.say_text(text, part.span(), placeholders);
                    PromptPart::Say(text.clone())
                }
                RawPromptPart::Play { play } => {
                    self.audio_url(play, part.span());
                    PromptPart::Play(play.clone())
                }
            };
            parts.insert(lang.clone(), checked);
        }
        for lang in self.languages.clone() {
            if !parts.contains_key(&lang)
                && raw.get_ref().keys().all(|k| self.languages.contains(k))
            {
                self.error(
                    raw.span(),
                    "missing-translation",
                    format!("this prompt has no `{lang}` version"),
                    format!("add `{lang} = \"...\"` next to the other languages of this prompt"),
                );
            }
        }
        Prompt { parts }
    }

    fn say_text(&mut self, text: &str, span: Range<usize>, placeholders: &[&str]) {
        if text.trim().is_empty() {
            self.error(
                span,
                "empty-prompt",
                "this prompt is empty".into(),
                "write what callers should hear, or remove the prompt".into(),
            );
            return;
        }
        let chars = text.chars().count();
        if chars > MAX_SAY_CHARS {
            self.error(
                span.clone(),
                "prompt-too-long",
                format!("this prompt is {chars} characters; text-to-speech accepts at most {MAX_SAY_CHARS}"),
                "shorten it, or split it across two message nodes".into(),
            );
        }
        for name in placeholder_names(text) {
            if !placeholders.contains(&name) {
                let help = if placeholders.is_empty() {
                    "this prompt cannot fill in placeholders; remove the braces".to_string()
                } else {
                    format!(
                        "this prompt can use: {}",
                        placeholders
                            .iter()
                            .map(|p| format!("{{{p}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                self.error(
                    span.clone(),
                    "unknown-placeholder",
                    format!("`{{{name}}}` cannot be filled in here"),
                    help,
                );
            }
        }
    }

    /// Checks that an audio prompt is a web address the provider can fetch.
    pub(in crate::flow) fn audio_url(&mut self, url: &str, span: Range<usize>) {
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.contains(char::is_whitespace)
        {
            self.error(
                span,
                "bad-audio-url",
                format!("`{url}` is not a web address"),
                "audio must be an http:// or https:// address the telephony provider can download"
                    .into(),
            );
        }
    }
}

/// The `{names}` in a prompt.
fn placeholder_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(after[..close].trim());
        rest = &after[close + 1..];
    }
    names
}
