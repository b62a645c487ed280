//! Checks of speech input: the `[speech]` section, a menu's `input`, the words each choice
//! answers to (declared languages, words matching can hear) and words two choices share.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Checker;
use crate::flow::model::{Choice, MenuSpeech, SpeechSettings};
use crate::flow::phrasebook::{Phrasebook, Source, tokens};
use crate::flow::raw::{RawChoice, RawFlow, RawNode, S};
use crate::twiml::Hints;

/// What `input` may say on a menu.
const INPUTS: &str = "\"dtmf\" (keys only) or \"dtmf speech\" (keys or speech)";

/// One word or phrase where it is written, for locating problems.
struct Placed {
    key: String,
    language: Option<String>,
    tokens: Vec<String>,
    text: String,
    span: Range<usize>,
    source: Source,
}

impl Checker<'_> {
    pub(super) fn speech_section(&mut self, raw: &RawFlow) -> SpeechSettings {
        let defaults = SpeechSettings::default();
        let Some(section) = raw.speech.as_ref().map(S::get_ref) else {
            return defaults;
        };
        let min_confidence = match &section.min_confidence {
            Some(c) if !(0.0..=1.0).contains(c.get_ref()) => {
                self.error(
                    c.span(),
                    "bad-number-setting",
                    format!("min_confidence = {} is out of range", c.get_ref()),
                    "use a number from 0 to 1, such as 0.5: answers the provider is less sure of \
                     are treated as not understood"
                        .into(),
                );
                defaults.min_confidence
            }
            Some(c) => *c.get_ref(),
            None => defaults.min_confidence,
        };
        let timeout = self.number(&section.timeout, 2, 1..=10, "speech timeout");
        SpeechSettings {
            min_confidence,
            keep_speech: section.keep_speech.as_ref().is_some_and(|k| *k.get_ref()),
            timeout_seconds: timeout.unwrap_or(defaults.timeout_seconds),
        }
    }

    /// The words a choice answers to, by language, with undeclared languages reported.
    pub(super) fn choice_words(
        &mut self,
        choice: &S<RawChoice>,
        key: &str,
    ) -> BTreeMap<String, Vec<String>> {
        let RawChoice::Full(full) = choice.get_ref() else {
            return BTreeMap::new();
        };
        let words = full.say.clone().unwrap_or_default();
        for (language, list) in &words {
            if !self.languages.contains(language) {
                self.error(
                    choice.span(),
                    "unknown-language",
                    format!(
                        "key {key} lists words for language `{language}`, which is not declared"
                    ),
                    format!(
                        "write say.<language> with one of: {}",
                        self.languages.join(", ")
                    ),
                );
            }
            for word in list.iter().filter(|w| tokens(w).is_empty()) {
                let span = self.word_span(choice.span(), word);
                self.error(
                    span,
                    "bad-setting",
                    format!("key {key} lists \"{word}\", which has no letters or digits to hear"),
                    "write the word or phrase as callers would say it, or remove it".into(),
                );
            }
        }
        words
    }

    /// A menu's speech settings: `None` when it takes keys only.
    pub(super) fn menu_speech(
        &mut self,
        raw: &RawNode,
        options: &BTreeMap<String, Choice>,
        repeat_key: Option<&str>,
    ) -> Option<MenuSpeech> {
        let listens = match raw.input.as_ref() {
            None => false,
            Some(input) => match input.get_ref().as_str() {
                "dtmf" => false,
                "dtmf speech" | "speech dtmf" => true,
                other => {
                    self.error(
                        input.span(),
                        "bad-setting",
                        format!("input = \"{other}\" is not understood"),
                        format!("use {INPUTS}; keys always work, so there is no speech-only menu"),
                    );
                    false
                }
            },
        };
        if !listens {
            self.words_without_speech(raw, options);
            return None;
        }
        let written: BTreeMap<String, BTreeMap<String, Vec<String>>> = options
            .iter()
            .map(|(key, choice)| (key.clone(), choice.say.clone()))
            .collect();
        let keys: Vec<String> = options
            .keys()
            .cloned()
            .chain(repeat_key.map(String::from))
            .collect();
        let phrasebook = Phrasebook::new(&written, &self.language_codes, &keys);
        self.shared_words(raw, &phrasebook);
        let ids: Vec<&str> = self.languages.iter().map(String::as_str).collect();
        let hints = ids
            .iter()
            .map(|id| (id.to_string(), Hints::new(phrasebook.hints(&[id]))))
            .collect();
        Some(MenuSpeech {
            hints_all_languages: Hints::new(phrasebook.hints(&ids)),
            hints,
            phrasebook,
            prompt: raw.speech_prompt.as_ref().map(|p| self.prompt(p, &[])),
        })
    }

    fn words_without_speech(&mut self, raw: &RawNode, options: &BTreeMap<String, Choice>) {
        if let Some(p) = &raw.speech_prompt {
            self.error(
                p.span(),
                "unused-setting",
                "`speech_prompt` has no effect: this menu does not listen for speech".into(),
                "add input = \"dtmf speech\" to the menu, or remove speech_prompt".into(),
            );
        }
        let Some(raw_options) = &raw.options else {
            return;
        };
        for (key, choice) in raw_options.get_ref() {
            if options.get(key).is_some_and(|c| !c.say.is_empty()) {
                self.error(
                    choice.span(),
                    "unused-setting",
                    format!(
                        "key {key} lists words to say, but this menu does not listen for speech"
                    ),
                    "add input = \"dtmf speech\" to the menu, or remove the say.<language> lists"
                        .into(),
                );
            }
        }
    }

    /// Two keys of one menu answering to the same word or phrase in a language: callers who
    /// say it could not be placed.
    fn shared_words(&mut self, raw: &RawNode, phrasebook: &Phrasebook) {
        let placed = self.placed(raw, phrasebook);
        let overlap = |a: &Placed, b: &Placed| {
            raw.all_languages
                || a.language.is_none()
                || b.language.is_none()
                || a.language == b.language
        };
        // A word with nothing to hear is reported on its own, never as shared.
        for (i, b) in placed
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.tokens.is_empty())
        {
            let clash = placed[..i].iter().find(|a| {
                a.key != b.key
                    && a.tokens == b.tokens
                    && overlap(a, b)
                    && (a.source == Source::Written || b.source == Source::Written)
            });
            if let Some(a) = clash {
                let (first, second) = if b.source == Source::Written {
                    (a, b)
                } else {
                    (b, a)
                };
                let message = format!(
                    "\"{}\" chooses key {} here and key {} {}",
                    second.text,
                    second.key,
                    first.key,
                    self.where_written(first)
                );
                let help = "keep each word or phrase on one key only, so a caller who says it \
                            reaches one place; the same word may be used in another menu";
                self.error(second.span.clone(), "shared-word", message, help.into());
            }
        }
    }

    fn where_written(&self, p: &Placed) -> String {
        if p.source == Source::Number {
            return format!("as its number (\"{}\")", p.text);
        }
        let d = self.file.diagnostic(p.span.clone(), "shared-word", "", "");
        format!("at {}:{}:{}", d.file, d.line, d.column)
    }

    fn placed(&self, raw: &RawNode, phrasebook: &Phrasebook) -> Vec<Placed> {
        let spans: BTreeMap<&str, Range<usize>> = raw
            .options
            .iter()
            .flat_map(|o| o.get_ref().iter())
            .map(|(k, c)| (k.as_str(), c.span()))
            .collect();
        phrasebook
            .entries
            .iter()
            .map(|e| {
                let within = spans.get(e.key.as_str()).cloned().unwrap_or(0..0);
                Placed {
                    key: e.key.clone(),
                    language: e.language.clone(),
                    tokens: e.tokens.clone(),
                    text: e.text.clone(),
                    span: match e.source {
                        Source::Written => self.word_span(within, &e.text),
                        Source::Number => within,
                    },
                    source: e.source,
                }
            })
            .collect()
    }

    /// Where `word` (a word, or a node a choice goes to) is written for the choice at
    /// `within`, or `within` itself. A choice
    /// written as dotted keys (`options.2.say.en = [...]`) has a span that covers only its
    /// first line, so the search goes on to the end of the node's section.
    pub(super) fn word_span(&self, within: Range<usize>, word: &str) -> Range<usize> {
        let quoted = format!("\"{word}\"");
        let text = self.file.text;
        let section_end = text
            .get(within.start..)
            .and_then(|rest| rest.find("\n["))
            .map_or(text.len(), |at| within.start + at);
        let end = section_end.max(within.end);
        match text.get(within.start..end).and_then(|t| t.find(&quoted)) {
            Some(at) => within.start + at..within.start + at + quoted.len(),
            None => within,
        }
    }
}
