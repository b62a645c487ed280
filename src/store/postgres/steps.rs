//! A batch's call steps on PostgreSQL: one array per column, inserted by one `unnest`
//! statement that rides along with another write of the batch as a `with` clause, so steps
//! cost no round trip of their own. A step touches nothing but its own row and no statement
//! reads steps, so it may run beside any write; and a batch whose writes are one statement
//! with its steps needs no `begin` and `commit` either.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use sqlx::Postgres;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;

use crate::store::StepRecord;
use crate::store::calls::sql::{INSERT_STEPS_UNNEST, Param, bind_all};

/// How many parameters [`INSERT_STEPS_UNNEST`] takes, before those of the write it rides with.
const STEP_PARAMS: usize = 6;

/// Steps as one array per column, for [`INSERT_STEPS_UNNEST`].
#[derive(Default)]
pub(super) struct Steps {
    call_sid: Vec<String>,
    seq: Vec<i64>,
    node: Vec<String>,
    input: Vec<Option<String>>,
    outcome: Vec<String>,
    at: Vec<i64>,
}

impl Steps {
    pub(super) fn push(&mut self, step: &StepRecord) {
        self.call_sid.push(step.call_sid.clone());
        self.seq.push(step.seq);
        self.node.push(step.node.clone());
        self.input.push(step.input.clone());
        self.outcome.push(step.outcome.clone());
        self.at.push(step.at);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.call_sid.is_empty()
    }

    /// The steps on their own.
    pub(super) fn insert(self) -> Query<'static, Postgres, PgArguments> {
        self.bind(sqlx::query(INSERT_STEPS_UNNEST))
    }

    /// One statement that applies the write `sql` with `params` and inserts the steps.
    pub(super) fn with(
        self,
        sql: &'static str,
        params: Vec<Param>,
    ) -> Query<'static, Postgres, PgArguments> {
        if self.is_empty() {
            return bind_all(sqlx::query(sql), params);
        }
        bind_all(self.bind(sqlx::query(carried_by(sql))), params)
    }

    fn bind(
        self,
        query: Query<'static, Postgres, PgArguments>,
    ) -> Query<'static, Postgres, PgArguments> {
        query
            .bind(self.call_sid)
            .bind(self.seq)
            .bind(self.node)
            .bind(self.input)
            .bind(self.outcome)
            .bind(self.at)
    }
}

/// `sql` with the steps' insert as a `with` clause before it, its own `$n` moved past the
/// steps' parameters. Made once per statement and kept: prepared statements are cached by
/// their text, and the texts are the call log's constants, a dozen at most, so what is kept
/// (leaked, to be `'static` like them) stays that small.
fn carried_by(sql: &'static str) -> &'static str {
    static MADE: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    let mut made = made.lock().unwrap_or_else(PoisonError::into_inner);
    made.entry(sql).or_insert_with(|| {
        let text = format!(
            "with steps as ({INSERT_STEPS_UNNEST}) {}",
            shifted(sql, STEP_PARAMS)
        );
        Box::leak(text.into_boxed_str())
    })
}

/// `sql` with every placeholder `$n` renumbered `$(n + by)`.
fn shifted(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&format!("${}", n + by)),
            Err(_) => out.push('$'),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::calls::sql::{INSERT_CALLBACK, SET_LANGUAGE};

    #[test]
    fn placeholders_move_past_the_steps_and_nothing_else_changes() {
        assert_eq!(
            shifted("update calls set language = $2 where call_sid = $1", 6),
            "update calls set language = $8 where call_sid = $7"
        );
        assert_eq!(
            shifted("values ($10, $11) -- $", 6),
            "values ($16, $17) -- $"
        );
    }

    #[test]
    fn the_carried_statement_is_made_once_and_keeps_every_placeholder() {
        let first = carried_by(INSERT_CALLBACK);
        assert!(std::ptr::eq(first, carried_by(INSERT_CALLBACK)));
        assert!(first.starts_with("with steps as (\ninsert into call_steps"));
        assert!(first.contains("$20") && !first.contains("$21"), "{first}");
        assert!(carried_by(SET_LANGUAGE).ends_with("language = $8 where call_sid = $7"));
    }
}
