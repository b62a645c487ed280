//! Operators' weekly shifts: set, listed and cleared with `hotline operators`, and held against
//! the fixed clock on the queue (API and console page): who is due at work in each category,
//! and who of them is missing. On every backend.

use clap::Parser;
use hotline::cli::{Cli, Command, PasswordInput, operators};
use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::staff::add_staff;
use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{
    OPEN, Options, TestApp, WEEKEND_MORNING, on_every_backend_app, shipped_flows, spawn_app,
};

/// Runs `hotline operators ARGS` against the server's database, as staff would type it.
pub(crate) async fn cli(app: &TestApp, args: &[&str]) -> anyhow::Result<String> {
    let flows = shipped_flows().display().to_string();
    let mut line = vec!["hotline", "operators"];
    line.extend_from_slice(args);
    line.extend(["--database-url", &app.database_url, "--flows", &flows]);
    let Command::Operators(args) = Cli::try_parse_from(line)?.command else {
        unreachable!("an operators command");
    };
    let mut out = Vec::new();
    operators(&args, PasswordInput::Lines(&mut "".as_bytes()), &mut out).await?;
    Ok(String::from_utf8(out).expect("utf-8"))
}

/// The line `hotline operators list` prints for `name`.
async fn listed(app: &TestApp, name: &str) -> String {
    let list = cli(app, &["list"]).await.expect("the list");
    let line = list.lines().find(|l| l.starts_with(name));
    line.unwrap_or_default().to_string()
}

#[tokio::test]
async fn staff_set_list_and_clear_an_operators_weekly_shifts() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            add_staff(&app, "ana", Role::Operator, &["general"]).await;
            let set = cli(
                &app,
                &[
                    "edit",
                    "ana",
                    "--shift",
                    "mon-fri 09:00-17:00, sat 10:00-14:00",
                    "--shift",
                    "Sunday 10:00-14:00",
                ],
            )
            .await
            .expect("shifts set");
            assert!(
                set.contains("shifts: mon-fri 09:00-17:00, sat-sun 10:00-14:00"),
                "{set}"
            );
            let line = listed(&app, "ana").await;
            assert!(
                line.contains("general")
                    && line.ends_with("shifts: mon-fri 09:00-17:00, sat-sun 10:00-14:00"),
                "{line}"
            );

            let typo = cli(&app, &["edit", "ana", "--shift", "mon-fry 09:00-17:00"])
                .await
                .expect_err("not a day");
            assert!(
                typo.to_string()
                    .contains("\"fry\" in \"mon-fry 09:00-17:00\" is not a day"),
                "{typo}"
            );
            let overnight = cli(&app, &["edit", "ana", "--shift", "fri 22:00-06:00"])
                .await
                .expect_err("past midnight");
            assert!(
                overnight.to_string().contains(
                    "split it into \"22:00-24:00\" on this day and \"00:00-06:00\" on the next day"
                ),
                "the flows' own message: {overnight}"
            );
            assert!(
                listed(&app, "ana").await.contains("mon-fri 09:00-17:00"),
                "a refused edit changes nothing"
            );
            let both = cli(
                &app,
                &["edit", "ana", "--shift", "mon 09:00-12:00", "--no-shifts"],
            )
            .await;
            assert!(both.is_err(), "--shift and --no-shifts conflict");

            let cleared = cli(&app, &["edit", "ana", "--no-shifts"])
                .await
                .expect("cleared");
            assert!(cleared.contains("no shifts"), "{cleared}");
            assert!(!listed(&app, "ana").await.contains("shifts"));
        },
    )
    .await;
}

#[tokio::test]
async fn the_queue_shows_who_is_due_on_shift_and_who_of_them_is_missing() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            // OPEN is Tuesday 1 December, 10:00 in New York, the default hotline's zone.
            let ana = add_staff(&app, "ana", Role::Operator, &["general"]).await;
            add_console_user(
                &app,
                "ben",
                Role::Operator,
                &["general", "victim_assistance"],
            )
            .await;
            add_staff(&app, "cleo", Role::Operator, &["general"]).await;
            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
            for (name, shift) in [
                ("ana", "mon-fri 09:00-17:00"),
                ("ben", "tue 08:00-12:00"),
                ("cleo", "sat-sun 08:00-16:00"),
            ] {
                cli(&app, &["edit", name, "--shift", shift])
                    .await
                    .expect("set");
            }
            ana.post(&app, "/api/v1/me/presence", json!({"available": true}))
                .await;

            let general = sam.queue_entry(&app, "general").await;
            assert_eq!(general["due"], json!(["ana", "ben"]), "{general}");
            assert_eq!(general["missing"], json!(["ben"]), "{general}");
            assert_eq!(general["available"], json!(["ana"]), "{general}");
            let specialists = sam.queue_entry(&app, "victim_assistance").await;
            assert_eq!(specialists["due"], json!(["ben"]), "{specialists}");
            assert_eq!(specialists["missing"], json!(["ben"]), "{specialists}");
            let records = sam.queue_entry(&app, "records_request").await;
            assert_eq!(records["due"], json!([]), "nobody works it: {records}");

            let ben = Console::sign_in(&app, "ben").await;
            let (status, page) = ben.get("/operator").await;
            assert_eq!(status, StatusCode::OK);
            assert!(page.contains("due on shift: ana, ben"), "{page}");
            assert!(
                page.contains("<li class=\"missing\"><strong>missing: ben</strong></li>"),
                "{page}"
            );

            // The supervisors' wallboard says who is expected and not there.
            let (_, board) = sam.get(&app, "/api/v1/wallboard").await;
            let general = board["categories"]
                .as_array()
                .and_then(|all| all.iter().find(|c| c["id"] == "general"))
                .unwrap_or_else(|| panic!("no general card: {board}"));
            assert_eq!(general["missing"], json!(["ben"]), "{board}");
            add_console_user(&app, "boss", Role::Supervisor, &[]).await;
            let boss = Console::sign_in(&app, "boss").await;
            let (_, wall) = boss.get("/operator/wallboard").await;
            assert!(wall.contains("On shift: ana, ben; missing: ben"), "{wall}");
        },
    )
    .await;
}

#[tokio::test]
async fn on_a_weekend_morning_the_weekend_shift_is_due() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    add_staff(&app, "ana", Role::Operator, &["general"]).await;
    let cleo = add_staff(&app, "cleo", Role::Operator, &["general"]).await;
    cli(&app, &["edit", "ana", "--shift", "mon-fri 09:00-17:00"])
        .await
        .expect("set");
    cli(&app, &["edit", "cleo", "--shift", "sat-sun 08:00-16:00"])
        .await
        .expect("set");
    let general = cleo.queue_entry(&app, "general").await;
    assert_eq!(general["due"], json!(["cleo"]), "{general}");
    assert_eq!(general["missing"], json!(["cleo"]), "{general}");
    cleo.post(&app, "/api/v1/me/presence", json!({"available": true}))
        .await;
    let general = cleo.queue_entry(&app, "general").await;
    assert_eq!(general["missing"], json!([]), "{general}");
}
