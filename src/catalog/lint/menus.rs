//! Menus that leave callers guessing: no word after a wrong key or silence, and keys that
//! break the hotline's operator-key convention.

use super::Lints;
use crate::flow::model::{Flow, Menu, NodeKind};

impl Lints<'_> {
    pub(super) fn menus(&mut self) {
        for (id, node) in &self.flow.nodes {
            if let NodeKind::Menu(menu) = &node.kind {
                self.retry_prompts(id, menu);
                self.operator_key(id, menu);
            }
        }
    }

    fn retry_prompts(&mut self, id: &str, menu: &Menu) {
        // With one try, the first wrong key or silence already gives up: no retry is heard.
        if menu.max_attempts < 2 {
            return;
        }
        if menu.invalid_prompt.is_none() {
            self.warning(
                self.node_span(id),
                "missing-invalid-prompt",
                format!(
                    "menu `{id}` has no `invalid_prompt`: a caller who presses a key that is not \
                     an option hears the menu again with no word of explanation"
                ),
                "add `invalid_prompt.<language> = \"Sorry, that is not one of the options.\"` in \
                 every language"
                    .into(),
            );
        }
        if menu.no_input_prompt.is_none() && menu.default_key.is_none() {
            self.warning(
                self.node_span(id),
                "missing-no-input-prompt",
                format!(
                    "menu `{id}` has no `no_input_prompt`: a caller who says nothing hears the \
                     menu again without being told that no key was heard"
                ),
                "add `no_input_prompt.<language> = \"We did not hear a choice.\"` in every \
                 language, or a `default_key` for callers who stay silent"
                    .into(),
            );
        }
    }

    /// With `operator_key` in `[hotline]`, that key must reach a person in every menu.
    fn operator_key(&mut self, id: &str, menu: &Menu) {
        let Some(key) = &self.raw.hotline.get_ref().operator_key else {
            return;
        };
        let k = key.get_ref().as_str();
        if menu.repeat_key.as_deref() == Some(k) {
            let span = self
                .raw
                .nodes
                .get(id)
                .and_then(|n| n.get_ref().repeat_key.as_ref())
                .map_or(self.node_span(id), |r| r.span());
            self.error(
                span,
                "key-collision",
                format!("repeat key `{k}` of menu `{id}` is this hotline's operator key"),
                format!(
                    "use another repeat key: callers expect {k} to reach a person in every menu \
                     (`operator_key` in [hotline])"
                ),
            );
            return;
        }
        match menu.options.get(k) {
            Some(choice) if !leads_to_person(self.flow, &choice.goto) => {
                self.operator_elsewhere(id, k, &choice.goto);
            }
            Some(_) => {}
            None => {
                let toml_key = if k.chars().all(|c| c.is_ascii_digit()) {
                    k.to_string()
                } else {
                    format!("\"{k}\"")
                };
                self.warning(
                    self.node_span(id),
                    "operator-key",
                    format!("menu `{id}` does not offer the operator key {k}"),
                    format!(
                        "add `options.{toml_key} = \"...\"` leading to a triage or transfer node, \
                         so callers can reach a person from here too"
                    ),
                );
            }
        }
    }

    /// The operator key of menu `id` leads to `goto`, which is not a person.
    fn operator_elsewhere(&mut self, id: &str, k: &str, goto: &str) {
        let span = self
            .raw
            .nodes
            .get(id)
            .and_then(|n| n.get_ref().options.as_ref())
            .and_then(|o| o.get_ref().get(k))
            .map_or(self.node_span(id), |c| c.span());
        self.error(
            span,
            "operator-key",
            format!(
                "key {k} reaches a person in every menu of this hotline (`operator_key`), but in \
                 menu `{id}` it goes to `{goto}`, which does not"
            ),
            format!("send key {k} to a triage or transfer node, or give this option another key"),
        );
    }
}

/// Whether going to `start` puts the caller through to a person (a queue or a transfer),
/// possibly after some messages.
fn leads_to_person(flow: &Flow, start: &str) -> bool {
    let mut at = start;
    for _ in 0..=flow.nodes.len() {
        match flow.nodes.get(at).map(|n| &n.kind) {
            Some(NodeKind::Triage { .. } | NodeKind::Transfer { .. }) => return true,
            Some(NodeKind::Message { next, .. }) => at = next,
            _ => return false,
        }
    }
    false
}
