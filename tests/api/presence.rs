//! Who is available, over real HTTP: an operator marks themselves on the console or through
//! the API, the operator line marks whoever is on it, the queue shows it per category, and a
//! mark ends by itself, at sign-out and when unmarked.

use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::staff::{Staff, add_staff};
use crate::support::console_client::{Console, add_console_user, location};
use crate::support::helpers::{
    OPEN, Options, TestApp, on_every_backend_app, spawn_app, spawn_app_on,
};

/// The names available for `category`, as the queue API shows them to `staff`.
async fn available_for(app: &TestApp, staff: &Staff, category: &str) -> Vec<String> {
    let names = staff.queue_entry(app, category).await["available"].clone();
    serde_json::from_value(names).unwrap_or_default()
}

#[tokio::test]
async fn an_operator_marked_available_shows_in_their_categories_until_unmarked() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            let ana = add_staff(&app, "ana", Role::Operator, &["general"]).await;
            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
            assert!(available_for(&app, &sam, "general").await.is_empty());

            let (status, mark) = ana
                .post(&app, "/api/v1/me/presence", json!({"available": true}))
                .await;
            assert_eq!(status, StatusCode::OK, "{mark}");
            assert_eq!(mark["available"], true);
            assert_eq!(
                mark["until"], "2026-12-01T16:00:00Z",
                "an hour from the frozen clock"
            );
            assert_eq!(available_for(&app, &sam, "general").await, ["ana"]);
            assert!(
                available_for(&app, &sam, "victim_assistance")
                    .await
                    .is_empty(),
                "ana does not work it"
            );
            let (_, own) = ana.get(&app, "/api/v1/me/presence").await;
            assert_eq!(own["available"], true, "{own}");

            ana.post(&app, "/api/v1/me/presence", json!({"available": false}))
                .await;
            assert!(available_for(&app, &sam, "general").await.is_empty());
            let (status, _) = ana
                .post(&app, "/api/v1/me/presence", json!({"available": "yes"}))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        },
    )
    .await;
}

#[tokio::test]
async fn a_mark_ends_by_itself_after_the_idle_time() {
    let app = spawn_app(Options::at(OPEN)).await;
    let ana = add_staff(&app, "ana", Role::Operator, &["general"]).await;
    ana.post(&app, "/api/v1/me/presence", json!({"available": true}))
        .await;
    let (_dir, db) = app.stop().await;
    // 61 minutes later: the default idle time is an hour.
    let later = spawn_app_on(Options::at("2026-12-01T16:01:00Z"), &db).await;
    let (_, own) = ana.get(&later, "/api/v1/me/presence").await;
    assert_eq!(own["available"], false, "{own}");
    assert!(available_for(&later, &ana, "general").await.is_empty());
}

#[tokio::test]
async fn the_console_marks_and_sign_out_unmarks_and_the_line_marks_its_operator() {
    let app = spawn_app(Options::at(OPEN)).await;
    add_console_user(&app, "sue", Role::Operator, &["general"]).await;
    let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
    let sue = Console::sign_in(&app, "sue").await;
    let (_, page) = sue.get("/operator").await;
    assert!(page.contains("not marked available"), "{page}");
    assert!(page.contains("nobody marked available"), "{page}");
    let marked = sue
        .submit("/operator", "/operator/presence", &[("available", "true")])
        .await;
    assert_eq!(location(marked.headers()), "/operator");
    let (_, page) = sue.get("/operator").await;
    assert!(
        page.contains("marked <strong>available</strong> until"),
        "{page}"
    );
    assert!(page.contains("available: sue"), "{page}");
    let out = sue.submit("/operator", "/operator/sign-out", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(
        available_for(&app, &sam, "general").await.is_empty(),
        "signing out ends the mark"
    );

    crate::dialing::operator_with_pin(&app).await;
    crate::dialing::sign_in_on_the_line(&app).await;
    assert!(
        available_for(&app, &sam, "victim_assistance")
            .await
            .contains(&"ana".to_string()),
        "the operator on the line counts as available"
    );
}

/// The same database served again at `clock`: the fixed clock moved forward. The guard keeps
/// a SQLite file's folder.
async fn restart_at(app: TestApp, clock: &'static str) -> (tempfile::TempDir, TestApp) {
    let url = app.database_url.clone();
    let (dir, _) = app.stop().await;
    let options = Options {
        database_url: Some(url),
        ..Options::at(clock)
    };
    (dir, spawn_app(options).await)
}

/// Until when the operator named `name` is marked available, as the database holds it.
async fn marked_until(app: &TestApp, name: &str, now: &str) -> Option<String> {
    let now: jiff::Timestamp = now.parse().expect("an instant");
    let rows = app
        .store
        .available(now.as_millisecond())
        .await
        .expect("rows");
    let (_, until, _) = rows.into_iter().find(|(o, _, _)| o.name == name)?;
    Some(jiff::Timestamp::from_millisecond(until).ok()?.to_string())
}

#[tokio::test]
async fn an_api_call_by_an_available_operator_keeps_their_mark_alive() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            let ana = add_staff(&app, "ana", Role::Operator, &["general"]).await;
            let ben = add_staff(&app, "ben", Role::Operator, &["general"]).await;
            ana.post(&app, "/api/v1/me/presence", json!({"available": true}))
                .await;

            // Fifty minutes on, ten before the mark would end, Ana looks at the queue.
            let (_first, later) = restart_at(app, "2026-12-01T15:50:00Z").await;
            let (status, _) = ana.get(&later, "/api/v1/queue").await;
            assert_eq!(status, StatusCode::OK);
            ben.get(&later, "/api/v1/queue").await;
            let (_, own) = ana.get(&later, "/api/v1/me/presence").await;
            assert_eq!(
                own["until"], "2026-12-01T16:50:00Z",
                "an hour from her call"
            );
            assert!(
                available_for(&later, &ana, "general").await == ["ana"],
                "activity marks nobody who was not available"
            );

            // Forty minutes after that, past the first mark's end, she still counts.
            let (_second, last) = restart_at(later, "2026-12-01T16:30:00Z").await;
            let until = marked_until(&last, "ana", "2026-12-01T16:30:00Z").await;
            assert_eq!(until.as_deref(), Some("2026-12-01T16:50:00Z"));
        },
    )
    .await;
}

#[tokio::test]
async fn a_console_page_keeps_the_mark_alive_and_the_pages_own_updates_do_not() {
    let app = spawn_app(Options::at(OPEN)).await;
    add_console_user(&app, "sue", Role::Operator, &["general"]).await;
    let sue = Console::sign_in(&app, "sue").await;
    sue.submit("/operator", "/operator/presence", &[("available", "true")])
        .await;
    let (_dir, later) = restart_at(app, "2026-12-01T15:50:00Z").await;
    let sue = Console {
        base: later.base.clone(),
        ..sue
    };
    let (status, _) = sue.get("/operator/queue").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        marked_until(&later, "sue", "2026-12-01T15:50:00Z")
            .await
            .as_deref(),
        Some("2026-12-01T16:00:00Z"),
        "the open page refreshing itself is not the operator at work"
    );
    let (status, _) = sue.get("/operator").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        marked_until(&later, "sue", "2026-12-01T15:50:00Z")
            .await
            .as_deref(),
        Some("2026-12-01T16:50:00Z")
    );
}
