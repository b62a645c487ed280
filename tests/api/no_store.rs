//! Callers' data is never kept by a cache nor sniffed as another type: every answer of the
//! operator API, like every console page, says `Cache-Control: no-store` and `nosniff`.

use hotline::operators::Role;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, X_CONTENT_TYPE_OPTIONS};

use crate::staff::{add_staff, leave_callback_request, request_id_of};
use crate::support::helpers::{AFTER_HOURS, CALLER, Options, spawn_app};

#[tokio::test]
async fn no_answer_of_the_operator_api_may_be_stored_by_a_cache() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let sid = leave_callback_request(&app, "1", "2", "1", None).await;
    let id = request_id_of(&app, &sid).await;
    let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
    for (path, token) in [
        (format!("/api/v1/callbacks/{id}"), Some(&sam.token)),
        ("/api/v1/queue".to_string(), Some(&sam.token)),
        (
            "/api/v1/reports/calls-per-day.csv?from=2026-11-30&to=2026-12-01".to_string(),
            Some(&sam.token),
        ),
        ("/api/v1/queue".to_string(), None),
    ] {
        let mut request = app.client.get(format!("{}{path}", app.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        assert_eq!(
            response
                .headers()
                .get(CACHE_CONTROL)
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{path}: {status}"
        );
        assert_eq!(
            response
                .headers()
                .get(X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{path}: {status}"
        );
        if path.ends_with(&id) {
            assert_eq!(status, StatusCode::OK);
            assert!(
                response.text().await.unwrap().contains(CALLER),
                "caller data"
            );
        }
    }
}
