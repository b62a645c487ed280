//! Checks of the `title` of categories and nodes: the name staff read in the console, the
//! reports and the wallboard. One line of plain text, short enough for a heading, a table cell
//! and a chart's legend.

use super::Checker;
use crate::flow::names;
use crate::flow::raw::S;

/// Long enough for "Information about the enforcement process", short enough for a legend.
pub(super) const MAX_TITLE: usize = 60;

impl Checker<'_> {
    /// The title of the category or node `id` (`what` says which), checked; without one, or
    /// with one that is wrong (reported), the name made from the id.
    pub(super) fn title(&mut self, title: Option<&S<String>>, what: &str, id: &str) -> String {
        let derived = names::from_id(id);
        let Some(title) = title else {
            return derived;
        };
        let text = title.get_ref().trim();
        let problem = if text.is_empty() {
            Some((
                format!("{what} `{id}` has an empty title"),
                format!(
                    "write a short name for staff, or remove `title` to use the name made from \
                     the id (\"{derived}\")"
                ),
            ))
        } else if text.chars().any(hidden) {
            Some((
                format!(
                    "the title of {what} `{id}` has a line break, a tab or another invisible \
                     character"
                ),
                "write the title as plain text on one line, between the quotes".to_string(),
            ))
        } else if text.chars().count() > MAX_TITLE {
            Some((
                format!(
                    "the title of {what} `{id}` is {} characters long",
                    text.chars().count()
                ),
                format!(
                    "shorten it to {MAX_TITLE} characters at most: it heads the queue and the \
                     wallboard, and names a row of the reports"
                ),
            ))
        } else {
            None
        };
        match problem {
            Some((message, help)) => {
                self.error(title.span(), "bad-title", message, help);
                derived
            }
            None => text.to_string(),
        }
    }
}

/// A character that is not shown as itself: control characters (line breaks and tabs too) and
/// the marks that silently reorder text.
fn hidden(c: char) -> bool {
    c.is_control()
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}
