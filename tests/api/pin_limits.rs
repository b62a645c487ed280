//! Guessing operator-line PINs over real HTTP: wrong PINs are counted across calls, slow the
//! line down, then lock the number and, from many numbers, the whole line; a PIN is stored
//! keyed with the server secret, and one stored before that still works after a restart.

use hotline::operators::Role;
use hotline::operators::credentials::digest;
use hotline::operators::pin_limits::{LINE_SHORT_LIMIT, NUMBER_SHORT_LIMIT};
use hotline::store::OperatorChange;

use crate::staff::{add_staff, caller_tag, give_pin};
use crate::support::helpers::{
    Call, OPEN, Options, TestApp, on_every_backend_app, spawn_app, spawn_app_on,
};

const PIN: &str = "48151623";
const GUESSER: &str = "+12025550666";

async fn dial_line<'a>(app: &'a TestApp, from: &str) -> Call<'a> {
    let mut line = app.call(from);
    line.send(&format!("{}/voice/operator", app.base), &[])
        .await;
    line
}

/// Posts a PIN straight to the PIN URL, as a guesser replaying the line's requests would.
async fn post_pin(app: &TestApp, from: &str, pin: &str) -> String {
    let mut line = app.call(from);
    line.send(
        &format!("{}/voice/operator/pin?pa=0", app.base),
        &[("Digits", pin)],
    )
    .await;
    line.heard()
}

fn pause_of(line: &Call<'_>) -> Option<String> {
    line.twiml()
        .child("Pause")
        .and_then(|p| p.attr("length"))
        .map(str::to_string)
}

#[tokio::test]
async fn wrong_pins_from_one_number_slow_the_line_then_lock_that_number_across_calls() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            add_staff(&app, "ana", Role::Operator, &["general"]).await;
            give_pin(&app, "ana", PIN).await;

            let mut first = dial_line(&app, GUESSER).await;
            first.press("00000001").await;
            assert_eq!(
                pause_of(&first).as_deref(),
                Some("2"),
                "{:?}",
                first.twiml()
            );
            first.press("00000002").await;
            assert_eq!(
                pause_of(&first).as_deref(),
                Some("4"),
                "{:?}",
                first.twiml()
            );
            first.press("00000003").await;
            assert!(first.twiml().child("Hangup").is_some());

            let mut second = dial_line(&app, GUESSER).await;
            second.press("00000004").await;
            assert_eq!(
                pause_of(&second).as_deref(),
                Some("8"),
                "counted across calls"
            );
            second.press("00000005").await;
            assert!(
                second.heard().contains("cannot take a PIN"),
                "the {NUMBER_SHORT_LIMIT}th wrong PIN locks the number: {}",
                second.heard()
            );
            assert!(second.twiml().child("Gather").is_none());

            let third = dial_line(&app, GUESSER).await;
            assert!(
                third.heard().contains("cannot take a PIN"),
                "a locked number is not asked: {}",
                third.heard()
            );
            assert!(
                post_pin(&app, GUESSER, PIN)
                    .await
                    .contains("cannot take a PIN"),
                "while locked, even the right PIN is not checked"
            );

            let mut ana = dial_line(&app, "+12025550999").await;
            ana.press(&format!("{PIN}#")).await;
            assert!(
                ana.heard().contains("Nobody is waiting"),
                "other numbers still sign in: {}",
                ana.heard()
            );
            let metrics = app.metrics().await;
            assert!(
                metrics.contains("hotline_operator_pin_refused_total{reason=\"number_locked\"}"),
                "{metrics}"
            );
            let now = OPEN.parse::<jiff::Timestamp>().unwrap().as_millisecond();
            let counted = app
                .store
                .pin_failures(&caller_tag(GUESSER), now)
                .await
                .expect("the failures");
            assert_eq!(
                counted.number_short, NUMBER_SHORT_LIMIT,
                "guesses while locked are not counted"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn wrong_pins_from_many_numbers_lock_the_line_for_every_number() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            add_staff(&app, "ana", Role::Operator, &["general"]).await;
            give_pin(&app, "ana", PIN).await;
            for i in 0..LINE_SHORT_LIMIT {
                // A forged caller ID each time: the per-number limit never trips.
                let heard = post_pin(&app, &format!("+1202555{i:04}"), "99999999").await;
                let last = i + 1 == LINE_SHORT_LIMIT;
                let expected = if last {
                    "cannot take a PIN"
                } else {
                    "not accepted"
                };
                assert!(heard.contains(expected), "guess {i}: {heard}");
            }
            let heard = post_pin(&app, "+12025550999", PIN).await;
            assert!(heard.contains("cannot take a PIN"), "{heard}");
            let metrics = app.metrics().await;
            assert!(
                metrics.contains("hotline_operator_pin_refused_total{reason=\"line_locked\"}"),
                "{metrics}"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn a_pin_stored_before_pins_were_keyed_works_after_a_restart_and_is_kept_keyed() {
    let app = spawn_app(Options::at(OPEN)).await;
    add_staff(&app, "ana", Role::Operator, &["general"]).await;
    let plain = digest(PIN);
    app.store
        .update_operator("ana", &OperatorChange::Pin(plain.clone()))
        .await
        .expect("an old plain digest");
    let (_dir, db_path) = app.stop().await;

    let app = spawn_app_on(Options::at(OPEN), &db_path).await;
    let mut ana = dial_line(&app, "+12025550999").await;
    ana.press(&format!("{PIN}#")).await;
    assert!(ana.heard().contains("Nobody is waiting"), "{}", ana.heard());

    let mut db = app.raw_db().await;
    let (stored,): (String,) = sqlx::query_as("select pin_hash from operators where name = 'ana'")
        .fetch_one(&mut db)
        .await
        .expect("the stored digest");
    assert!(stored.starts_with("k1:"), "{stored}");
    assert!(
        !stored.contains(&plain),
        "the plain digest is gone: {stored}"
    );
}
