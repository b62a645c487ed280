//! Names for staff in the reports: every row that names a category or a menu step by its id
//! gets the title beside it, so tables, charts and spreadsheets read as words while the ids
//! stay for tools.

use super::{Report, UNTRIAGED};

/// The title of the calls that never reached a category.
pub const UNTRIAGED_TITLE: &str = "No category";

impl Report {
    /// Fills each row's title from its id: `category` names categories, `node` menu steps.
    pub(super) fn name(
        &mut self,
        category: &dyn Fn(&str) -> String,
        node: &dyn Fn(&str) -> String,
    ) {
        let category = |id: &str| match id {
            UNTRIAGED => UNTRIAGED_TITLE.to_string(),
            _ => category(id),
        };
        for row in &mut self.calls_per_day {
            row.category_title = category(&row.category);
        }
        for row in &mut self.triage_outcomes {
            row.category_title = category(&row.category);
        }
        for row in &mut self.drop_off {
            row.node_title = node(&row.node);
        }
        let outcomes = self.callback_outcomes.iter_mut();
        let waits = (self.answer_times.iter_mut())
            .chain(self.callback_times.iter_mut())
            .chain(outcomes.map(|o| {
                o.category_title = category(&o.category);
                &mut o.time_to_reached
            }));
        for row in waits {
            row.category_title = category(&row.category);
        }
        for row in &mut self.callback_requests {
            row.category_title = category(&row.category);
        }
        for row in &mut self.voice_answers {
            row.node_title = node(&row.node);
        }
    }
}
