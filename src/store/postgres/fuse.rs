//! A batch's writes in as few PostgreSQL statements as their meaning allows. Every write of a
//! call touches only that call's rows, so writes of different calls never see each other's
//! effects; within one call, writes that follow one another are independent when neither
//! changes a table the other reads or changes (`calls/access.rs`). A batch is cut into layers:
//! the first holds each call's first run of independent writes, the second each call's
//! second, and so on, and the batch's steps join the first. A layer is one statement: each
//! kind of write present a `with` clause in its many-rows form (`many/`), applying it for
//! every call at once. A statement's parts all run on one snapshot, which is why only
//! independent writes share one. A batch that comes to one statement needs no `begin` and
//! `commit` round trips either: it is its own transaction.
//!
//! Each combination of kinds gets its text once, kept so that sqlx's prepared-statement cache
//! still serves it. There are thirteen kinds of write and a layer holds each at most once,
//! in one order, so there are at most a few thousand texts, and far fewer occur; what is kept
//! (leaked, to be `'static` like the statements) stays small.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock, PoisonError};

use sqlx::Postgres;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;

use super::many::{self, Rows, Unfit, placeholders, renamed};
use crate::store::CallWrite;
use crate::store::calls::access::{Access, access};
use crate::store::calls::sql::{Param, statement as one_row};

/// One write: its one-row statement and its parameters.
pub(super) struct Part {
    sql: &'static str,
    params: Vec<Param>,
}

impl Part {
    pub(super) fn of(write: &CallWrite) -> Part {
        let (sql, params) = one_row(write);
        Part { sql, params }
    }
}

/// The texts made so far, by the forms they run.
type Made = HashMap<Vec<&'static str>, &'static str>;

/// A batch's writes (in order) cut into layers: every call's first run of independent writes,
/// then every call's second, and so on; every step in the first. A step changes only its own
/// row and nothing reads steps, so the batch's steps are one insert that needs no run apart.
pub(super) fn layers<'a>(writes: impl Iterator<Item = &'a CallWrite>) -> Vec<Vec<Part>> {
    let mut steps = Vec::new();
    let mut calls: Vec<(&str, Vec<Part>)> = Vec::new();
    for write in writes {
        let part = Part::of(write);
        if let CallWrite::Step(_) = write {
            steps.push(part);
            continue;
        }
        let call_sid = write.call_sid();
        match calls.iter_mut().find(|(sid, _)| *sid == call_sid) {
            Some((_, parts)) => parts.push(part),
            None => calls.push((call_sid, vec![part])),
        }
    }
    layered(steps, calls.into_iter().map(|(_, parts)| parts).collect())
}

/// The `steps` and each call's writes (in order) in layers, as [`layers`] says.
fn layered(steps: Vec<Part>, calls: Vec<Vec<Part>>) -> Vec<Vec<Part>> {
    let mut layers = vec![steps];
    for parts in calls {
        for (i, run) in runs(parts).into_iter().enumerate() {
            match layers.get_mut(i) {
                Some(layer) => layer.extend(run),
                None => layers.push(run),
            }
        }
    }
    layers.retain(|layer| !layer.is_empty());
    layers
}

/// One call's `parts`, in order, cut into runs of writes independent of each other.
fn runs(parts: Vec<Part>) -> Vec<Vec<Part>> {
    let mut runs = Vec::new();
    let mut run: Vec<Part> = Vec::new();
    let mut touched: Vec<Access> = Vec::new();
    for part in parts {
        let part_access = access(part.sql);
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

/// One statement that applies every write of `layer`.
pub(super) fn statement(layer: Vec<Part>) -> Result<Query<'static, Postgres, PgArguments>, Unfit> {
    // One order of the kinds keeps the texts few.
    let mut kinds: BTreeMap<&'static str, Rows> = BTreeMap::new();
    for part in layer {
        kinds.entry(part.sql).or_default().push(part.params)?;
    }
    let forms = (kinds.iter())
        .map(|(sql, rows)| many::form(sql, rows))
        .collect::<Result<Vec<_>, _>>()?;
    let query = sqlx::query(text(forms));
    Ok(kinds
        .into_values()
        .fold(query, |query, rows| rows.bind(query)))
}

/// The text for `forms` run as one statement.
fn text(forms: Vec<&'static str>) -> &'static str {
    static MADE: OnceLock<Mutex<Made>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    let mut made = made.lock().unwrap_or_else(PoisonError::into_inner);
    made.entry(forms)
        .or_insert_with_key(|forms| Box::leak(compose(forms).into_boxed_str()))
}

/// `with w0 as (…), w1 as (…), … last`, each statement's `$n` moved past the parameters of
/// those before it.
pub(super) fn compose(sqls: &[&str]) -> String {
    let mut before = 0;
    let mut shifted_sqls = Vec::new();
    for sql in sqls {
        shifted_sqls.push(shifted(sql, before));
        before += placeholders(sql);
    }
    let last = shifted_sqls.pop().unwrap_or_default();
    if shifted_sqls.is_empty() {
        return last;
    }
    let clauses: Vec<String> = (shifted_sqls.into_iter().enumerate())
        .map(|(i, sql)| format!("w{i} as ({sql})"))
        .collect();
    format!("with {} {last}", clauses.join(", "))
}

/// `sql` with every placeholder `$n` renumbered `$(n + by)`.
fn shifted(sql: &str, by: usize) -> String {
    renamed(sql, |n| format!("${}", n + by))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::calls::sql::{
        CALL_ENDED, DROP_UNFINISHED, INSERT_CALLBACK, INSERT_STEP, SET_LANGUAGE, SETTLE_UNFINISHED,
        UPSERT_UNFINISHED,
    };

    /// A part that runs `sql`; `_call` names whose it is, for the reader.
    fn part(sql: &'static str, _call: &str) -> Part {
        Part {
            sql,
            params: Vec::new(),
        }
    }

    fn kinds(layers: &[Vec<Part>]) -> Vec<Vec<&'static str>> {
        layers
            .iter()
            .map(|layer| layer.iter().map(|part| part.sql).collect())
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
        let sqls = [
            SET_LANGUAGE,
            UPSERT_UNFINISHED,
            CALL_ENDED,
            SETTLE_UNFINISHED,
            INSERT_CALLBACK,
            DROP_UNFINISHED,
        ];
        let parts = sqls.into_iter().map(|sql| part(sql, "a")).collect();
        assert_eq!(
            kinds(&layered(Vec::new(), vec![parts])),
            vec![
                vec![SET_LANGUAGE, UPSERT_UNFINISHED],
                vec![CALL_ENDED, SETTLE_UNFINISHED],
                vec![INSERT_CALLBACK, DROP_UNFINISHED],
            ]
        );
    }

    #[test]
    fn the_same_write_for_several_calls_shares_a_layer_and_each_call_keeps_its_order() {
        let a = vec![part(SET_LANGUAGE, "a"), part(CALL_ENDED, "a")];
        let b = vec![part(SET_LANGUAGE, "b")];
        let c = vec![
            part(UPSERT_UNFINISHED, "c"),
            part(SETTLE_UNFINISHED, "c"),
            part(DROP_UNFINISHED, "c"),
        ];
        assert_eq!(
            kinds(&layered(vec![part(INSERT_STEP, "a")], vec![a, b, c])),
            vec![
                vec![INSERT_STEP, SET_LANGUAGE, SET_LANGUAGE, UPSERT_UNFINISHED],
                vec![CALL_ENDED, SETTLE_UNFINISHED],
                vec![DROP_UNFINISHED],
            ]
        );
    }

    #[test]
    fn a_layer_becomes_one_statement_with_every_placeholder_numbered_once() {
        let text = compose(&[INSERT_STEP, INSERT_CALLBACK, DROP_UNFINISHED]);
        assert!(
            text.starts_with("with w0 as (\ninsert into call_steps"),
            "{text}"
        );
        assert!(
            text.contains("w1 as (\ninsert into callback_requests"),
            "{text}"
        );
        // Six for the step, fourteen for the request, two for the drop.
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
        text(sqls.to_vec())
    }
}
