//! The operator console over real HTTP: signing in and out, sessions and CSRF tokens, the
//! queue page, working a request through the forms, categories, the audit log, and the headers
//! that protect callers' data.

use hotline::operators::Role;
use hotline::store::OperatorChange;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};

use crate::staff::{leave_callback_request, request_id_of};
use crate::support::console_client::{
    Console, PASSWORD, add_console_user, assert_balanced, client, csrf_of, location, post_sign_in,
};
use crate::support::helpers::{AFTER_HOURS, CALLER, Options, TestApp, WEEKEND_MORNING, spawn_app};

const REFUSED: &str = "That name and password do not match an active account.";

#[tokio::test]
async fn signing_in_starts_a_strict_session_and_every_failure_reads_the_same() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;

    let wrong_password = post_sign_in(&app, "ana", "not the password").await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong_password.headers().get(SET_COOKIE).is_none());
    let page = wrong_password.text().await.unwrap();
    assert!(page.contains(REFUSED), "{page}");
    assert!(page.contains(r#"value="ana""#), "the name is kept: {page}");
    let unknown = post_sign_in(&app, "nobody", PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown = unknown.text().await.unwrap();
    assert!(unknown.contains(REFUSED), "{unknown}");
    assert_eq!(
        page.replace("ana", "nobody"),
        unknown,
        "a wrong name and a wrong password get the same page"
    );

    let signed_in = post_sign_in(&app, "ana", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(signed_in.headers()), "/operator");
    let cookie = signed_in.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    for part in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/operator",
        "Max-Age=43200",
    ] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on loopback: {cookie}"
    );

    app.store
        .update_operator("ana", &OperatorChange::Disable(0))
        .await
        .unwrap();
    let disabled = post_sign_in(&app, "ana", PASSWORD).await;
    assert_eq!(disabled.status(), StatusCode::UNAUTHORIZED);
    assert!(disabled.text().await.unwrap().contains(REFUSED));
}

#[tokio::test]
async fn visitors_without_a_session_are_sent_to_the_sign_in_form() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let anonymous = client();
    for path in [
        "/operator",
        "/operator/audit",
        "/operator/requests/0190-abc",
    ] {
        let response = anonymous
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(response.headers()), "/operator/sign-in");
    }
    let forged = anonymous
        .get(format!("{}/operator", app.base))
        .header("cookie", "hotline_session=hs_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::SEE_OTHER);
    // The page's script and form posts are told, not redirected.
    for path in ["/operator/queue", "/operator/events"] {
        let response = anonymous
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let post = anonymous
        .post(format!("{}/operator/requests/0190-abc/claim", app.base))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::UNAUTHORIZED);
    let form = anonymous
        .get(format!("{}/operator/sign-in", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let form = form.text().await.unwrap();
    assert!(form.contains(r#"<label for="name">"#) && form.contains(r#"<label for="password">"#));
    assert_balanced(&form);
}

#[tokio::test]
async fn forms_without_the_session_token_are_refused() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let sid = leave_callback_request(&app, "1", "2", "1", None).await;
    let id = request_id_of(&app, &sid).await;
    add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    let ana = Console::sign_in(&app, "ana").await;

    let claim = format!("/operator/requests/{id}/claim");
    let forged = ana.post(&claim, &[("csrf", "guessed")]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.unwrap().contains("out of date"));
    let missing = ana.post(&claim, &[]).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let request = app.store.callback_request(&id).await.unwrap().unwrap();
    assert_eq!(request.status.as_str(), "pending", "nothing was claimed");

    let refused = ana.post("/operator/sign-out", &[("csrf", "guessed")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        ana.get("/operator").await.0,
        StatusCode::OK,
        "still signed in"
    );
    let out = ana.submit("/operator", "/operator/sign-out", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(out.headers()), "/operator/sign-in?signed_out=1");
    assert!(
        out.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        ana.get("/operator").await.0,
        StatusCode::SEE_OTHER,
        "the session ended"
    );
}

#[tokio::test]
async fn the_queue_and_the_request_page_show_what_an_operator_needs() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let (ana, id) = ana_and_an_unsafe_request(&app).await;
    let (status, queue) = ana.get("/operator").await;
    assert_eq!(status, StatusCode::OK);
    let heading = r#"<h2 id="cat-victim_assistance">Victim assistance <span class="priority">"#;
    assert!(
        queue.contains(heading),
        "the category by its title: {queue}"
    );
    assert!(
        queue.contains(&format!(r#"href="/operator/requests/{id}""#)),
        "{queue}"
    );
    assert!(
        queue.contains(r#"<strong class="badge no">NO</strong>"#),
        "{queue}"
    );
    assert!(!queue.contains("2025550123"), "no numbers in the queue");
    assert!(
        queue.contains("Nobody is waiting here."),
        "calm empty categories"
    );

    let page = format!("/operator/requests/{id}");
    let (status, detail) = ana.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains(CALLER), "the number to call");
    assert!(detail.contains("DO NOT leave a message"), "{detail}");
    assert!(detail.contains(&format!(r#"src="/operator/requests/{id}/recording""#)));
    assert!(
        !detail.contains("rec.example"),
        "the provider's address is not in the page"
    );
    assert!(
        detail.contains("<h1>Callback request: Victim assistance</h1>"),
        "{detail}"
    );
    let main_menu =
        r#"<td data-label="Step" title="In the flow file: [nodes.main_menu]">Main menu</td>"#;
    assert!(
        detail.contains(main_menu),
        "the caller's path, each step by its title: {detail}"
    );
    assert!(
        detail.contains("chose Victim assistance triage"),
        "and where it led: {detail}"
    );
    assert!(detail.contains("Claim this request") && !detail.contains("Record the call back"));
    assert_balanced(&queue);
    assert_balanced(&detail);
}

#[tokio::test]
async fn an_operator_claims_and_completes_a_request_through_the_forms() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let (ana, id) = ana_and_an_unsafe_request(&app).await;
    let page = format!("/operator/requests/{id}");
    let claimed = ana.submit(&page, &format!("{page}/claim"), &[]).await;
    assert_eq!(claimed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(claimed.headers()), format!("{page}?done=claimed"));
    let (_, detail) = ana.get(&format!("{page}?done=claimed")).await;
    assert!(detail.contains("You have claimed this request"), "{detail}");
    assert!(detail.contains("Record the call back") && detail.contains("Release it"));
    assert!(
        detail.contains("held until Sat 5 Dec 10:30"),
        "the claim's end, 30 minutes on: {detail}"
    );
    assert!(
        detail.contains("Nobody answered. The request goes back to the queue"),
        "each outcome says what it does: {detail}"
    );
    assert_balanced(&detail);
    assert!(
        !detail.contains("left_message"),
        "no message outcome when unsafe"
    );

    let recording = ana.get_raw(&format!("{page}/recording")).await;
    assert_eq!(recording.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(recording.headers()), "https://rec.example/RE1");

    let fields = [
        ("outcome", "reached"),
        ("notes", "Gave the number of the local office."),
    ];
    let done = ana
        .submit(&page, &format!("{page}/complete"), &fields)
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(done.headers()), "/operator?done=completed");
    let (_, queue) = ana.get("/operator?done=completed").await;
    assert!(queue.contains("Call back recorded"), "{queue}");
    assert!(!queue.contains(&id), "the request left the queue");
    let (_, detail) = ana.get(&page).await;
    assert!(detail.contains("Closed (completed): Reached"), "{detail}");
    assert!(detail.contains("Gave the number of the local office."));
}

#[tokio::test]
async fn a_claim_someone_else_made_first_is_news_not_an_error() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&app, "1", "2", "1", None).await;
    let id = request_id_of(&app, &sid).await;
    add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    add_console_user(&app, "ben", Role::Operator, &["victim_assistance"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let ben = Console::sign_in(&app, "ben").await;
    let page = format!("/operator/requests/{id}");
    let (_, bens_page) = ben.get(&page).await;

    let first = ana.submit(&page, &format!("{page}/claim"), &[]).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let csrf = csrf_of(&bens_page);
    let second = ben.post(&format!("{page}/claim"), &[("csrf", &csrf)]).await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(second.headers()),
        format!("{page}?problem=already_claimed")
    );
    let (status, news) = ben.get(&format!("{page}?problem=already_claimed")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        news.contains("ana has already claimed this request."),
        "{news}"
    );
    assert!(
        !news.contains("Record the call back"),
        "only the holder records"
    );

    let fields = [("outcome", "no_such_outcome")];
    let bad = ana
        .submit(&page, &format!("{page}/complete"), &fields)
        .await;
    assert_eq!(
        location(bad.headers()),
        format!("{page}?problem=no_outcome")
    );
}

#[tokio::test]
async fn an_operator_cannot_see_another_categorys_request_and_only_supervisors_read_the_audit_log()
{
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let sid = leave_callback_request(&app, "1", "2", "1", None).await;
    let id = request_id_of(&app, &sid).await;
    add_console_user(&app, "carl", Role::Operator, &["general"]).await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    let carl = Console::sign_in(&app, "carl").await;
    let sam = Console::sign_in(&app, "sam").await;

    let page = format!("/operator/requests/{id}");
    let (status, body) = carl.get(&page).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("not in your categories") && !body.contains(CALLER));
    let claim = carl
        .submit("/operator", &format!("{page}/claim"), &[])
        .await;
    assert_eq!(claim.status(), StatusCode::NOT_FOUND);
    let (_, queue) = carl.get("/operator").await;
    assert!(!queue.contains(&id), "not in carl's queue");

    let (status, refused) = carl.get("/operator/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        refused.contains("The audit log is for supervisors."),
        "{refused}"
    );
    assert!(
        !carl.get("/operator").await.1.contains("/operator/audit"),
        "no link either"
    );

    assert_eq!(sam.get(&page).await.0, StatusCode::OK);
    let (status, audit) = sam.get("/operator/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        audit.contains("view request") && audit.contains(&format!("href=\"{page}\"")),
        "the entry links to the request it is about: {audit}"
    );
    assert!(audit.contains(r#"<th scope="col">When</th>"#));
    assert_balanced(&audit);

    // A report's period reads as local times, not as milliseconds since the epoch.
    sam.get("/operator/reports?from=2026-11-30&to=2026-11-30")
        .await;
    let (_, audit) = sam.get("/operator/audit").await;
    assert!(audit.contains("from Mon 30 Nov 00:00"), "{audit}");
    assert!(!audit.contains("from=17"), "{audit}");
}

#[tokio::test]
async fn an_unknown_console_address_gets_the_consoles_own_not_found_page() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    let sam = Console::sign_in(&app, "sam").await;
    let (status, page) = sam.get("/operator/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        page.contains("There is no such page in the console"),
        "{page}"
    );
    assert!(
        page.contains(r#"href="/operator/audit""#),
        "with the navigation: {page}"
    );
    assert_balanced(&page);
    let stranger = client()
        .get(format!("{}/operator/no/such/page", app.base))
        .send()
        .await
        .expect("answered");
    assert_eq!(location(stranger.headers()), "/operator/sign-in");
}

#[tokio::test]
async fn a_refused_or_mistyped_page_keeps_the_navigation_for_someone_signed_in() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let (status, refused) = ana.get("/operator/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        refused.contains(r#"<nav aria-label="Console">"#),
        "{refused}"
    );
    assert!(refused.contains("The audit log is for supervisors.") && refused.contains("ana"));
    let sam = Console::sign_in(&app, "sam").await;
    let (status, wrong) = sam.get("/operator/reports?from=yesterday").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.contains(r#"href="/operator/audit""#), "{wrong}");
    assert!(wrong.contains("is not a date like 2026-11-28"), "{wrong}");
    assert_balanced(&wrong);
    let stranger = client()
        .get(format!("{}/operator/queue", app.base))
        .send()
        .await
        .expect("answered");
    assert_eq!(
        stranger.status(),
        StatusCode::UNAUTHORIZED,
        "no session, no frame"
    );
}

#[tokio::test]
async fn console_responses_carry_the_headers_that_protect_callers_data() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    for path in [
        "/operator",
        "/operator/sign-in",
        "/operator/queue",
        "/operator/assets/console.js",
        "/operator/requests/0190-abc",
    ] {
        let response = ana.get_raw(path).await;
        let headers = response.headers();
        assert_eq!(headers[CACHE_CONTROL], "no-store", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("default-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"));
    }
    let css = ana.get_raw("/operator/assets/console.css").await;
    assert!(
        css.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let (_, page) = ana.get("/operator").await;
    for element in [
        "<!doctype html>",
        r#"<html lang="en">"#,
        "<header",
        r#"<nav aria-label="Console">"#,
        r#"<main id="main""#,
        r#"<script src="/operator/assets/console.js" defer></script>"#,
        r#"<section id="queue""#,
    ] {
        assert!(page.contains(element), "{element} in {page}");
    }
    assert!(!page.contains("<script>"), "no inline script");
    assert!(!page.contains("style="), "no inline style");
}

/// Ana, signed in, working two categories, and a request (not safe for a message, with a
/// recording) in one of them.
async fn ana_and_an_unsafe_request(app: &TestApp) -> (Console, String) {
    let sid = leave_callback_request(app, "1", "2", "2", Some("https://rec.example/RE1")).await;
    let id = request_id_of(app, &sid).await;
    let categories = ["victim_assistance", "general"];
    add_console_user(app, "ana", Role::Operator, &categories).await;
    (Console::sign_in(app, "ana").await, id)
}
