//! Checks of `[nodes.*]`: each node type's required and unused settings, menu keys, and
//! references to other nodes and categories.

use std::ops::Range;

use super::Checker;
use crate::flow::model::{CollectPhone, Menu, Node, NodeKind, PhoneFormat, Prompt};
use crate::flow::raw::{RawNode, RawPrompt, S};

/// Settings each node type uses; anything else set on the node is a mistake worth reporting.
const FIELDS: &[(&str, &[&str])] = &[
    ("message", &["prompt", "next", "safe_to_leave_message"]),
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
            "input",
            "speech_prompt",
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
        let title = self.title(raw.title.as_ref(), "node", id);
        let what = format!("node `{id}`");
        let kind = match kind_name {
            "message" => NodeKind::Message {
                prompt: self.required_prompt(raw, &raw.prompt, "prompt", &[])?,
                next: self.required_target(raw, &raw.next, "next", &what)?,
                safe_to_leave_message: raw.safe_to_leave_message.as_ref().map(|s| *s.get_ref()),
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
            title,
            all_languages: raw.all_languages,
            kind,
        })
    }

    fn unused_fields(&mut self, id: &str, kind: &str, allowed: &[&str], raw: &RawNode) {
        let set: [(&str, Option<Range<usize>>); 18] = [
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
            (
                "safe_to_leave_message",
                raw.safe_to_leave_message.as_ref().map(S::span),
            ),
            ("input", raw.input.as_ref().map(S::span)),
            ("speech_prompt", raw.speech_prompt.as_ref().map(S::span)),
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

    pub(super) fn missing(&mut self, raw: &RawNode, name: &str, example: &str) {
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

    /// An optional whole number with its default, checked against `range`.
    pub(super) fn number(
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

    fn menu(&mut self, raw: &RawNode, what: &str) -> Option<Menu> {
        let prompt = self.required_prompt(raw, &raw.prompt, "prompt", &[]);
        let options = self.options(raw, what);
        let after = self.required_target(raw, &raw.after_max_attempts, "after_max_attempts", what);
        let max_attempts = self.number(&raw.max_attempts, DEFAULT_ATTEMPTS, 1..=9, "max_attempts");
        let timeout = self.number(&raw.timeout, DEFAULT_MENU_TIMEOUT, 2..=30, "timeout");
        let options = options?;
        let default_key = self.menu_key(&raw.default_key, &options, true);
        let repeat_key = self.menu_key(&raw.repeat_key, &options, false);
        let speech = self.menu_speech(raw, &options, repeat_key.as_deref());
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
            speech,
        })
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
