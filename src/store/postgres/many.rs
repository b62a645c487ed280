//! Each call-log write in PostgreSQL's many-rows form, so that one statement applies the same
//! write for every call of a batch. The form is made from the write's one-row statement in
//! `calls/sql.rs`, so both databases run one text of each write's meaning: every parameter
//! `$n` becomes an array with one element per call, unnested as the row source `m`, and `$n`
//! in the statement becomes that row's `m.pn`. A `values (…)` list becomes `select … from`
//! the rows, an `update` or `delete` takes them in `from` or `using`, and an `insert … select`
//! joins them to its own `from`. Every write of a call touches only that call's rows, so the
//! rows never meet.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use sqlx::Postgres;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;

use crate::store::calls::sql::Param;

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

/// The many-rows form of `sql`, whose `$n` has the PostgreSQL type `types[n - 1]`.
fn derive(sql: &str, types: &[&str]) -> Option<String> {
    let arrays: Vec<String> = (types.iter().enumerate())
        .map(|(i, t)| format!("${}::{t}[]", i + 1))
        .collect();
    let names: Vec<String> = (1..=types.len()).map(|n| format!("p{n}")).collect();
    let rows = format!("unnest({}) as m({})", arrays.join(", "), names.join(", "));
    let body = renamed(sql, |n| format!("m.p{n}"));
    let body = body.trim_start();
    let at = |word| top_level(body, word);
    if body.starts_with("insert") {
        if let Some(values) = at("values") {
            let open = values + body[values..].find('(')?;
            let close = closing(body, open)?;
            let list = &body[open + 1..close];
            let (before, after) = (&body[..values], &body[close + 1..]);
            return Some(format!("{before}select {list} from {rows}{after}"));
        }
        let from = at("from")?;
        let (before, after) = (&body[..from], &body[from + "from".len()..]);
        return Some(format!("{before}from {rows},{after}"));
    }
    let (word, clause) = if body.starts_with("update") {
        ("from", "where")
    } else if body.starts_with("delete") {
        ("using", "where")
    } else {
        return None;
    };
    let at = at(clause)?;
    Some(format!("{}{word} {rows} {}", &body[..at], &body[at..]))
}

/// Where the word `word` first stands in `sql` outside any parentheses.
fn top_level(sql: &str, word: &str) -> Option<usize> {
    let bytes = sql.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && sql[i..].starts_with(word) => {
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + word.len()).copied();
                if !before.is_some_and(is_name) && !after.is_some_and(is_name) {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The `)` that closes the `(` at `open`.
fn closing(sql: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in sql.bytes().enumerate().skip(open) {
        match b {
            b'(' => depth += 1,
            b')' if depth == 1 => return Some(i),
            b')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The highest `$n` in `sql`: how many parameters it takes.
pub(super) fn placeholders(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|rest| {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            rest[..digits].parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// `sql` with every placeholder `$n` replaced by `name(n)`.
pub(super) fn renamed(sql: &str, name: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&name(n)),
            Err(_) => out.push('$'),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
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

#[cfg(test)]
mod tests {
    use sqlx::{Connection, Executor, PgConnection};

    use super::*;
    use crate::store::calls::sql::{DROP_UNFINISHED, SET_LANGUAGE, SETTLE_UNFINISHED, statement};
    use crate::store::postgres::fuse::compose;
    use crate::store::postgres::{MIGRATOR, WRITER_SETTINGS};
    use crate::store::worklist::NumberSource;
    use crate::store::{CallWrite, NewCall, NewCallbackRequest, StepRecord, UnfinishedRow};

    fn squeezed(sql: &str) -> String {
        sql.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn an_update_and_a_delete_take_the_rows_before_their_where() {
        let update = derive(SET_LANGUAGE, &["text", "text"]).expect("a form");
        assert_eq!(
            squeezed(&update),
            "update calls set language = m.p2 from unnest($1::text[], $2::text[]) \
             as m(p1, p2) where call_sid = m.p1"
        );
        let delete = derive(DROP_UNFINISHED, &["text", "int8"]).expect("a form");
        assert_eq!(
            squeezed(&delete),
            "delete from unfinished_requests using unnest($1::text[], $2::int8[]) \
             as m(p1, p2) where call_sid = m.p1 and seq < m.p2"
        );
    }

    #[test]
    fn values_become_a_select_from_the_rows_and_the_conflict_clause_stays() {
        let insert =
            "insert into t (a, b) values ($1, coalesce((select x from u where y = $1), $2))
            on conflict (a) do update set b = excluded.b where t.b < excluded.b";
        let form = derive(insert, &["text", "int8"]).expect("a form");
        assert_eq!(
            squeezed(&form),
            "insert into t (a, b) select m.p1, coalesce((select x from u where y = m.p1), m.p2) \
             from unnest($1::text[], $2::int8[]) as m(p1, p2) \
             on conflict (a) do update set b = excluded.b where t.b < excluded.b"
        );
    }

    #[test]
    fn an_insert_from_a_select_joins_the_rows_in_its_own_from_not_in_a_subquery() {
        let form = derive(SETTLE_UNFINISHED, &["text", "text", "int8"]).expect("a form");
        let form = squeezed(&form);
        assert!(
            form.contains(
                "from unnest($1::text[], $2::text[], $3::int8[]) as m(p1, p2, p3), \
                 unfinished_requests u where u.call_sid = m.p2"
            ),
            "{form}"
        );
        assert!(form.contains("(select c.started_at from calls c"), "{form}");
        assert_eq!(placeholders(&form), 3, "{form}");
    }

    #[test]
    fn a_statement_of_no_known_shape_has_no_form() {
        assert!(derive("select 1 where $1", &["int8"]).is_none());
    }

    /// One write of every kind.
    fn one_of_each() -> Vec<CallWrite> {
        let call_sid = "CA1".to_string();
        let started = NewCall {
            call_sid: call_sid.clone(),
            hotline: "main".into(),
            flow_version: "v1".into(),
            from_number: None,
            to_number: None,
            language: "en".into(),
            started_at: 1,
            caller_hash: None,
        };
        let request = NewCallbackRequest {
            call_sid: call_sid.clone(),
            hotline: "main".into(),
            category: "safety".into(),
            language: "en".into(),
            phone_number: "+15550100".into(),
            number_source: NumberSource::Caller,
            dialable: true,
            safe_to_leave_message: None,
            call_time: None,
            recording_url: None,
            recording_seconds: None,
            priority: 0,
            created_at: 1,
        };
        let unfinished = UnfinishedRow {
            call_sid: call_sid.clone(),
            hotline: "main".into(),
            category: "safety".into(),
            language: "en".into(),
            phone_number: None,
            number_source: NumberSource::Caller,
            dialable: false,
            safe_to_leave_message: None,
            call_time: None,
            priority: 0,
            seq: 1,
            at: 1,
        };
        let (sid, seq, at) = (call_sid.clone(), 1, 1);
        let step = StepRecord {
            call_sid: call_sid.clone(),
            seq: 1,
            node: "menu".into(),
            input: None,
            outcome: "asked".into(),
            at: 1,
        };
        vec![
            CallWrite::StartCall(started),
            CallWrite::Step(step),
            CallWrite::SetLanguage {
                call_sid: sid.clone(),
                language: "es".into(),
            },
            CallWrite::SetCategory {
                call_sid: sid.clone(),
                category: "safety".into(),
            },
            CallWrite::QueueEntered {
                call_sid: sid.clone(),
                seq,
                category: "safety".into(),
                queue: "q".into(),
                at,
            },
            CallWrite::QueueWaited {
                call_sid: sid.clone(),
                seq,
                position: None,
                wait_seconds: None,
                at,
            },
            CallWrite::QueueLeft {
                call_sid: sid.clone(),
                seq,
                result: "bridged".into(),
                wait_seconds: None,
                at,
            },
            CallWrite::CallbackRequested(request),
            CallWrite::UnfinishedOpen(unfinished),
            CallWrite::UnfinishedAbandoned {
                call_sid: sid.clone(),
                seq,
                at,
            },
            CallWrite::UnfinishedLeft {
                call_sid: sid.clone(),
                seq,
            },
            CallWrite::SettleUnfinished {
                call_sid: sid.clone(),
                at,
            },
            CallWrite::CallEnded {
                call_sid: sid,
                status: "completed".into(),
                duration_seconds: None,
                sequence: None,
                at,
            },
        ]
    }

    /// Every kind of write's form, as the writers' connections run it.
    fn every_form() -> Vec<&'static str> {
        one_of_each()
            .iter()
            .map(|write| {
                let (sql, params) = statement(write);
                let mut rows = Rows::default();
                rows.push(params).expect("the write's values fit");
                form(sql, &rows).expect("the write has a form")
            })
            .collect()
    }

    /// The plan the writers' connections keep for `sql`, one line per node.
    async fn kept_plan(conn: &mut PgConnection, sql: &str) -> Vec<String> {
        let prepare = format!("prepare planned as {sql}");
        conn.execute(sqlx::AssertSqlSafe(prepare)).await.expect(sql);
        let nulls = vec!["null"; placeholders(sql)].join(", ");
        let explain = format!("explain execute planned({nulls})");
        let plan = sqlx::query_scalar(sqlx::AssertSqlSafe(explain))
            .fetch_all(&mut *conn)
            .await
            .expect(sql);
        conn.execute("deallocate planned").await.expect(sql);
        plan
    }

    /// On a new database (no statistics, empty tables) a plan that scans or hashes a whole
    /// table looks cheapest, and it would be kept while the tables grow to millions of rows.
    #[tokio::test]
    async fn on_a_new_database_every_kept_plan_finds_rows_by_their_key() {
        let Ok(admin_url) = std::env::var("HOTLINE_TEST_POSTGRES_URL") else {
            eprintln!("note: skipped, HOTLINE_TEST_POSTGRES_URL is not set");
            return;
        };
        let mut admin = PgConnection::connect(&admin_url).await.expect("admin");
        let name = format!("hotline_test_{}", uuid::Uuid::now_v7().simple());
        let create = format!("create database {name}");
        admin
            .execute(sqlx::AssertSqlSafe(create))
            .await
            .expect("create");
        let url = format!("{}/{name}", admin_url.rsplit_once('/').expect("a path").0);
        let options: sqlx::postgres::PgConnectOptions = url.parse().expect("url");
        let mut conn = PgConnection::connect_with(&options.options(WRITER_SETTINGS))
            .await
            .expect("connect");
        MIGRATOR.run(&mut conn).await.expect("migrate");
        let forms = every_form();
        let mut statements: Vec<String> = forms.iter().map(|form| form.to_string()).collect();
        // Every kind at once, as one layer of a batch.
        statements.push(compose(&forms));
        for sql in &statements {
            let plan = kept_plan(&mut conn, sql).await.join("\n");
            assert!(
                !plan.contains("Seq Scan") && !plan.contains("Hash"),
                "{sql}\n{plan}"
            );
        }
        drop(conn);
        let drop_db = format!("drop database {name} with (force)");
        admin
            .execute(sqlx::AssertSqlSafe(drop_db))
            .await
            .expect("drop");
    }
}
