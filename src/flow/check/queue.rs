//! Checks of `[queue]`: what waiting callers hear, and the callback offer that categories with
//! `max_hold_minutes` depend on.

use super::Checker;
use crate::flow::model::QueueSettings;
use crate::flow::raw::{RawFlow, RawQueue};

/// Silence between hold announcements when the file does not say.
const DEFAULT_HOLD_SECONDS: i64 = 20;

/// The key that takes the callback offer when the file does not say.
const DEFAULT_OFFER_KEY: &str = "1";

impl Checker<'_> {
    pub(super) fn queue_section(&mut self, raw: &RawFlow) -> Option<QueueSettings> {
        let Some(q) = &raw.queue else {
            self.missing_section(
                "queue",
                "[queue] with `hold_prompt` (may use {position}) and `unavailable_prompt`",
            );
            return None;
        };
        let q = q.get_ref();
        let hold_seconds = self.number(
            &q.hold_seconds,
            DEFAULT_HOLD_SECONDS,
            5..=120,
            "hold_seconds",
        );
        if let Some(url) = &q.hold_audio {
            self.audio_url(url.get_ref(), url.span());
        }
        let offer_callback_key = match &q.offer_callback_key {
            Some(key) => {
                self.key(key.get_ref(), key.span());
                key.get_ref().clone()
            }
            None => DEFAULT_OFFER_KEY.to_string(),
        };
        self.offer_needed(raw, q);
        Some(QueueSettings {
            hold_prompt: self.prompt(&q.hold_prompt, &["position"]),
            hold_audio: q.hold_audio.as_ref().map(|u| u.get_ref().clone()),
            // Out of range was reported above, and a flow with errors is never used.
            hold_seconds: hold_seconds.unwrap_or_default(),
            unavailable_prompt: self.prompt(&q.unavailable_prompt, &[]),
            estimate_prompt: q
                .estimate_prompt
                .as_ref()
                .map(|p| self.prompt(p, &["minutes"])),
            offer_callback_prompt: q
                .offer_callback_prompt
                .as_ref()
                .map(|p| self.prompt(p, &[])),
            offer_callback_key,
        })
    }

    /// A category that offers callers a way out of its queue needs the words for the offer;
    /// the engine would otherwise have nothing to say to them.
    fn offer_needed(&mut self, raw: &RawFlow, q: &RawQueue) {
        if q.offer_callback_prompt.is_some() {
            return;
        }
        for (id, category) in &raw.categories {
            if let Some(limit) = &category.get_ref().max_hold_minutes {
                self.error(
                    limit.span(),
                    "missing-setting",
                    format!(
                        "category `{id}` offers a callback after max_hold_minutes, but [queue] has no `offer_callback_prompt`"
                    ),
                    "add `offer_callback_prompt.<language> = \"...\"` to [queue] for every language, telling callers which key to press, or remove max_hold_minutes".into(),
                );
            }
        }
    }
}
