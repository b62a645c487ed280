//! Guessing passwords at the console: after five failures in a row the account refuses every
//! password for fifteen minutes, with the same answer as any other failure, until a supervisor
//! enables it again.

use hotline::operators::Role;
use hotline::store::OperatorChange;
use reqwest::StatusCode;

use crate::support::console_client::{PASSWORD, add_console_user, post_sign_in};
use crate::support::helpers::{AFTER_HOURS, Options, spawn_app};

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_until_it_is_enabled_again() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
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
}

#[tokio::test]
async fn a_successful_sign_in_clears_earlier_failures() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "ben", Role::Operator, &["general"]).await;
    for round in 0..3 {
        for guess in 0..4 {
            let wrong = post_sign_in(&app, "ben", &format!("round {round} guess {guess}")).await;
            assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        }
        let right = post_sign_in(&app, "ben", PASSWORD).await;
        assert_eq!(
            right.status(),
            StatusCode::SEE_OTHER,
            "four failures then a success, round {round}"
        );
    }
}
