//! `hotline db copy`: a hotline's records move from its SQLite file to PostgreSQL, and a second
//! copy brings over what changed since the first.

use hotline::callbacks::Outcome;
use hotline::cli::{DbArgs, DbCommand, db};
use hotline::operators::Role;
use hotline::store::open::connect;
use hotline::store::{AuditFilter, CallbackFilter, Store};
use serde_json::json;

use crate::staff::{add_staff, leave_callback_request, request_id_of};
use crate::support::backends::postgres;
use crate::support::helpers::{Options, WEEKEND_MORNING, spawn_app};

async fn copy(from: &str, to: &str) -> String {
    let args = DbArgs {
        command: DbCommand::Copy {
            from: from.into(),
            to: to.into(),
        },
    };
    let mut out = Vec::new();
    db(&args, &mut out).await.expect("the copy succeeds");
    String::from_utf8(out).expect("utf-8")
}

async fn requests(store: &dyn Store) -> Vec<hotline::store::CallbackRequest> {
    store
        .callback_requests(&CallbackFilter::default())
        .await
        .expect("list")
}

#[tokio::test]
async fn a_sqlite_hotline_moves_to_postgres_and_a_second_copy_brings_the_changes() {
    let Some(target) = postgres().await else {
        return;
    };
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&app, "2", "2", "2", Some("https://rec.example/RE9")).await;
    let id = request_id_of(&app, &sid).await;
    let ana = add_staff(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    ana.post(&app, &format!("/api/v1/callbacks/{id}/claim"), json!({}))
        .await;
    let source_url = format!("sqlite:{}", app.db_path.display());

    let report = copy(&source_url, &target.url).await;
    assert!(
        report.contains("callback_requests") && report.contains("copied"),
        "{report}"
    );
    let moved = connect(&target.url).await.expect("the copy opens");
    assert_eq!(requests(&*moved).await, requests(&*app.store).await);
    assert_eq!(
        moved.steps(&sid).await.unwrap(),
        app.store.steps(&sid).await.unwrap()
    );
    assert_eq!(
        moved.call(&sid).await.unwrap(),
        app.store.call(&sid).await.unwrap()
    );
    assert_eq!(
        moved.operators().await.unwrap(),
        app.store.operators().await.unwrap()
    );
    let digest = hotline::operators::credentials::digest(&ana.token);
    let holder = moved.operator_by_token(&digest).await.unwrap();
    assert_eq!(
        holder.map(|o| o.name).as_deref(),
        Some("ana"),
        "tokens keep working"
    );

    let (status, _) = ana
        .post(
            &app,
            &format!("/api/v1/callbacks/{id}/complete"),
            json!({"outcome": "referred"}),
        )
        .await;
    assert!(status.is_success());
    copy(&source_url, &target.url).await;
    let after = requests(&*moved).await;
    assert_eq!(after.len(), 1, "a repeated copy adds no rows");
    assert_eq!(
        after[0].outcome,
        Some(Outcome::Referred),
        "and brings the change over"
    );
    let audit = AuditFilter {
        limit: 100,
        ..AuditFilter::default()
    };
    assert_eq!(
        moved.audit_log(&audit).await.unwrap(),
        app.store.audit_log(&audit).await.unwrap()
    );
}
