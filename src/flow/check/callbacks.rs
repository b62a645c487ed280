//! Checks of the `[callbacks]` section: the prefixes the line may dial beyond the United States
//! and Canada (each usable, none premium-rate), the calling hours and the gap between attempts.

use super::Checker;
use crate::callbacks::dialable::prefix_problem;
use crate::callbacks::pacing::Pacing;
use crate::flow::raw::{RawCallbacks, S};
use crate::triage::schedule::Shift;

/// The most calls back to one number a day a flow may allow.
const MAX_DAILY_CAP: u32 = 20;

/// The most calls back nobody answers a flow may allow before a request is unreachable.
const MAX_ATTEMPTS: u32 = 10;

/// The longest gap between attempts: a day.
const MAX_GAP_MINUTES: i64 = 24 * 60;
use crate::flow::model::{CallbackSettings, DEFAULT_CALLS_PER_NUMBER_PER_DAY};
use crate::flow::raw::RawFlow;

impl Checker<'_> {
    pub(super) fn callbacks_section(&mut self, raw: &RawFlow) -> CallbackSettings {
        let first_number = raw
            .hotline
            .get_ref()
            .numbers
            .first()
            .map(|n| n.get_ref().clone());
        let Some(section) = raw.callbacks.as_ref() else {
            return CallbackSettings {
                caller_id: first_number,
                ..CallbackSettings::default()
            };
        };
        let mut dialable = Vec::new();
        for prefix in &section.get_ref().dialable {
            let text = prefix.get_ref();
            match prefix_problem(text) {
                None => dialable.push(text.clone()),
                Some(help) => self.error(
                    prefix.span(),
                    "bad-prefix",
                    format!("`{text}` cannot be a dialable prefix"),
                    help.to_string(),
                ),
            }
        }
        let section = section.get_ref();
        let pacing = self.pacing(section);
        let caller_id = match &section.caller_id {
            Some(number) => self.caller_id(number),
            None => first_number,
        };
        let max_calls_per_number_per_day = self
            .limit(
                &section.max_calls_per_number_per_day,
                "max_calls_per_number_per_day",
                MAX_DAILY_CAP,
                "calls back to one number a day",
            )
            .unwrap_or(DEFAULT_CALLS_PER_NUMBER_PER_DAY);
        let max_attempts = self.limit(
            &section.max_attempts,
            "max_attempts",
            MAX_ATTEMPTS,
            "calls back nobody answers",
        );
        CallbackSettings {
            dialable,
            pacing,
            max_calls_per_number_per_day,
            max_attempts,
            caller_id,
            screen: section.screen.as_ref().map(|p| self.prompt(p, &[])),
            voicemail: section.voicemail.as_ref().map(|p| self.prompt(p, &[])),
        }
    }

    fn hours(&mut self, text: &Option<S<String>>, what: &str) -> Option<Shift> {
        let text = text.as_ref()?;
        Shift::parse(text.get_ref())
            .map_err(|e| {
                self.error(
                    text.span(),
                    "bad-hours",
                    format!("`{}` cannot be {what}", text.get_ref()),
                    e.to_string(),
                );
            })
            .ok()
    }

    /// A count from 1 to `most`, or `None` when the key is left out or wrong (reported).
    fn limit(&mut self, value: &Option<S<i64>>, key: &str, most: u32, what: &str) -> Option<u32> {
        let value = value.as_ref()?;
        match u32::try_from(*value.get_ref()) {
            Ok(n) if (1..=most).contains(&n) => Some(n),
            _ => {
                self.error(
                    value.span(),
                    "bad-limit",
                    format!("{key} = {} cannot be used", value.get_ref()),
                    format!("use 1 to {most} {what}"),
                );
                None
            }
        }
    }

    fn caller_id(&mut self, number: &crate::flow::raw::S<String>) -> Option<String> {
        let text = number.get_ref();
        let digits = text.strip_prefix('+').unwrap_or("");
        if (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Some(text.clone());
        }
        self.error(
            number.span(),
            "bad-number",
            format!("`{text}` is not a phone number in E.164 form"),
            "write the hotline's number as + country code and number: \"+18005550100\"".into(),
        );
        None
    }

    fn pacing(&mut self, section: &RawCallbacks) -> Pacing {
        let mut pacing = Pacing::default();
        let hours = [
            (&section.calling_hours, "the calling hours"),
            (&section.morning, "the morning"),
            (&section.afternoon, "the afternoon"),
            (&section.evening, "the evening"),
        ];
        let mut parsed = hours.map(|(text, what)| self.hours(text, what));
        if let Some(shift) = parsed[0].take() {
            pacing.calling_hours = shift;
        }
        for (part, own) in pacing.parts_of_day.iter_mut().zip(&mut parsed[1..]) {
            if let Some(shift) = own.take() {
                *part = shift;
            }
        }
        if let Some(gap) = &section.min_gap_minutes {
            match u32::try_from(*gap.get_ref()) {
                Ok(minutes) if i64::from(minutes) <= MAX_GAP_MINUTES => {
                    pacing.min_gap_minutes = minutes;
                }
                _ => self.error(
                    gap.span(),
                    "bad-gap",
                    format!("min_gap_minutes = {} cannot be used", gap.get_ref()),
                    format!("use 0 to {MAX_GAP_MINUTES} minutes between two calls back"),
                ),
            }
        }
        pacing
    }
}
