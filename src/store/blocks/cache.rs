//! A copy of the block list in memory, so a new call needs no round trip to the database to
//! learn whether its caller is blocked. The copy is good only while every change to the list
//! is heard of (`Changes::live`), none was heard of since it was read (`Changes::blocks`), and
//! for at most [`MAX_AGE`]; otherwise the list is read again, or, while changes may go unheard,
//! the caller's number is looked up as before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{Mutex as AsyncMutex, MutexGuard as AsyncGuard};

use crate::store::Changes;

/// The longest a copy is trusted, however quiet the list: a connection to PostgreSQL can die
/// without a word, and its listener with it, while it still counts as listening.
const MAX_AGE: Duration = Duration::from_secs(10);

/// The blocks in force when the copy was read: each number's tag and until when it holds.
struct Copy {
    /// `Changes::blocks` when the read began; a later change makes the copy stale.
    heard: u64,
    read_at: Instant,
    until: HashMap<String, Option<i64>>,
}

impl Copy {
    fn is_blocked(&self, number_tag: &str, now: i64) -> bool {
        self.until
            .get(number_tag)
            .is_some_and(|until| until.is_none_or(|end| end > now))
    }
}

/// What an adapter keeps of its block list. Cheap to ask; one refresh at a time.
#[derive(Default)]
pub(in crate::store) struct BlockCache {
    copy: Mutex<Option<Arc<Copy>>>,
    refresh: AsyncMutex<()>,
}

impl BlockCache {
    /// Whether `number_tag` is blocked at `now` by the copy, when the copy can be trusted
    /// after what has been `heard`; `None` when the list has to be read.
    pub(in crate::store) fn lookup(
        &self,
        heard: Changes,
        number_tag: &str,
        now: i64,
    ) -> Option<bool> {
        if !heard.live {
            return None;
        }
        let copy = self.current()?;
        let fresh = copy.heard == heard.blocks && copy.read_at.elapsed() < MAX_AGE;
        fresh.then(|| copy.is_blocked(number_tag, now))
    }

    /// The right to read the list again; whoever waited for it should [`Self::lookup`] once
    /// more first, since the one before may have just refreshed the copy.
    pub(in crate::store) async fn refreshing(&self) -> AsyncGuard<'_, ()> {
        self.refresh.lock().await
    }

    /// Keeps `blocks` (tags and their ends, read after `heard`) as the copy, and answers from
    /// it for `number_tag`. `read_at` is taken after the read, so a slow read costs the copy
    /// none of its time; a change during the read is caught by `heard`.
    pub(in crate::store) fn keep(
        &self,
        heard: Changes,
        blocks: Vec<(String, Option<i64>)>,
        number_tag: &str,
        now: i64,
    ) -> bool {
        let copy = Copy {
            heard: heard.blocks,
            read_at: Instant::now(),
            until: blocks.into_iter().collect(),
        };
        let blocked = copy.is_blocked(number_tag, now);
        if heard.live {
            *self.copy.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(copy));
        }
        blocked
    }

    fn current(&self) -> Option<Arc<Copy>> {
        self.copy
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "tag-of-a-harasser";

    fn heard(blocks: u64, live: bool) -> Changes {
        Changes {
            count: blocks,
            blocks,
            live,
        }
    }

    #[test]
    fn nothing_is_answered_before_the_list_is_read() {
        let cache = BlockCache::default();
        assert_eq!(cache.lookup(heard(0, true), TAG, 0), None);
    }

    #[test]
    fn the_copy_answers_until_a_change_to_the_list_is_heard_of() {
        let cache = BlockCache::default();
        let blocked = cache.keep(heard(3, true), vec![(TAG.into(), None)], TAG, 0);
        assert!(blocked);
        assert_eq!(cache.lookup(heard(3, true), TAG, 0), Some(true));
        assert_eq!(cache.lookup(heard(3, true), "another", 0), Some(false));
        assert_eq!(cache.lookup(heard(4, true), TAG, 0), None, "stale");
    }

    #[test]
    fn a_copy_is_neither_kept_nor_trusted_while_changes_may_go_unheard() {
        let cache = BlockCache::default();
        assert!(cache.keep(heard(1, false), vec![(TAG.into(), None)], TAG, 0));
        assert_eq!(cache.lookup(heard(1, true), TAG, 0), None, "not kept");
        cache.keep(heard(1, true), vec![(TAG.into(), None)], TAG, 0);
        assert_eq!(cache.lookup(heard(1, false), TAG, 0), None, "not trusted");
    }

    #[test]
    fn an_old_copy_is_read_again_even_when_nothing_was_heard_of() {
        let cache = BlockCache::default();
        cache.keep(heard(1, true), vec![(TAG.into(), None)], TAG, 0);
        if let Some(copy) = cache.copy.lock().expect("not poisoned").as_mut() {
            let old = Instant::now()
                .checked_sub(MAX_AGE)
                .expect("the machine is up");
            Arc::get_mut(copy).expect("only here").read_at = old;
        }
        assert_eq!(cache.lookup(heard(1, true), TAG, 0), None);
    }

    #[test]
    fn a_block_ends_at_its_expiry_without_a_new_read() {
        let cache = BlockCache::default();
        cache.keep(heard(1, true), vec![(TAG.into(), Some(1_000))], TAG, 0);
        assert_eq!(cache.lookup(heard(1, true), TAG, 999), Some(true));
        assert_eq!(cache.lookup(heard(1, true), TAG, 1_000), Some(false));
    }
}
