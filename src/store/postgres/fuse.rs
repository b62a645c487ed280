//! A batch's writes in as few PostgreSQL statements as their meaning allows. Writes that
//! follow one another and cannot see each other's effects (`calls/access.rs`: neither changes
//! a table the other reads or changes) run as one statement, each but the last a `with` clause,
//! and the batch's steps ride in front of the first. Such parts all run on one snapshot, which
//! is why only independent writes share one. A batch that comes to one statement needs no
//! `begin` and `commit` round trips either: it is its own transaction.
//!
//! Each combination's text is made once and kept, so sqlx's prepared-statement cache still
//! serves it. Within a run the parts are put in one order, and no two parts change the same
//! table, so there are at most a few hundred combinations of the call log's statements, and
//! far fewer occur; what is kept (leaked, to be `'static` like the statements) stays small.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock, PoisonError};

use sqlx::Postgres;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;

use super::steps::{STEP_PARAMS, Steps};
use crate::store::calls::access::{Access, access};
use crate::store::calls::sql::{INSERT_STEPS_UNNEST, Param, bind_all};

/// One write: its statement and parameters.
pub(super) type Part = (&'static str, Vec<Param>);

/// The texts made so far, by the statements they run and whether the steps ride with them.
type Made = HashMap<(Vec<&'static str>, bool), &'static str>;

/// `parts`, in order, cut into runs of writes independent of each other.
pub(super) fn runs(parts: Vec<Part>) -> Vec<Vec<Part>> {
    let mut runs = Vec::new();
    let mut run: Vec<Part> = Vec::new();
    let mut touched: Vec<Access> = Vec::new();
    for part in parts {
        let part_access = access(part.0);
        if !touched.iter().all(|t| t.independent(part_access)) {
            runs.push(std::mem::take(&mut run));
            touched.clear();
        }
        touched.push(part_access);
        run.push(part);
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// One statement that applies every write of `run` and inserts `steps`.
pub(super) fn statement(mut run: Vec<Part>, steps: Steps) -> Query<'static, Postgres, PgArguments> {
    if run.len() == 1 && steps.is_empty() {
        let (sql, params) = run.remove(0);
        return bind_all(sqlx::query(sql), params);
    }
    // Their order does not matter within a run; one order keeps the texts few.
    run.sort_by_key(|(sql, _)| *sql);
    let sqls: Vec<&'static str> = run.iter().map(|(sql, _)| *sql).collect();
    let with_steps = !steps.is_empty();
    let mut query = sqlx::query(text(sqls, with_steps));
    if with_steps {
        query = steps.bind(query);
    }
    run.into_iter()
        .fold(query, |query, (_, params)| bind_all(query, params))
}

/// The text for `sqls` run as one statement, after the steps' insert when `with_steps`.
fn text(sqls: Vec<&'static str>, with_steps: bool) -> &'static str {
    static MADE: OnceLock<Mutex<Made>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    let mut made = made.lock().unwrap_or_else(PoisonError::into_inner);
    made.entry((sqls, with_steps))
        .or_insert_with_key(|(sqls, with_steps)| {
            Box::leak(compose(sqls, *with_steps).into_boxed_str())
        })
}

/// `with steps as (…), w1 as (…), … last`, each statement's `$n` moved past the parameters of
/// those before it.
fn compose(sqls: &[&str], with_steps: bool) -> String {
    let mut clauses = Vec::new();
    let mut before = 0;
    if with_steps {
        clauses.push(format!("steps as ({INSERT_STEPS_UNNEST})"));
        before = STEP_PARAMS;
    }
    let mut shifted_sqls = Vec::new();
    for sql in sqls {
        shifted_sqls.push(shifted(sql, before));
        before += placeholders(sql);
    }
    let last = shifted_sqls.pop().unwrap_or_default();
    for (i, sql) in shifted_sqls.into_iter().enumerate() {
        clauses.push(format!("w{i} as ({sql})"));
    }
    if clauses.is_empty() {
        return last;
    }
    format!("with {} {last}", clauses.join(", "))
}

/// The highest `$n` in `sql`: how many parameters it takes.
fn placeholders(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|rest| {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            rest[..digits].parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0)
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
            // Writing into a String cannot fail.
            Ok(n) => drop(write!(out, "${}", n + by)),
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
    use crate::store::calls::sql::{
        CALL_ENDED, DROP_UNFINISHED, INSERT_CALLBACK, SET_LANGUAGE, SETTLE_UNFINISHED,
        UPSERT_UNFINISHED,
    };

    fn part(sql: &'static str) -> Part {
        (sql, Vec::new())
    }

    fn kinds(runs: &[Vec<Part>]) -> Vec<Vec<&'static str>> {
        runs.iter()
            .map(|run| run.iter().map(|(sql, _)| *sql).collect())
            .collect()
    }

    #[test]
    fn placeholders_move_past_the_parameters_before_them_and_nothing_else_changes() {
        assert_eq!(
            shifted("update calls set language = $2 where call_sid = $1", 6),
            "update calls set language = $8 where call_sid = $7"
        );
        assert_eq!(
            shifted("values ($10, $11) -- $", 6),
            "values ($16, $17) -- $"
        );
        assert_eq!(placeholders(INSERT_CALLBACK), 14);
        assert_eq!(placeholders(SET_LANGUAGE), 2);
    }

    #[test]
    fn a_run_ends_where_a_write_would_see_or_touch_what_the_run_changed() {
        let parts = vec![
            part(SET_LANGUAGE),
            part(UPSERT_UNFINISHED),
            part(CALL_ENDED),
            part(SETTLE_UNFINISHED),
            part(INSERT_CALLBACK),
            part(DROP_UNFINISHED),
        ];
        assert_eq!(
            kinds(&runs(parts)),
            vec![
                vec![SET_LANGUAGE, UPSERT_UNFINISHED],
                vec![CALL_ENDED],
                vec![SETTLE_UNFINISHED],
                vec![INSERT_CALLBACK, DROP_UNFINISHED],
            ]
        );
    }

    #[test]
    fn a_run_becomes_one_statement_with_every_placeholder_numbered_once() {
        let text = compose(&[INSERT_CALLBACK, DROP_UNFINISHED], true);
        assert!(
            text.starts_with("with steps as (\ninsert into call_steps"),
            "{text}"
        );
        assert!(
            text.contains("w0 as (\ninsert into callback_requests"),
            "{text}"
        );
        // Six for the steps, fourteen for the request, two for the drop.
        assert!(
            text.ends_with("where call_sid = $21 and seq < $22"),
            "{text}"
        );
        assert!(!text.contains("$23"), "{text}");
        let again = text_of(&[INSERT_CALLBACK, DROP_UNFINISHED]);
        assert!(std::ptr::eq(
            again,
            text_of(&[INSERT_CALLBACK, DROP_UNFINISHED])
        ));
    }

    fn text_of(sqls: &[&'static str]) -> &'static str {
        text(sqls.to_vec(), true)
    }
}
