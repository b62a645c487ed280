//! Each call-log write in PostgreSQL's many-rows form, so that one statement applies the same
//! write for every call of a batch. The form is made from the write's one-row statement in
//! `calls/sql.rs` (`text.rs`), so both databases run one text of each write's meaning: every
//! parameter `$n` becomes an array with one element per call (`Rows`), unnested as the row
//! source `m`. Every write of a call touches only that call's rows, so the rows never meet.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use sqlx::Postgres;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;

use crate::store::calls::sql::Param;

mod text;

use text::derive;
pub(super) use text::{placeholders, renamed};

/// The many-rows form of the one-row statement `sql`, whose rows are `rows`.
pub(super) fn form(sql: &'static str, rows: &Rows) -> Result<&'static str, Unfit> {
    static MADE: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    let mut made = made.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(form) = made.get(sql) {
        return Ok(form);
    }
    // A statement's parameters have one type for every call (`calls::sql::statement`), so the
    // first rows' types are every rows' and the form made here can be kept.
    let types: Vec<&str> = rows.columns.iter().map(Column::sql_type).collect();
    let form: &'static str = Box::leak(derive(sql, &types).ok_or(Unfit)?.into_boxed_str());
    made.insert(sql, form);
    Ok(form)
}

/// One array per parameter, for one form.
#[derive(Default)]
pub(super) struct Rows {
    columns: Vec<Column>,
}

/// One parameter's values, one per call. A column's type is its first value's: each write's
/// `calls::sql::statement` gives a parameter the same type for every call.
enum Column {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
}

/// A write that does not fit a many-rows form: a value whose type is not its column's, or a
/// statement of a shape no form is made from. Either is a defect in this program.
#[derive(Debug)]
pub(super) struct Unfit;

impl Column {
    fn sql_type(&self) -> &'static str {
        match self {
            Column::Text(_) => "text",
            Column::Int(_) => "int8",
            Column::Bool(_) => "bool",
        }
    }

    fn of(param: &Param) -> Column {
        match param {
            Param::Text(_) | Param::MaybeText(_) => Column::Text(Vec::new()),
            Param::Int(_) | Param::MaybeInt(_) => Column::Int(Vec::new()),
            Param::MaybeBool(_) => Column::Bool(Vec::new()),
        }
    }

    fn push(&mut self, param: Param) -> Result<(), Unfit> {
        match (self, param) {
            (Column::Text(values), Param::Text(v)) => values.push(Some(v)),
            (Column::Text(values), Param::MaybeText(v)) => values.push(v),
            (Column::Int(values), Param::Int(v)) => values.push(Some(v)),
            (Column::Int(values), Param::MaybeInt(v)) => values.push(v),
            (Column::Bool(values), Param::MaybeBool(v)) => values.push(v),
            _ => return Err(Unfit),
        }
        Ok(())
    }
}

impl Rows {
    /// Adds one call's parameters.
    pub(super) fn push(&mut self, params: Vec<Param>) -> Result<(), Unfit> {
        if self.columns.is_empty() {
            self.columns = params.iter().map(Column::of).collect();
        }
        if params.len() != self.columns.len() {
            return Err(Unfit);
        }
        for (column, param) in self.columns.iter_mut().zip(params) {
            column.push(param)?;
        }
        Ok(())
    }

    /// Binds the arrays, in parameter order, after what `query` already has.
    pub(super) fn bind(
        self,
        query: Query<'static, Postgres, PgArguments>,
    ) -> Query<'static, Postgres, PgArguments> {
        self.columns
            .into_iter()
            .fold(query, |query, column| match column {
                Column::Text(values) => query.bind(values),
                Column::Int(values) => query.bind(values),
                Column::Bool(values) => query.bind(values),
            })
    }
}
