//! What callers of a closed category can do: leave a callback request, be transferred, or
//! wait for another category that keeps other hours. A path that only says goodbye leaves
//! them without help, and breaks the promise made to callers who took the offer to be called
//! back while waiting.

use super::Lints;
use super::paths::{self, Route};
use crate::flow::model::{Category, NodeKind};

impl Lints<'_> {
    pub(super) fn closed_paths(&mut self) {
        let routes = paths::routes(self.flow);
        for (id, category) in &self.flow.categories {
            if self.closed_path_helps(category, &routes) {
                continue;
            }
            let Some(raw) = self.raw.categories.get(id) else {
                continue;
            };
            let span = raw.get_ref().when_closed.span();
            let target = &category.when_closed;
            let help = "let `when_closed` lead to a callback node (for example a menu that offers \
                        a callback, then a `callback` node), or to a transfer to a line that is open";
            if category.max_hold_minutes.is_some() {
                self.error(
                    span,
                    "after-hours-path",
                    format!(
                        "callers of `{id}` who take the offer to be called back go to `{target}`, \
                         from where no callback request can be saved"
                    ),
                    format!("{help}; or remove `max_hold_minutes` so callers are not promised a callback"),
                );
            } else {
                self.warning(
                    span,
                    "after-hours-path",
                    format!(
                        "when `{id}` is closed its callers go to `{target}`, from where they can \
                         neither leave a callback request nor reach anyone: they can only hang up"
                    ),
                    help.into(),
                );
            }
        }
    }

    /// Whether a caller sent to the category's `when_closed` can get help of some kind.
    fn closed_path_helps(&self, category: &Category, routes: &[Route<'_>]) -> bool {
        let flow = self.flow;
        let seen = paths::reachable(&[category.when_closed.as_str()], routes, |_| true);
        seen.iter()
            .filter_map(|id| flow.nodes.get(*id))
            .any(|node| match &node.kind {
                NodeKind::Callback { .. } | NodeKind::Transfer { .. } => true,
                // Another category with the same hours is closed too.
                NodeKind::Triage {
                    category: other, ..
                } => {
                    flow.categories
                        .get(other)
                        .is_some_and(|o| o.schedule != category.schedule)
                        && paths::can_open(flow, other)
                }
                _ => false,
            })
    }
}
