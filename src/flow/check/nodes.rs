//! Checks of `[nodes.*]`: each node type's required and unused settings, menu keys, and
//! references to other nodes and categories.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Checker;
use crate::flow::model::{Choice, CollectPhone, Menu, Node, NodeKind, PhoneFormat, Prompt};
use crate::flow::raw::{RawChoice, RawNode, RawPrompt, S};

/// Settings each node type uses; anything else set on the node is a mistake worth reporting.
const FIELDS: &[(&str, &[&str])] = &[
    ("message", &["prompt", "next"]),
    (
        "menu",
        &[
            "prompt",
            "options",
            "default_key",
            "repeat_key",
            "invalid_prompt",
            "no_input_prompt",
            "max_attempts",
            "after_max_attempts",
            "timeout",
        ],
    ),
    (
        "collect_phone",
        &[
            "prompt",
            "invalid_prompt",
            "confirm_prompt",
            "format",
            "max_attempts",
            "after_max_attempts",
            "next",
            "timeout",
        ],
    ),
    ("record", &["prompt", "max_length", "next"]),
    ("triage", &["prompt", "category"]),
    ("callback", &["prompt", "next"]),
    ("transfer", &["prompt", "number", "timeout", "next"]),
    ("hangup", &["prompt"]),
];

const DEFAULT_ATTEMPTS: i64 = 3;
const DEFAULT_MENU_TIMEOUT: i64 = 6;
const DEFAULT_PHONE_TIMEOUT: i64 = 10;

impl Checker<'_> {
    pub(super) fn node(&mut self, id: &str, node: &S<RawNode>) -> Option<Node> {
        let raw = node.get_ref();
        let kind_name = raw.kind.get_ref().as_str();
        let Some((_, allowed)) = FIELDS.iter().find(|(k, _)| *k == kind_name) else {
            let kinds: Vec<&str> = FIELDS.iter().map(|(k, _)| *k).collect();
            self.error(
                raw.kind.span(),
                "unknown-node-type",
                format!("node `{id}` has type `{kind_name}`, which does not exist"),
                format!("use one of: {}", kinds.join(", ")),
            );
            return None;
        };
        self.unused_fields(id, kind_name, allowed, raw);
        let what = format!("node `{id}`");
        let kind = match kind_name {
            "message" => NodeKind::Message {
                prompt: self.required_prompt(raw, &raw.prompt, "prompt", &[])?,
                next: self.required_target(raw, &raw.next, "next", &what)?,
            },
            "menu" => NodeKind::Menu(self.menu(raw, &what)?),
            "collect_phone" => NodeKind::CollectPhone(self.collect_phone(raw, &what)?),
            "record" => NodeKind::Record {
                prompt: self.required_prompt(raw, &raw.prompt, "prompt", &[])?,
                max_seconds: self.number(&raw.max_length, 120, 5..=600, "max_length")?,
                next: self.required_target(raw, &raw.next, "next", &what)?,
            },
            "triage" => self.triage(raw, &what)?,
            "callback" => NodeKind::Callback {
                prompt: self.required_prompt(raw, &raw.prompt, "prompt", &[])?,
                next: self.required_target(raw, &raw.next, "next", &what)?,
            },
            "transfer" => self.transfer(raw, &what)?,
            _ => NodeKind::Hangup {
                prompt: raw.prompt.as_ref().map(|p| self.prompt(p, &[])),
            },
        };
        Some(Node {
            id: id.to_string(),
            all_languages: raw.all_languages,
            kind,
        })
    }

    fn unused_fields(&mut self, id: &str, kind: &str, allowed: &[&str], raw: &RawNode) {
        let set: [(&str, Option<Range<usize>>); 15] = [
            ("prompt", raw.prompt.as_ref().map(S::span)),
            ("next", raw.next.as_ref().map(S::span)),
            ("options", raw.options.as_ref().map(S::span)),
            ("default_key", raw.default_key.as_ref().map(S::span)),
            ("repeat_key", raw.repeat_key.as_ref().map(S::span)),
            ("invalid_prompt", raw.invalid_prompt.as_ref().map(S::span)),
            ("no_input_prompt", raw.no_input_prompt.as_ref().map(S::span)),
            ("confirm_prompt", raw.confirm_prompt.as_ref().map(S::span)),
            ("max_attempts", raw.max_attempts.as_ref().map(S::span)),
            (
                "after_max_attempts",
                raw.after_max_attempts.as_ref().map(S::span),
            ),
            ("timeout", raw.timeout.as_ref().map(S::span)),
            ("format", raw.format.as_ref().map(S::span)),
            ("max_length", raw.max_length.as_ref().map(S::span)),
            ("category", raw.category.as_ref().map(S::span)),
            ("number", raw.number.as_ref().map(S::span)),
        ];
        for (name, span) in set {
            if let Some(span) = span.filter(|_| !allowed.contains(&name)) {
                self.error(
                    span,
                    "unused-setting",
                    format!("`{name}` has no effect on node `{id}`, a {kind} node"),
                    format!("remove it; a {kind} node uses: {}", allowed.join(", ")),
                );
            }
        }
    }

    fn missing(&mut self, raw: &RawNode, name: &str, example: &str) {
        self.error(
            raw.kind.span(),
            "missing-setting",
            format!("this {} node has no `{name}`", raw.kind.get_ref()),
            format!("add {example}"),
        );
    }

    fn required_prompt(
        &mut self,
        raw: &RawNode,
        p: &Option<RawPrompt>,
        name: &str,
        fill: &[&str],
    ) -> Option<Prompt> {
        match p {
            Some(p) => Some(self.prompt(p, fill)),
            None => {
                self.missing(
                    raw,
                    name,
                    &format!("`{name}.<language> = \"...\"` for every language"),
                );
                None
            }
        }
    }

    fn required_target(
        &mut self,
        raw: &RawNode,
        t: &Option<S<String>>,
        name: &str,
        what: &str,
    ) -> Option<String> {
        let Some(t) = t else {
            self.missing(raw, name, &format!("`{name} = \"node_id\"`"));
            return None;
        };
        self.node_ref(t.get_ref(), t.span(), &format!("{what}'s `{name}`"));
        Some(t.get_ref().clone())
    }

    fn number(
        &mut self,
        n: &Option<S<i64>>,
        default: i64,
        range: std::ops::RangeInclusive<i64>,
        name: &str,
    ) -> Option<u32> {
        let value = n.as_ref().map_or(default, |v| *v.get_ref());
        if !range.contains(&value) {
            self.error(
                n.as_ref().map_or(0..0, S::span),
                "bad-number-setting",
                format!("{name} = {value} is out of range"),
                format!("use {} to {}", range.start(), range.end()),
            );
            return None;
        }
        u32::try_from(value).ok()
    }

    fn key(&mut self, key: &str, span: Range<usize>) -> bool {
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

    fn menu(&mut self, raw: &RawNode, what: &str) -> Option<Menu> {
        let prompt = self.required_prompt(raw, &raw.prompt, "prompt", &[]);
        let options = self.options(raw, what);
        let after = self.required_target(raw, &raw.after_max_attempts, "after_max_attempts", what);
        let max_attempts = self.number(&raw.max_attempts, DEFAULT_ATTEMPTS, 1..=9, "max_attempts");
        let timeout = self.number(&raw.timeout, DEFAULT_MENU_TIMEOUT, 2..=30, "timeout");
        let options = options?;
        let default_key = self.menu_key(&raw.default_key, &options, true);
        let repeat_key = self.menu_key(&raw.repeat_key, &options, false);
        Some(Menu {
            prompt: prompt?,
            options,
            default_key,
            repeat_key,
            invalid_prompt: raw.invalid_prompt.as_ref().map(|p| self.prompt(p, &[])),
            no_input_prompt: raw.no_input_prompt.as_ref().map(|p| self.prompt(p, &[])),
            max_attempts: u8::try_from(max_attempts?).ok()?,
            after_max_attempts: after?,
            timeout_seconds: timeout?,
        })
    }

    /// The default key must be one of the options; the repeat key must not be.
    fn menu_key(
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

    fn options(&mut self, raw: &RawNode, what: &str) -> Option<BTreeMap<String, Choice>> {
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
        let (goto, language, callback, safe) = match choice.get_ref() {
            RawChoice::Goto(goto) => (goto.clone(), None, None, None),
            RawChoice::Full(f) => (
                f.goto.clone(),
                f.language.clone(),
                f.callback_number.clone(),
                f.safe_to_leave_message,
            ),
        };
        self.node_ref(&goto, span.clone(), &format!("key {key} of {what}"));
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
            self.error(span, "bad-setting", format!("callback_number = \"{cb}\" is not understood"), "the only value is \"caller\" (call back the number the caller is calling from); use a collect_phone node to ask for another number".into());
        }
        Choice {
            goto,
            language,
            callback_to_caller: callback.is_some(),
            safe_to_leave_message: safe,
        }
    }

    fn collect_phone(&mut self, raw: &RawNode, what: &str) -> Option<CollectPhone> {
        let format = match raw.format.as_ref().map(|f| f.get_ref().as_str()) {
            None | Some("nanp") => Some(PhoneFormat::Nanp),
            Some("any") => Some(PhoneFormat::Any),
            Some(other) => {
                let span = raw.format.as_ref().map_or(0..0, S::span);
                self.error(
                    span,
                    "bad-setting",
                    format!("format = \"{other}\" is not understood"),
                    "use \"nanp\" (10-digit North American numbers) or \"any\" (7 to 15 digits)"
                        .into(),
                );
                None
            }
        };
        Some(CollectPhone {
            prompt: self.required_prompt(raw, &raw.prompt, "prompt", &[])?,
            invalid_prompt: self.required_prompt(
                raw,
                &raw.invalid_prompt,
                "invalid_prompt",
                &[],
            )?,
            confirm_prompt: self.required_prompt(
                raw,
                &raw.confirm_prompt,
                "confirm_prompt",
                &["number"],
            )?,
            format: format?,
            max_attempts: u8::try_from(self.number(
                &raw.max_attempts,
                DEFAULT_ATTEMPTS,
                1..=9,
                "max_attempts",
            )?)
            .ok()?,
            after_max_attempts: self.required_target(
                raw,
                &raw.after_max_attempts,
                "after_max_attempts",
                what,
            )?,
            next: self.required_target(raw, &raw.next, "next", what)?,
            timeout_seconds: self.number(&raw.timeout, DEFAULT_PHONE_TIMEOUT, 3..=30, "timeout")?,
        })
    }

    fn triage(&mut self, raw: &RawNode, what: &str) -> Option<NodeKind> {
        let Some(category) = &raw.category else {
            self.missing(raw, "category", "`category = \"general\"`");
            return None;
        };
        self.category_ref(category.get_ref(), category.span(), what);
        Some(NodeKind::Triage {
            category: category.get_ref().clone(),
            prompt: raw.prompt.as_ref().map(|p| self.prompt(p, &["category"])),
        })
    }

    fn transfer(&mut self, raw: &RawNode, what: &str) -> Option<NodeKind> {
        let Some(number) = &raw.number else {
            self.missing(raw, "number", "`number = \"+12025550100\"`");
            return None;
        };
        let n = number.get_ref();
        let valid = n.starts_with('+') && n.len() > 8 && n[1..].chars().all(|c| c.is_ascii_digit());
        if !valid {
            self.error(
                number.span(),
                "bad-number",
                format!("`{n}` is not a phone number in international form"),
                "write it as \"+\" followed by the country code and number, digits only".into(),
            );
        }
        Some(NodeKind::Transfer {
            number: n.clone(),
            prompt: raw.prompt.as_ref().map(|p| self.prompt(p, &[])),
            timeout_seconds: self.number(&raw.timeout, 30, 5..=600, "timeout")?,
            next: self.required_target(raw, &raw.next, "next", what)?,
        })
    }
}
