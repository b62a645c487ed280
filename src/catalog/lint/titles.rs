//! Names staff cannot tell apart: two categories, or two nodes, with one title. The queue, the
//! wallboard, a caller's path and the reports name them by their titles, so two that share one
//! read as one. A warning: callers hear labels, never titles, so the flow still works.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Lints;

impl Lints<'_> {
    pub(super) fn titles(&mut self) {
        let categories = (self.flow.categories.iter()).map(|(id, c)| (id.as_str(), &*c.title));
        for (first, second, title) in shared(categories) {
            let span = self.category_title_span(second);
            let readers = "the queue, the wallboard and the reports name categories";
            self.same_title(span, "categories", [first, second], title, readers);
        }
        let nodes = (self.flow.nodes.iter()).map(|(id, n)| (id.as_str(), &*n.title));
        for (first, second, title) in shared(nodes) {
            let span = self.node_title_span(second);
            let readers = "a caller's path and the reports name steps";
            self.same_title(span, "nodes", [first, second], title, readers);
        }
    }

    fn same_title(
        &mut self,
        span: Range<usize>,
        what: &str,
        [first, second]: [&str; 2],
        title: &str,
        readers: &str,
    ) {
        self.warning(
            span,
            "same-title",
            format!("{what} `{first}` and `{second}` are both titled \"{title}\""),
            format!(
                "give each its own `title`: {readers} by their titles, so these two would read \
                 as one"
            ),
        );
    }

    /// Where the category's title is written, else its heading.
    fn category_title_span(&self, id: &str) -> Range<usize> {
        let raw = self.raw.categories.get(id);
        match raw.and_then(|c| c.get_ref().title.as_ref()) {
            Some(title) => title.span(),
            None => self.heading_span(
                &format!("[categories.{id}]"),
                raw.map_or(0..0, |c| c.span()),
            ),
        }
    }

    /// Where the node's title is written, else where the node is.
    fn node_title_span(&self, id: &str) -> Range<usize> {
        let raw = self.raw.nodes.get(id);
        match raw.and_then(|n| n.get_ref().title.as_ref()) {
            Some(title) => title.span(),
            None => self.node_span(id),
        }
    }
}

/// Each id whose title reads like an earlier one's (case aside), with that earlier id and the
/// title, in the order the ids come.
fn shared<'a>(
    titles: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(&'a str, &'a str, &'a str)> {
    let mut first: BTreeMap<String, &str> = BTreeMap::new();
    let mut found = Vec::new();
    for (id, title) in titles {
        match first.get(&title.to_lowercase()) {
            Some(earlier) => found.push((*earlier, id, title)),
            None => {
                first.insert(title.to_lowercase(), id);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::shared;

    #[test]
    fn titles_that_differ_only_in_case_are_the_same_name() {
        let titles = [
            ("benefits", "Benefits"),
            ("general", "General"),
            ("money", "benefits"),
            ("other", "BENEFITS"),
        ];
        assert_eq!(
            shared(titles.into_iter()),
            [
                ("benefits", "money", "benefits"),
                ("benefits", "other", "BENEFITS")
            ]
        );
    }
}
