//! Guessing passwords at the console: after five failures in a row the account refuses every
//! password for fifteen minutes, with the same answer as any other failure, until a supervisor
//! enables it again. Password checks take turns, so a flood of sign-ins leaves the callers a
//! core.

use hotline::operators::Role;
use hotline::store::OperatorChange;
use reqwest::StatusCode;

use crate::support::console_client::{PASSWORD, add_console_user, post_sign_in};
use crate::support::helpers::{AFTER_HOURS, Options, on_every_backend_app, spawn_app};

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_until_it_is_enabled_again() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            add_console_user(&app, "ana", Role::Operator, &["general"]).await;
            for guess in 0..5 {
                let response = post_sign_in(&app, "ana", &format!("guess number {guess}")).await;
                assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            }
            let locked = post_sign_in(&app, "ana", PASSWORD).await;
            assert_eq!(
                locked.status(),
                StatusCode::UNAUTHORIZED,
                "even the right password"
            );
            let page = locked.text().await.unwrap();
            assert!(
                page.contains("That name and password do not match an active account."),
                "{page}"
            );

            app.store
                .update_operator("ana", &OperatorChange::Enable)
                .await
                .expect("enabled");
            let back = post_sign_in(&app, "ana", PASSWORD).await;
            assert_eq!(
                back.status(),
                StatusCode::SEE_OTHER,
                "enabling lifts the lock"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn a_successful_sign_in_clears_earlier_failures() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            add_console_user(&app, "ben", Role::Operator, &["general"]).await;
            for round in 0..3 {
                for guess in 0..4 {
                    let wrong =
                        post_sign_in(&app, "ben", &format!("round {round} guess {guess}")).await;
                    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
                }
                let right = post_sign_in(&app, "ben", PASSWORD).await;
                assert_eq!(
                    right.status(),
                    StatusCode::SEE_OTHER,
                    "four failures then a success, round {round}"
                );
            }
        },
    )
    .await;
}

#[tokio::test]
async fn password_checks_take_turns_and_a_sign_in_that_waits_too_long_is_asked_to_retry() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    // Every check the server allows at once is taken, as by a flood of other sign-ins.
    let all = u32::try_from(app.password_checks.available_permits()).unwrap();
    assert_eq!(all, 1, "one password check at a time");
    let flood = app.password_checks.acquire_many(all).await.unwrap();
    let waited = post_sign_in(&app, "ana", PASSWORD).await;
    assert_eq!(waited.status(), StatusCode::SERVICE_UNAVAILABLE);
    let page = waited.text().await.unwrap();
    assert!(page.contains("Wait a few seconds and try again."), "{page}");
    drop(flood);
    let signed_in = post_sign_in(&app, "ana", PASSWORD).await;
    assert_eq!(
        signed_in.status(),
        StatusCode::SEE_OTHER,
        "the waiting sign-in counted no failure"
    );
}

/// A sign-in from a browser that holds `cookie` (`name=value`), if any.
async fn sign_in_from(
    app: &crate::support::helpers::TestApp,
    cookie: Option<&str>,
    password: &str,
) -> reqwest::Response {
    let mut post = crate::support::console_client::client()
        .post(format!("{}/operator/sign-in", app.base))
        .form(&[("name", "ana"), ("password", password)]);
    if let Some(cookie) = cookie {
        post = post.header("cookie", cookie);
    }
    post.send().await.expect("sign-in sent")
}

#[tokio::test]
async fn strangers_guessing_a_name_cannot_lock_its_owner_out_of_her_own_browser() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            add_console_user(&app, "ana", Role::Operator, &["general"]).await;
            let first = sign_in_from(&app, None, PASSWORD).await;
            assert_eq!(first.status(), StatusCode::SEE_OTHER);
            let device = first
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.starts_with("hotline_device="))
                .and_then(|v| v.split(';').next())
                .expect("her browser is remembered")
                .to_string();

            for guess in 0..5 {
                let wrong = sign_in_from(&app, None, &format!("guess {guess}")).await;
                assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
            }
            let stranger = sign_in_from(&app, None, PASSWORD).await;
            assert_eq!(
                stranger.status(),
                StatusCode::UNAUTHORIZED,
                "locked for others"
            );
            let hers = sign_in_from(&app, Some(&device), PASSWORD).await;
            assert_eq!(
                hers.status(),
                StatusCode::SEE_OTHER,
                "not for her own browser"
            );

            // Her browser's own failures count too: after five it is a stranger again.
            for guess in 0..5 {
                let wrong = sign_in_from(&app, Some(&device), &format!("typo {guess}")).await;
                assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
            }
            let forgotten = sign_in_from(&app, Some(&device), PASSWORD).await;
            assert_eq!(forgotten.status(), StatusCode::UNAUTHORIZED);
        },
    )
    .await;
}
