//! Checks of menu keys and choices: valid phone keys, a default key that is an option, a repeat
//! key that is not, and what each choice remembers about the caller.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Checker;
use crate::callbacks::pacing::CallTime;
use crate::flow::model::Choice;
use crate::flow::raw::{RawChoice, RawNode, S};

impl Checker<'_> {
    pub(super) fn key(&mut self, key: &str, span: Range<usize>) -> bool {
        let ok = key.len() == 1
            && key
                .chars()
                .all(|c| c.is_ascii_digit() || c == '*' || c == '#');
        if !ok {
            self.error(
                span,
                "bad-key",
                format!("`{key}` is not a phone key"),
                "use one key: 0-9, * or # (quote * and # in TOML: \"*\" = ...)".into(),
            );
        }
        ok
    }

    /// The default key must be one of the options; the repeat key must not be.
    pub(super) fn menu_key(
        &mut self,
        key: &Option<S<String>>,
        options: &BTreeMap<String, Choice>,
        must_exist: bool,
    ) -> Option<String> {
        let key = key.as_ref()?;
        if !self.key(key.get_ref(), key.span()) {
            return None;
        }
        let exists = options.contains_key(key.get_ref());
        if must_exist && !exists {
            self.error(
                key.span(),
                "bad-key",
                format!("default key `{}` is not one of the options", key.get_ref()),
                "pick the option silent callers should get".into(),
            );
        } else if !must_exist && exists {
            self.error(
                key.span(),
                "key-collision",
                format!("repeat key `{}` is also an option", key.get_ref()),
                "use a key no option uses, such as 9 or *".into(),
            );
        }
        Some(key.get_ref().clone())
    }

    pub(super) fn options(
        &mut self,
        raw: &RawNode,
        what: &str,
    ) -> Option<BTreeMap<String, Choice>> {
        let Some(options) = &raw.options else {
            self.missing(
                raw,
                "options",
                "[nodes.<id>.options] with lines such as `1 = \"next_node\"`",
            );
            return None;
        };
        let mut out = BTreeMap::new();
        for (key, choice) in options.get_ref() {
            if !self.key(key, choice.span()) {
                continue;
            }
            let c = self.choice(choice, what, key);
            out.insert(key.clone(), c);
        }
        if out.is_empty() {
            self.error(
                options.span(),
                "missing-setting",
                "this menu has no options".into(),
                "add at least one `1 = \"node_id\"` line".into(),
            );
        }
        Some(out)
    }

    fn choice(&mut self, choice: &S<RawChoice>, what: &str, key: &str) -> Choice {
        let span = choice.span();
        let (goto, language, callback, if_withheld, safe, when) = match choice.get_ref() {
            RawChoice::Goto(goto) => (goto.clone(), None, None, None, None, None),
            RawChoice::Full(f) => (
                f.goto.clone(),
                f.language.clone(),
                f.callback_number.clone(),
                f.if_withheld.clone(),
                f.safe_to_leave_message,
                f.call_time.as_deref(),
            ),
        };
        let say = self.choice_words(choice, key);
        let call_time = when.and_then(|w| self.call_time(w, span.clone(), key));
        let goto_span = self.word_span(span.clone(), &goto);
        self.node_ref(&goto, goto_span, &format!("key {key} of {what}"));
        if let Some(lang) = &language
            && !self.languages.contains(lang)
        {
            self.error(
                span.clone(),
                "unknown-language",
                format!("key {key} switches to language `{lang}`, which is not declared"),
                format!("use one of: {}", self.languages.join(", ")),
            );
        }
        if let Some(cb) = &callback
            && cb != "caller"
        {
            self.error(span.clone(), "bad-setting", format!("callback_number = \"{cb}\" is not understood"), "the only value is \"caller\" (call back the number the caller is calling from); use a collect_phone node to ask for another number".into());
        }
        if let Some(other) = &if_withheld {
            if callback.is_none() {
                self.error(
                    span.clone(),
                    "bad-setting",
                    "`if_withheld` only applies with callback_number = \"caller\"".into(),
                    "add callback_number = \"caller\", or remove if_withheld".into(),
                );
            }
            self.node_ref(other, span, &format!("key {key}'s `if_withheld`"));
        }
        Choice {
            goto,
            language,
            callback_to_caller: callback.is_some(),
            if_withheld,
            safe_to_leave_message: safe,
            call_time,
            say,
        }
    }

    fn call_time(&mut self, text: &str, span: Range<usize>, key: &str) -> Option<CallTime> {
        let when = CallTime::parse(text);
        if when.is_none() {
            let names: Vec<&str> = CallTime::ALL.iter().map(|t| t.as_str()).collect();
            self.error(
                span,
                "bad-setting",
                format!("key {key}'s call_time = \"{text}\" is not understood"),
                format!("use one of: {}", names.join(", ")),
            );
        }
        when
    }
}
