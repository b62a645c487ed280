//! Whose session is whose: a planted or already held cookie never becomes the signed-in
//! session, signing out ends the session on the server, and one operator's CSRF token or API
//! token does not act on another operator's session or claim.

use hotline::operators::Role;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::json;

use crate::staff::{add_staff, leave_callback_request, request_id_of};
use crate::support::console_client::{
    Console, PASSWORD, add_console_user, client, csrf_of, location, session_cookie,
};
use crate::support::helpers::{AFTER_HOURS, Options, TestApp, WEEKEND_MORNING, spawn_app};

/// Signs `name` in from a browser that already sends `cookie`; the cookie the answer sets.
async fn sign_in_holding(app: &TestApp, cookie: &str, name: &str) -> String {
    let response = client()
        .post(format!("{}/operator/sign-in", app.base))
        .header(COOKIE, cookie)
        .form(&[("name", name), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name} signs in");
    session_cookie(response.headers())
}

/// Who the console says is signed in with `cookie`, if anyone.
async fn who(app: &TestApp, cookie: &str) -> Option<String> {
    let response = client()
        .get(format!("{}/operator", app.base))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    if response.status() != StatusCode::OK {
        assert_eq!(location(response.headers()), "/operator/sign-in");
        return None;
    }
    let page = response.text().await.unwrap();
    let start = page.find(r#"<span class="who">"#).expect("a name") + 18;
    let end = start + page[start..].find(' ').expect("the name ends");
    Some(page[start..end].to_string())
}

#[tokio::test]
async fn a_planted_session_cookie_never_becomes_the_signed_in_session() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    add_console_user(&app, "mallory", Role::Operator, &["general"]).await;

    let planted = "hotline_session=hs_chosen-by-the-attacker";
    let issued = sign_in_holding(&app, planted, "ana").await;
    assert_ne!(issued, planted, "a new session id");
    assert_eq!(
        who(&app, planted).await,
        None,
        "the planted id is not signed in"
    );
    assert_eq!(who(&app, &issued).await.as_deref(), Some("ana"));

    // An attacker's own valid session, slipped into ana's browser, stays the attacker's.
    let mallorys = Console::sign_in(&app, "mallory").await.cookie;
    let anas = sign_in_holding(&app, &mallorys, "ana").await;
    assert_ne!(anas, mallorys);
    assert_eq!(who(&app, &anas).await.as_deref(), Some("ana"));
    assert_eq!(who(&app, &mallorys).await.as_deref(), Some("mallory"));
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server_not_only_in_the_browser() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let elsewhere = Console::sign_in(&app, "ana").await;
    let (_, page) = ana.get("/operator").await;
    let csrf = csrf_of(&page);

    let out = ana.post("/operator/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let forget = out.headers()[SET_COOKIE].to_str().unwrap();
    assert!(forget.starts_with("hotline_session=;"), "{forget}");

    // A copy of the old cookie, kept by whoever saw it, opens nothing.
    assert_eq!(who(&app, &ana.cookie).await, None);
    for path in ["/operator/queue", "/operator/events"] {
        let response = ana.get_raw(path).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let again = ana.post("/operator/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(
        again.status(),
        StatusCode::UNAUTHORIZED,
        "its token neither"
    );
    assert_eq!(
        who(&app, &elsewhere.cookie).await.as_deref(),
        Some("ana"),
        "ana's other session is hers to end"
    );
}

#[tokio::test]
async fn one_operators_form_token_or_api_token_does_not_act_on_anothers_session_or_claim() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&app, "1", "2", "1", None).await;
    let id = request_id_of(&app, &sid).await;
    let team = ["victim_assistance"];
    add_console_user(&app, "ana", Role::Operator, &team).await;
    add_console_user(&app, "ben", Role::Operator, &team).await;
    let ana = Console::sign_in(&app, "ana").await;
    let ben = Console::sign_in(&app, "ben").await;
    let page = format!("/operator/requests/{id}");

    let (_, anas_page) = ana.get(&page).await;
    let anas_token = csrf_of(&anas_page);
    let crossed = ben
        .post(&format!("{page}/claim"), &[("csrf", &anas_token)])
        .await;
    assert_eq!(
        crossed.status(),
        StatusCode::FORBIDDEN,
        "ana's token, ben's cookie"
    );
    let pending = app.store.callback_request(&id).await.unwrap().unwrap();
    assert_eq!(pending.status.as_str(), "pending");

    let claimed = ana.submit(&page, &format!("{page}/claim"), &[]).await;
    assert_eq!(claimed.status(), StatusCode::SEE_OTHER);
    let release = ben.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(
        location(release.headers()),
        format!("{page}?problem=not_claimed_by_you")
    );
    let fields = [("outcome", "reached")];
    let complete = ben
        .submit(&page, &format!("{page}/complete"), &fields)
        .await;
    assert_eq!(
        location(complete.headers()),
        format!("{page}?problem=not_claimed_by_you")
    );

    let carl = add_staff(&app, "carl", Role::Operator, &team).await;
    let api = format!("/api/v1/callbacks/{id}");
    for (action, body) in [
        ("release", json!({})),
        ("complete", json!({"outcome": "reached"})),
    ] {
        let (status, error) = carl.post(&app, &format!("{api}/{action}"), body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{action}: {error}");
        assert_eq!(error["error"]["code"], "not_claimed_by_you", "{action}");
    }
    let held = app.store.callback_request(&id).await.unwrap().unwrap();
    assert_eq!(held.status.as_str(), "claimed");
    assert_eq!(held.claimed_by_name.as_deref(), Some("ana"), "still ana's");
}

#[tokio::test]
async fn a_sign_in_form_posted_from_another_site_signs_nobody_in() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "mallory", Role::Operator, &["general"]).await;
    let post = |site: &'static str| {
        client()
            .post(format!("{}/operator/sign-in", app.base))
            .header("sec-fetch-site", site)
            .form(&[("name", "mallory"), ("password", PASSWORD)])
            .send()
    };
    for site in ["cross-site", "same-site"] {
        let response = post(site).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{site}");
        assert!(response.headers().get(SET_COOKIE).is_none(), "{site}");
    }
    let own_page = post("same-origin").await.unwrap();
    assert_eq!(
        own_page.status(),
        StatusCode::SEE_OTHER,
        "the console's own form"
    );

    // Browsers too old to send Sec-Fetch-Site still send Origin with a form post.
    let from = |origin: String| {
        client()
            .post(format!("{}/operator/sign-in", app.base))
            .header("origin", origin)
            .form(&[("name", "mallory"), ("password", PASSWORD)])
            .send()
    };
    for other in ["http://evil.example", "null"] {
        let response = from(other.to_string()).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{other}");
        assert!(response.headers().get(SET_COOKIE).is_none(), "{other}");
    }
    let own = from(app.base.clone()).await.unwrap();
    assert_eq!(own.status(), StatusCode::SEE_OTHER, "its own origin");
}
