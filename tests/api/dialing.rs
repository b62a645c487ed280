//! Calling back through the hotline, from the operator line, with the provider played on both
//! legs: the request read to the operator, the dial from the hotline's own number, the neutral
//! check the person called hears (nothing about the line until they press 1), a message only
//! where it is safe, and one attempt per dial whatever the provider retries.

use hotline::callbacks::{Outcome, Status};
use hotline::operators::Role;
use hotline::store::{AuditFilter, CallbackRequest};

use crate::staff::{add_staff, give_pin, leave_callback_request, request_id_of};
use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{
    CALLER, Call, HOTLINE_NUMBER, Options, TestApp, WEEKEND_MORNING, on_every_backend_app,
    shipped_flow_text, spawn_app, spawn_app_on_flow,
};

const OPERATOR_PHONE: &str = "+12025550999";
const PIN: &str = "27182818";

pub(crate) async fn operator_with_pin(app: &TestApp) {
    add_staff(app, "ana", Role::Operator, &["victim_assistance"]).await;
    give_pin(app, "ana", PIN).await;
}

/// The operator calls the line and enters the PIN; nobody waits live.
pub(crate) async fn sign_in_on_the_line(app: &TestApp) -> Call<'_> {
    sign_in_with(app, OPERATOR_PHONE, PIN).await
}

async fn sign_in_with<'a>(app: &'a TestApp, phone: &str, pin: &str) -> Call<'a> {
    let mut line = app.call(phone);
    line.send(&format!("{}/voice/operator", app.base), &[])
        .await;
    line.press(&format!("{pin}#")).await;
    line
}

async fn request(app: &TestApp, sid: &str) -> CallbackRequest {
    let id = request_id_of(app, sid).await;
    app.store
        .callback_request(&id)
        .await
        .unwrap()
        .expect("the request")
}

/// The operator presses 1; the provider rings the number with the `<Number url>` check.
/// Returns the person called back, at the check.
pub(crate) async fn dial<'a>(app: &'a TestApp, line: &mut Call<'a>) -> Call<'a> {
    line.press("1").await;
    let dial = line.twiml().child("Dial").expect("a dial").clone();
    assert_eq!(
        dial.attr("callerId"),
        Some(HOTLINE_NUMBER),
        "the hotline's own number"
    );
    let number = dial.child("Number").expect("a number");
    assert_eq!(number.text.trim(), CALLER);
    let check = number
        .attr("url")
        .expect("a check before connecting")
        .to_string();
    assert!(
        !check.contains("2025550123") && !check.contains("%2B"),
        "no number in {check}"
    );
    let mut called = app.call(CALLER);
    called.send(&check, &[]).await;
    called
}

/// Where the provider reports how the operator line's dial ended.
pub(crate) fn dial_action(line: &Call<'_>) -> String {
    let dial = line.twiml().child("Dial").expect("a dial");
    dial.attr("action").expect("a dial action").to_string()
}

/// The provider reports how the dial ended, on the operator's leg.
pub(crate) async fn dial_ends(line: &mut Call<'_>, dial_action: &str, status: &str) {
    line.send(dial_action, &[("DialCallStatus", status)]).await;
}

#[tokio::test]
async fn a_request_is_offered_dialled_checked_connected_and_closed_on_the_keypad() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            let sid = leave_callback_request(&app, "1", "2", "2", None).await;
            operator_with_pin(&app).await;
            let mut line = sign_in_on_the_line(&app).await;
            let heard = line.heard();
            assert!(
                heard.contains("Callback request: a victim assistance specialist, in English"),
                "{heard}"
            );
            assert!(
                heard.contains("Attempt 1. Do not leave a message."),
                "{heard}"
            );

            let mut called = dial(&app, &mut line).await;
            let action = dial_action(&line);
            let check = called.heard();
            assert_eq!(
                check,
                "Hello. This is a return call. To be connected, press 1."
            );
            let claimed = request(&app, &sid).await;
            assert_eq!(
                claimed.status,
                Status::Claimed,
                "held by the operator before anything rang"
            );

            let connected = called.press("1").await;
            assert!(
                connected.children.is_empty(),
                "an empty answer connects: {connected:?}"
            );
            dial_ends(&mut line, &action, "completed").await;
            assert!(
                line.heard().contains("If the matter is resolved, press 1"),
                "{}",
                line.heard()
            );
            line.press("1").await;
            assert!(
                line.heard().contains("Recorded: Resolved"),
                "{}",
                line.heard()
            );

            let closed = request(&app, &sid).await;
            assert_eq!(
                (closed.status, closed.outcome),
                (Status::Completed, Some(Outcome::Resolved))
            );
            let attempts = app.store.attempts(&closed.id).await.unwrap();
            assert_eq!(attempts.len(), 1, "{attempts:?}");
            let filter = AuditFilter {
                limit: 100,
                ..AuditFilter::default()
            };
            let audit = app.store.audit_log(&filter).await.unwrap();
            assert!(
                audit
                    .iter()
                    .any(|e| e.action == "dial" && e.subject == closed.id),
                "{audit:?}"
            );

            // The supervisors' report counts the call back as reached.
            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
            let (_, report) = sam
                .get(&app, "/api/v1/reports?from=2026-12-05&to=2026-12-06")
                .await;
            let outcomes = &report["callback_outcomes"][0];
            assert_eq!(outcomes["category"], "victim_assistance", "{report}");
            assert_eq!(
                (outcomes["attempts"].as_u64(), outcomes["reached"].as_u64()),
                (Some(1), Some(1))
            );
            assert_eq!(outcomes["reach_rate_percent"], 100);
        },
    )
    .await;
}

#[tokio::test]
async fn nobody_who_does_not_press_the_key_hears_anything_and_the_attempt_counts_once() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            let sid = leave_callback_request(&app, "1", "2", "2", None).await;
            operator_with_pin(&app).await;
            let mut line = sign_in_on_the_line(&app).await;
            let mut called = dial(&app, &mut line).await;
            let action = dial_action(&line);

            let after_silence = called.silence().await.clone();
            assert!(
                after_silence.find_all("Say").is_empty(),
                "not safe: nothing said {after_silence:?}"
            );
            assert!(after_silence.child("Hangup").is_some(), "{after_silence:?}");
            dial_ends(&mut line, &action, "completed").await;
            assert!(
                line.heard().contains("Nobody was reached"),
                "{}",
                line.heard()
            );
            dial_ends(&mut line, &action, "completed").await; // the provider retries

            let back = request(&app, &sid).await;
            assert_eq!((back.status, back.no_answer_attempts), (Status::Pending, 1));
            let attempts = app.store.attempts(&back.id).await.unwrap();
            assert_eq!(attempts.len(), 1, "a retry counts once: {attempts:?}");
            assert_eq!(attempts[0].notes, "answered, but the key was not pressed");
            let metrics = app.metrics().await;
            assert!(
                metrics.contains(
                    "hotline_callback_attempts_total{outcome=\"no_answer\",placed_by=\"line\"}"
                ),
                "{metrics}"
            );
            // Within the gap after that attempt the request is not offered again.
            let mut again = sign_in_on_the_line(&app).await;
            assert!(
                again.heard().contains("Nobody is waiting"),
                "{}",
                again.heard()
            );
            again.follow_redirect().await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_neutral_message_is_left_only_for_a_caller_who_said_it_is_safe() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            let sid = leave_callback_request(&app, "2", "2", "1", None).await;
            operator_with_pin(&app).await;
            let mut line = sign_in_on_the_line(&app).await;
            assert!(line.heard().contains("in Español"), "{}", line.heard());
            assert!(
                line.heard().contains("A message may be left"),
                "{}",
                line.heard()
            );
            let mut called = dial(&app, &mut line).await;
            assert!(
                called.heard().contains("Esta es una llamada de regreso"),
                "{}",
                called.heard()
            );
            let action = dial_action(&line);

            called.silence().await;
            let message = called.heard();
            assert!(
                message.contains("mensaje para devolver su llamada"),
                "{message}"
            );
            for word in ["Víctimas", "Victim", "Asistencia", "hotline", "línea"] {
                assert!(
                    !message.contains(word),
                    "the message names nothing: {message}"
                );
            }
            dial_ends(&mut line, &action, "completed").await;
            assert!(
                line.heard().contains("the neutral message was left"),
                "{}",
                line.heard()
            );
            // The message says the line will try again, so the request stays open for that.
            let after = request(&app, &sid).await;
            assert_eq!(
                (after.status, after.no_answer_attempts),
                (Status::Pending, 1)
            );
            let attempts = app.store.attempts(&after.id).await.unwrap();
            assert_eq!(attempts.len(), 1, "{attempts:?}");
            assert_eq!(attempts[0].outcome, Outcome::LeftMessage);
        },
    )
    .await;
}

#[tokio::test]
async fn a_hotline_sets_how_many_unanswered_calls_back_close_a_request() {
    let one_try = shipped_flow_text().replacen(
        "min_gap_minutes = 60",
        "min_gap_minutes = 60\nmax_attempts = 1",
        1,
    );
    let (_flows, app) = spawn_app_on_flow(&one_try, WEEKEND_MORNING).await;
    let sid = leave_callback_request(&app, "1", "2", "2", None).await;
    operator_with_pin(&app).await;
    let mut line = sign_in_on_the_line(&app).await;
    let _called = dial(&app, &mut line).await;
    let action = dial_action(&line);
    dial_ends(&mut line, &action, "busy").await;
    assert!(
        line.heard().contains("That was the last attempt"),
        "{}",
        line.heard()
    );
    let closed = request(&app, &sid).await;
    assert_eq!(
        (closed.status, closed.no_answer_attempts),
        (Status::Unreachable, 1)
    );

    let none = one_try.replacen("max_attempts = 1", "max_attempts = 0", 1);
    let errors = hotline::catalog::load("victim_hotline", "victim_hotline.toml", &none)
        .expect_err("a request that can never be tried is refused");
    assert_eq!(errors.0[0].code, "bad-limit", "{errors}");
}

#[tokio::test]
async fn one_number_is_called_back_no_more_often_a_day_than_the_flow_allows() {
    let once_a_day = shipped_flow_text().replacen(
        "min_gap_minutes = 60",
        "min_gap_minutes = 0\nmax_calls_per_number_per_day = 1",
        1,
    );
    let (_flows, app) = spawn_app_on_flow(&once_a_day, WEEKEND_MORNING).await;
    leave_callback_request(&app, "1", "2", "2", None).await;
    operator_with_pin(&app).await;
    let mut line = sign_in_on_the_line(&app).await;
    let mut called = dial(&app, &mut line).await;
    let action = dial_action(&line);
    called.silence().await;
    dial_ends(&mut line, &action, "no-answer").await;
    // The same caller leaves a second request: their number was rung once today already.
    leave_callback_request(&app, "1", "2", "2", None).await;
    let again = sign_in_on_the_line(&app).await;
    assert!(
        again.heard().contains("Nobody is waiting"),
        "{}",
        again.heard()
    );

    let too_many = once_a_day.replacen(
        "max_calls_per_number_per_day = 1",
        "max_calls_per_number_per_day = 99",
        1,
    );
    let errors = hotline::catalog::load("victim_hotline", "victim_hotline.toml", &too_many)
        .expect_err("an impossible cap is refused");
    assert_eq!(errors.0[0].code, "bad-limit", "{errors}");
}

#[tokio::test]
async fn operators_on_the_line_at_once_are_each_read_another_request() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            leave_callback_request(&app, "1", "2", "2", None).await;
            leave_callback_request(&app, "2", "2", "2", None).await;
            operator_with_pin(&app).await;
            let (ben_pin, cy_pin) = ("31415926", "16180339");
            for (name, pin) in [("ben", ben_pin), ("cy", cy_pin)] {
                add_staff(&app, name, Role::Operator, &["victim_assistance"]).await;
                give_pin(&app, name, pin).await;
            }

            let mut ana = sign_in_on_the_line(&app).await;
            assert!(ana.heard().contains("in English"), "{}", ana.heard());
            let ben = sign_in_with(&app, "+12025550888", ben_pin).await;
            assert!(
                ben.heard().contains("in Español"),
                "the request read to ana is not read to ben: {}",
                ben.heard()
            );
            let cy = sign_in_with(&app, "+12025550777", cy_pin).await;
            assert!(cy.heard().contains("Nobody is waiting"), "{}", cy.heard());
            // Ana declines hers: the next operator to call in is read it at once.
            ana.press("2").await;
            let cy = sign_in_with(&app, "+12025550777", cy_pin).await;
            assert!(cy.heard().contains("in English"), "{}", cy.heard());
        },
    )
    .await;
}

/// The provider reports the progress of the leg of the person called.
pub(crate) async fn leg_reports(app: &TestApp, leg: &str, status: &str) {
    let params = [
        ("CallSid", "CA00000000000000000000000000c4ild"),
        ("From", HOTLINE_NUMBER),
        ("To", CALLER),
        ("CallStatus", status),
    ];
    let answer = app.post(leg, &params).await;
    assert_eq!(answer.status(), 204, "{status}");
}

/// Where the provider reports the progress of the leg of the person called.
pub(crate) fn leg_url(line: &Call<'_>) -> String {
    let dial = line.twiml().child("Dial").expect("a dial");
    let number = dial.child("Number").expect("a number");
    assert_eq!(
        number.attr("statusCallbackEvent"),
        Some("initiated ringing answered completed")
    );
    number
        .attr("statusCallback")
        .expect("a status callback")
        .to_string()
}

#[tokio::test]
async fn the_request_page_follows_the_call_back_and_a_hang_up_mid_dial_still_counts_once() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            let sid = leave_callback_request(&app, "1", "2", "2", None).await;
            let id = request_id_of(&app, &sid).await;
            operator_with_pin(&app).await;
            let sup = add_staff(&app, "sue", Role::Supervisor, &[]).await;
            let mut line = sign_in_on_the_line(&app).await;
            let _called = dial(&app, &mut line).await;
            let leg = leg_url(&line);
            let live = |detail: serde_json::Value| detail["live_call"]["state"].clone();

            leg_reports(&app, &leg, "ringing").await;
            let (_, detail) = sup.get(&app, &format!("/api/v1/callbacks/{id}")).await;
            assert_eq!(live(detail), "ringing");
            leg_reports(&app, &leg, "in-progress").await;
            leg_reports(&app, &leg, "ringing").await; // a late report changes nothing
            let (_, detail) = sup.get(&app, &format!("/api/v1/callbacks/{id}")).await;
            assert_eq!(live(detail), "at_check");

            // The operator hangs up before anyone presses 1: no dial result ever comes, only the
            // final report of the leg, twice.
            leg_reports(&app, &leg, "completed").await;
            leg_reports(&app, &leg, "completed").await;
            let back = request(&app, &sid).await;
            assert_eq!((back.status, back.no_answer_attempts), (Status::Pending, 1));
            let attempts = app.store.attempts(&back.id).await.unwrap();
            assert_eq!(attempts.len(), 1, "{attempts:?}");
            assert_eq!(attempts[0].notes, "answered, but the key was not pressed");
            let (_, detail) = sup.get(&app, &format!("/api/v1/callbacks/{id}")).await;
            assert!(detail["live_call"].is_null(), "{detail}");
            // A dial result that arrives after all counts nothing more.
            let action = dial_action(&line);
            dial_ends(&mut line, &action, "completed").await;
            assert_eq!(app.store.attempts(&back.id).await.unwrap().len(), 1);
        },
    )
    .await;
}

#[tokio::test]
async fn the_console_shows_a_call_back_in_progress() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&app, "1", "2", "2", None).await;
    let id = request_id_of(&app, &sid).await;
    operator_with_pin(&app).await;
    let mut line = sign_in_on_the_line(&app).await;
    let mut called = dial(&app, &mut line).await;
    leg_reports(&app, &leg_url(&line), "in-progress").await;
    called.press("1").await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    let sam = Console::sign_in(&app, "sam").await;
    let (_, page) = sam.get(&format!("/operator/requests/{id}")).await;
    assert!(
        page.contains("Call back in progress.</strong> Connected: the caller pressed 1"),
        "{page}"
    );
    // The page's script refreshes that line from its own address, until the call ends.
    let live = format!("/operator/requests/{id}/live-call");
    assert!(page.contains(&format!("data-live=\"{live}\"")), "{page}");
    let (_, fragment) = sam.get(&live).await;
    assert!(
        fragment.contains("Connected: the caller pressed 1"),
        "{fragment}"
    );
    let action = dial_action(&line);
    dial_ends(&mut line, &action, "completed").await;
    let (_, ended) = sam.get(&live).await;
    assert!(
        ended.contains("hidden") && !ended.contains("in progress"),
        "{ended}"
    );
    // Closing it on the keypad changes the request: the page's script sees another mark than
    // the one the page was drawn with, and draws the page again.
    let mark = |html: &str| {
        let start = html.find("data-mark=\"").expect("a mark") + "data-mark=\"".len();
        html[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        mark(&fragment),
        mark(&page),
        "nothing changed while connected"
    );
    assert_eq!(mark(&ended), mark(&page), "still held, not yet closed");
    line.press("1").await;
    assert!(line.heard().contains("Recorded"), "{}", line.heard());
    let (_, closed) = sam.get(&live).await;
    assert_ne!(mark(&closed), mark(&page), "{closed}");
}
