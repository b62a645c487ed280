//! How a menu answers the caller: a key, silence, or a spoken answer matched against the
//! menu's phrasebook. Keys always work; a spoken answer that is not understood is handled like
//! a wrong key, and the menu then listens for keys only.

use super::Effect;
use super::input::callable;
use super::run::Run;
use super::speech::prompt_verbs;
use super::state::CallbackNumber;
use crate::flow::model::{Menu, Node, Prompt};
use crate::flow::phrasebook::Heard;
use crate::twiml::{self, Recognition, SpeechModel, Verb};

/// The provider's confidence in a spoken answer, in thousandths (so events compare exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Confidence(u16);

impl Confidence {
    /// The provider's `Confidence` parameter (0 to 1), or `None` when it is not a number.
    pub fn parse(text: &str) -> Option<Confidence> {
        let value: f64 = text.trim().parse().ok().filter(|v: &f64| v.is_finite())?;
        // Clamped to 0..=1000 first, so the cast cannot truncate.
        Some(Confidence((value.clamp(0.0, 1.0) * 1000.0).round() as u16))
    }

    /// As a number from 0 to 1.
    pub fn value(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

/// A spoken answer as the call log may see it: never the words, unless the flow keeps them.
pub(super) struct Spoken {
    language: String,
    confidence: Option<Confidence>,
    kept_words: Option<String>,
}

impl Spoken {
    /// What the step records as the caller's input.
    fn input(&self) -> String {
        self.kept_words.clone().unwrap_or_else(|| "speech".into())
    }

    /// `speech (en) matched key 2, confidence 0.80`; reports read this shape.
    fn describe(&self, key: Option<&str>) -> String {
        let matched = key.map_or("nothing".to_string(), |k| format!("key {k}"));
        let confidence = self
            .confidence
            .map_or("confidence unknown".to_string(), |c| {
                format!("confidence {:.2}", c.value())
            });
        format!("speech ({}) matched {matched}, {confidence}", self.language)
    }
}

/// Why a menu answer counts as a failed try.
pub(super) enum Failure<'s> {
    /// A key that means nothing here.
    Key(String),
    /// Nothing at all.
    Silence,
    /// Words that name no key, or that the provider was not sure of.
    Spoken(&'s Spoken),
}

impl<'a> Run<'a> {
    /// The languages whose words a menu hears: the caller's, or every one before a language
    /// has been chosen.
    fn heard_languages(&self, node: &Node) -> Vec<&'a str> {
        let flow = self.flow;
        if node.all_languages {
            flow.languages.iter().map(|l| l.id.as_str()).collect()
        } else {
            vec![flow.language(&self.state.language).id.as_str()]
        }
    }

    /// Turns the menu's last gather into one that also listens for speech, unless the menu
    /// takes keys only (it does not listen, or a spoken answer here was not understood).
    pub fn listen_for_speech(&mut self, node: &Node, menu: &Menu) {
        let Some(speech) = menu.speech.as_ref().filter(|_| !self.state.keys_only) else {
            return;
        };
        let languages = self.heard_languages(node);
        let flow = self.flow;
        let extra = speech
            .prompt
            .as_ref()
            .map(|p| prompt_verbs(flow, p, &self.state.language, node.all_languages, &[]));
        let Some(Verb::Gather(gather)) = self
            .verbs
            .iter_mut()
            .rev()
            .find(|v| matches!(v, Verb::Gather(_)))
        else {
            return;
        };
        gather.input = twiml::GatherInput::DtmfSpeech;
        gather.language = Some(flow.language(&self.state.language).code.clone());
        gather.prompts.extend(extra.into_iter().flatten());
        gather.recognition = Some(Recognition {
            hints: speech.hints_for(&languages),
            speech_timeout_seconds: flow.speech.timeout_seconds,
            model: SpeechModel::PhoneCall,
            // Silence then reaches the menu through the action URL like any other answer.
            action_on_empty_result: true,
        });
    }

    /// A spoken answer: the key its words name, if the provider is sure enough of them.
    pub fn menu_speech(
        &mut self,
        node: &'a Node,
        menu: &'a Menu,
        words: &str,
        confidence: Option<Confidence>,
    ) {
        let settings = &self.flow.speech;
        let spoken = Spoken {
            language: self.state.language.clone(),
            confidence,
            kept_words: settings.keep_speech.then(|| words.to_string()),
        };
        // Twilio says Confidence may be missing; an answer without one is judged by its words.
        let sure = confidence.is_none_or(|c| c.value() >= settings.min_confidence);
        let heard = match &menu.speech {
            Some(speech) if sure && !self.state.keys_only => {
                speech.phrasebook.hear(words, &self.heard_languages(node))
            }
            _ => Heard::Nothing,
        };
        match heard {
            Heard::Key(key) => self.menu_key(node, menu, &key, Some(&spoken)),
            Heard::Nothing => {
                self.state.keys_only = true;
                let prompt = menu.invalid_prompt.as_ref();
                self.menu_failed(node, menu, Failure::Spoken(&spoken), prompt);
            }
        }
    }

    pub fn menu_key(
        &mut self,
        node: &'a Node,
        menu: &'a Menu,
        digits: &str,
        spoken: Option<&Spoken>,
    ) {
        let key = &digits[..digits.chars().next().map_or(0, char::len_utf8)];
        let input = Some(spoken.map_or_else(|| key.to_string(), Spoken::input));
        let how = spoken.map_or(String::new(), |s| format!("{}: ", s.describe(Some(key))));
        if menu.repeat_key.as_deref() == Some(key) {
            self.log(&node.id, input, format!("{how}repeat"));
            return self.ask_menu(node, menu, None);
        }
        let Some(choice) = menu.options.get(key) else {
            let failure = Failure::Key(key.to_string());
            return self.menu_failed(node, menu, failure, menu.invalid_prompt.as_ref());
        };
        if let Some(lang) = &choice.language {
            self.state.language = lang.clone();
            self.effects.push(Effect::Language(lang.clone()));
        }
        if choice.callback_to_caller {
            if let Some(other) = choice
                .if_withheld
                .as_ref()
                .filter(|_| !callable(self.ctx.caller))
            {
                self.log(&node.id, input, format!("{how}number withheld: {other}"));
                return self.enter(other);
            }
            self.state.callback = Some(CallbackNumber::Caller);
        }
        if let Some(safe) = choice.safe_to_leave_message {
            self.state.safe_to_leave_message = Some(safe);
        }
        if let Some(when) = choice.call_time {
            self.state.call_time = Some(when);
        }
        self.log(&node.id, input, format!("{how}chose {}", choice.goto));
        self.enter(&choice.goto);
    }

    pub fn menu_no_input(&mut self, node: &'a Node, menu: &'a Menu) {
        match &menu.default_key {
            Some(key) => {
                let key = key.clone();
                self.menu_key(node, menu, &key, None);
            }
            None => self.menu_failed(node, menu, Failure::Silence, menu.no_input_prompt.as_ref()),
        }
    }

    /// A wrong key, silence or a spoken answer not understood: one more try, or give up.
    pub fn menu_failed(
        &mut self,
        node: &'a Node,
        menu: &'a Menu,
        failure: Failure<'_>,
        prompt: Option<&'a Prompt>,
    ) {
        self.state.attempts += 1;
        let tries = format!("attempt {} of {}", self.state.attempts, menu.max_attempts);
        let (input, what) = match failure {
            Failure::Key(key) => (Some(key), "invalid key".to_string()),
            Failure::Silence => (None, "no input".to_string()),
            Failure::Spoken(s) => (
                Some(s.input()),
                format!("{}: not understood", s.describe(None)),
            ),
        };
        if self.state.attempts >= menu.max_attempts {
            self.log(&node.id, input, format!("{what}, {tries}: giving up"));
            self.enter(&menu.after_max_attempts);
        } else {
            self.log(&node.id, input, format!("{what}, {tries}"));
            self.ask_menu(node, menu, prompt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_providers_confidence_is_read_within_zero_and_one() {
        let read = |text: &str| Confidence::parse(text).map(Confidence::value);
        assert_eq!(read("0.8"), Some(0.8));
        assert_eq!(read(" 0.4567 "), Some(0.457));
        assert_eq!(read("7"), Some(1.0));
        assert_eq!(read("-1"), Some(0.0));
        for garbled in ["", "high", "NaN", "inf"] {
            assert_eq!(read(garbled), None, "{garbled}");
        }
    }
}
