//! Changes a console page may show: the adapters raise a [`Signal`] after each commit that can
//! change the queue or the wallboard, and the console's event streams watch a count of them
//! ([`ChangeFeed::changes`]) instead of only looking at the database on a timer. Nothing about
//! the change travels with it (no number, no id): a stream that wakes looks at the database.

use std::sync::Arc;

use tokio::sync::watch;

/// What a live page watches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// How many changes were heard of; only that it moved matters.
    pub count: u64,
    /// How many changes to the staff's block list were heard of (also counted in `count`),
    /// kept apart so a copy of the list stays good through a surge of callers' commits.
    pub blocks: u64,
    /// Whether every change that reaches the database is heard of, whichever instance made it:
    /// always on SQLite (one process owns the file), on PostgreSQL while the instance listens
    /// for the others. While it is false, a page has to look on a timer to see the others'.
    pub live: bool,
}

/// The part of the store that says when something a console page shows may have changed.
pub trait ChangeFeed {
    /// A receiver that is marked changed after each such change, and when `live` changes.
    /// A spurious change costs the watcher one look at the database; a missed one lasts until
    /// its next look on a timer.
    fn changes(&self) -> watch::Receiver<Changes>;
}

/// The sending half of [`ChangeFeed::changes`], kept by an adapter.
#[derive(Clone)]
pub(in crate::store) struct Feed(watch::Sender<Changes>);

impl Feed {
    pub(in crate::store) fn new(live: bool) -> Self {
        Self(watch::Sender::new(Changes {
            count: 0,
            blocks: 0,
            live,
        }))
    }

    /// One more change; wakes every watcher.
    pub(in crate::store) fn bump(&self) {
        self.0
            .send_modify(|changes| changes.count = changes.count.wrapping_add(1));
    }

    /// One more change to the block list; wakes every watcher.
    pub(in crate::store) fn bump_blocks(&self) {
        self.0.send_modify(|changes| {
            changes.count = changes.count.wrapping_add(1);
            changes.blocks = changes.blocks.wrapping_add(1);
        });
    }

    /// Says whether changes are heard of from everywhere. Counts as a change of every kind:
    /// what happened while nothing was heard has to be looked at once.
    pub(in crate::store) fn set_live(&self, live: bool) {
        self.0.send_modify(|changes| {
            changes.count = changes.count.wrapping_add(1);
            changes.blocks = changes.blocks.wrapping_add(1);
            changes.live = live;
        });
    }

    /// What has been heard of so far.
    pub(in crate::store) fn heard(&self) -> Changes {
        *self.0.borrow()
    }

    pub(in crate::store) fn subscribe(&self) -> watch::Receiver<Changes> {
        self.0.subscribe()
    }
}

/// What an adapter does after a commit that may change a console page: tell this process's
/// watchers (SQLite), or every instance's (PostgreSQL). Cheap and never blocking, since it is
/// raised on the write path, from async code and from the SQLite writer's thread alike.
#[derive(Clone)]
pub(in crate::store) struct Signal(Arc<dyn Fn() + Send + Sync>);

impl Signal {
    pub(in crate::store) fn new(raise: impl Fn() + Send + Sync + 'static) -> Self {
        Self(Arc::new(raise))
    }

    /// Tells the feed's watchers directly, for a database only this process writes.
    pub(in crate::store) fn local(feed: &Feed) -> Self {
        let feed = feed.clone();
        Self::new(move || feed.bump())
    }

    pub(in crate::store) fn raise(&self) {
        (self.0)();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raised_signal_marks_every_watcher_changed() {
        let feed = Feed::new(true);
        let mut first = feed.subscribe();
        let second = feed.subscribe();
        Signal::local(&feed).raise();
        assert!(first.has_changed().unwrap_or(false));
        assert!(second.has_changed().unwrap_or(false));
        assert_eq!(first.borrow_and_update().count, 1);
    }

    #[test]
    fn going_live_or_not_counts_as_a_change() {
        let feed = Feed::new(false);
        let mut watcher = feed.subscribe();
        feed.set_live(true);
        let seen = *watcher.borrow_and_update();
        assert_eq!(
            seen,
            Changes {
                count: 1,
                blocks: 1,
                live: true
            }
        );
        feed.set_live(false);
        assert!(watcher.has_changed().unwrap_or(false));
        assert!(!watcher.borrow().live);
    }

    #[test]
    fn a_block_list_change_is_a_change_but_other_changes_leave_the_block_list_alone() {
        let feed = Feed::new(true);
        feed.bump();
        assert_eq!(feed.heard().blocks, 0);
        feed.bump_blocks();
        assert_eq!((feed.heard().count, feed.heard().blocks), (2, 1));
    }
}
