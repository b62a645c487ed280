//! The plans the writers' connections keep for the call log's writes, checked on a new
//! database: every many-rows form (`many/`) and a layer of every kind at once (`fuse.rs`).
//! Test-only; it needs `HOTLINE_TEST_POSTGRES_URL`.

use sqlx::{Connection, Executor, PgConnection};

use super::fuse::compose;
use super::many::{Rows, form, placeholders};
use super::{MIGRATOR, WRITER_SETTINGS};
use crate::store::calls::sql::statement;
use crate::store::worklist::NumberSource;
use crate::store::{CallWrite, NewCall, NewCallbackRequest, StepRecord, UnfinishedRow};

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
