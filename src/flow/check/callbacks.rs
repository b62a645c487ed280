//! Checks of the `[callbacks]` section: the prefixes the line may dial beyond the United States
//! and Canada, each usable and none premium-rate.

use super::Checker;
use crate::callbacks::dialable::prefix_problem;
use crate::flow::model::CallbackSettings;
use crate::flow::raw::RawFlow;

impl Checker<'_> {
    pub(super) fn callbacks_section(&mut self, raw: &RawFlow) -> CallbackSettings {
        let Some(section) = raw.callbacks.as_ref() else {
            return CallbackSettings::default();
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
        CallbackSettings { dialable }
    }
}
