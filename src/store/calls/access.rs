//! Which tables each call-log write statement reads and which it changes, so that an adapter
//! may run writes that cannot see each other's effects as parts of one statement
//! (`postgres/fuse.rs`). A statement not listed touches everything, so it never shares one;
//! a test reads each listed statement and fails when it names a table not declared here.

use super::sql::{
    ABANDON_UNFINISHED, CALL_ENDED, DROP_UNFINISHED, INSERT_CALLBACK, INSERT_QUEUE_ENTRY,
    INSERT_STEP, QUEUE_LEFT, QUEUE_WAITED, SET_CATEGORY, SET_LANGUAGE, SETTLE_UNFINISHED,
    START_CALL, UPSERT_UNFINISHED,
};

/// A set of the call log's tables, with the calls table in two parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::store) struct Tables(u8);

impl Tables {
    const NONE: Tables = Tables(0);
    /// What `calls` holds beyond its starts: language, category, status, a placeholder row.
    const CALLS: Tables = Tables(1);
    const STEPS: Tables = Tables(2);
    const QUEUE: Tables = Tables(4);
    const REQUESTS: Tables = Tables(8);
    const UNFINISHED: Tables = Tables(16);
    /// The starts in `calls`: the `started_at` of a row whose `hotline` is not `''` (one
    /// whose start is recorded). Only `START_CALL` writes a start; every other write leaves
    /// those two columns alone, and a placeholder row it inserts has `hotline` `''`.
    const CALL_STARTS: Tables = Tables(32);
    const ALL: Tables = Tables(63);

    const fn and(self, other: Tables) -> Tables {
        Tables(self.0 | other.0)
    }

    fn meets(self, other: Tables) -> bool {
        self.0 & other.0 != 0
    }
}

/// What one statement reads (beyond the rows it changes) and changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::store) struct Access {
    reads: Tables,
    writes: Tables,
}

impl Access {
    const fn new(reads: Tables, writes: Tables) -> Access {
        Access { reads, writes }
    }

    /// Whether the two can run on one snapshot in either order with the same result: neither
    /// changes a table the other reads or changes.
    pub(in crate::store) fn independent(self, other: Access) -> bool {
        let touched = |a: Access| a.reads.and(a.writes);
        !self.writes.meets(touched(other)) && !other.writes.meets(touched(self))
    }
}

const CHANGES_CALLS: Access = Access::new(Tables::NONE, Tables::CALLS);
const CHANGES_QUEUE: Access = Access::new(Tables::NONE, Tables::QUEUE);
const CHANGES_UNFINISHED: Access = Access::new(Tables::NONE, Tables::UNFINISHED);

/// Every write statement of the call log, with what it touches.
const ACCESS: [(&str, Access); 13] = [
    (
        START_CALL,
        Access::new(Tables::NONE, Tables::CALLS.and(Tables::CALL_STARTS)),
    ),
    (SET_LANGUAGE, CHANGES_CALLS),
    (SET_CATEGORY, CHANGES_CALLS),
    (CALL_ENDED, CHANGES_CALLS),
    (INSERT_STEP, Access::new(Tables::NONE, Tables::STEPS)),
    (INSERT_QUEUE_ENTRY, CHANGES_QUEUE),
    (QUEUE_WAITED, CHANGES_QUEUE),
    (QUEUE_LEFT, CHANGES_QUEUE),
    // The request waits from the call's start, read from its row.
    (
        INSERT_CALLBACK,
        Access::new(Tables::CALL_STARTS, Tables::REQUESTS),
    ),
    (UPSERT_UNFINISHED, CHANGES_UNFINISHED),
    (ABANDON_UNFINISHED, CHANGES_UNFINISHED),
    (DROP_UNFINISHED, CHANGES_UNFINISHED),
    (
        SETTLE_UNFINISHED,
        Access::new(
            Tables::CALL_STARTS.and(Tables::UNFINISHED),
            Tables::REQUESTS,
        ),
    ),
];

/// What the write statement `sql` touches; everything when it is not one listed.
pub(in crate::store) fn access(sql: &str) -> Access {
    ACCESS
        .iter()
        .find(|(listed, _)| *listed == sql)
        .map_or(Access::new(Tables::ALL, Tables::ALL), |(_, access)| *access)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [(&str, Tables); 5] = [
        ("calls", Tables::CALLS),
        ("call_steps", Tables::STEPS),
        ("queue_entries", Tables::QUEUE),
        ("callback_requests", Tables::REQUESTS),
        ("unfinished_requests", Tables::UNFINISHED),
    ];

    /// The call log's tables `sql` names.
    fn named(sql: &str) -> Tables {
        let words: Vec<&str> = sql
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        NAMES
            .iter()
            .filter(|(name, _)| words.contains(name))
            .fold(Tables::NONE, |all, (_, table)| all.and(*table))
    }

    /// `tables` with the starts counted as the calls table they are part of.
    fn whole(tables: Tables) -> Tables {
        match tables.meets(Tables::CALL_STARTS) {
            true => Tables(tables.0 & !Tables::CALL_STARTS.0).and(Tables::CALLS),
            false => tables,
        }
    }

    #[test]
    fn every_listed_statement_declares_each_table_it_names() {
        for (sql, access) in ACCESS {
            assert_eq!(named(sql), whole(access.reads.and(access.writes)), "{sql}");
        }
    }

    /// A statement that reads only the starts of `calls` names `hotline <> ''` and
    /// `started_at`, and nothing else of that table.
    #[test]
    fn what_reads_only_the_starts_reads_started_calls_start_times() {
        for (sql, access) in ACCESS {
            if access.reads.meets(Tables::CALL_STARTS) {
                assert!(!access.reads.meets(Tables::CALLS), "{sql}");
                assert!(sql.contains("c.started_at from calls c"), "{sql}");
                assert!(sql.contains("c.hotline <> ''"), "{sql}");
            }
        }
    }

    #[test]
    fn writes_to_one_table_or_to_what_the_other_reads_are_not_independent() {
        assert!(!access(SET_LANGUAGE).independent(access(CALL_ENDED)));
        assert!(!access(START_CALL).independent(access(INSERT_CALLBACK)));
        assert!(!access(START_CALL).independent(access(SETTLE_UNFINISHED)));
        // Ending a call changes no start, and the placeholder it may insert is no start.
        assert!(access(CALL_ENDED).independent(access(SETTLE_UNFINISHED)));
        assert!(access(SET_LANGUAGE).independent(access(INSERT_CALLBACK)));
        assert!(!access(INSERT_CALLBACK).independent(access(SETTLE_UNFINISHED)));
        assert!(!access(UPSERT_UNFINISHED).independent(access(SETTLE_UNFINISHED)));
        assert!(access(SET_LANGUAGE).independent(access(UPSERT_UNFINISHED)));
        assert!(access(INSERT_CALLBACK).independent(access(DROP_UNFINISHED)));
        assert!(access(INSERT_STEP).independent(access(SETTLE_UNFINISHED)));
    }

    #[test]
    fn an_unknown_statement_shares_with_nothing() {
        let unknown = access("delete from somewhere");
        assert!(!unknown.independent(access(INSERT_STEP)));
    }
}
