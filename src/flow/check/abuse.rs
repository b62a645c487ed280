//! Checks of the `[abuse]` section: blocked numbers written in E.164, a sensible hourly limit,
//! and a message in every language.

use std::collections::BTreeSet;

use super::Checker;
use crate::flow::model::AbuseSettings;
use crate::flow::raw::RawFlow;

/// The highest hourly limit accepted: above it the limit would never turn anyone away.
const MAX_LIMIT: i64 = 1000;

impl Checker<'_> {
    pub(super) fn abuse_section(&mut self, raw: &RawFlow) -> Option<AbuseSettings> {
        let section = raw.abuse.as_ref()?.get_ref();
        let mut blocked = BTreeSet::new();
        for number in &section.blocked {
            let text = number.get_ref();
            let digits = text.strip_prefix('+').unwrap_or("");
            if (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
                blocked.insert(text.clone());
            } else {
                self.error(
                    number.span(),
                    "bad-number",
                    format!("`{text}` is not a phone number in E.164 form"),
                    "write it as + country code and number, without spaces: \"+15551234567\""
                        .into(),
                );
            }
        }
        let max_calls_per_hour = match &section.max_calls_per_hour {
            None => None,
            Some(limit) if (1..=MAX_LIMIT).contains(limit.get_ref()) => {
                u32::try_from(*limit.get_ref()).ok()
            }
            Some(limit) => {
                self.error(
                    limit.span(),
                    "bad-limit",
                    format!("max_calls_per_hour = {} cannot be used", limit.get_ref()),
                    format!("use 1 to {MAX_LIMIT}, or leave it out for no limit"),
                );
                None
            }
        };
        Some(AbuseSettings {
            blocked,
            max_calls_per_hour,
            message: self.prompt(&section.message, &[]),
        })
    }
}
