//! Start-up and the life of a server: which hotline answers which number, refusing unsafe
//! exposure, and calls that survive a restart.

use hotline::app::Application;
use hotline::config::ServeArgs;

use crate::support::helpers::{
    AFTER_HOURS, CALLER, OPEN, Options, shipped_flows, spawn_app, spawn_app_on,
};

fn reference() -> String {
    std::fs::read_to_string(shipped_flows().join("victim_hotline.toml")).unwrap()
}

#[tokio::test]
async fn each_number_reaches_its_own_hotline_and_unknown_numbers_the_default() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("victim_hotline.toml"), reference()).unwrap();
    let second = reference()
        .replace(
            "numbers = [\"+18005550100\"]",
            "numbers = [\"+1 (888) 555-0177\"]",
        )
        .replace("default = true", "default = false")
        .replace(
            "Thank you for calling the National Victim Assistance Line.",
            "Thank you for calling the Benefits Line.",
        );
    std::fs::write(dir.path().join("benefits_line.toml"), second).unwrap();
    let app = spawn_app(Options {
        flows: dir.path().to_path_buf(),
        ..Options::at(OPEN)
    })
    .await;
    let url = format!("{}/voice/incoming", app.base);
    for (to, expected, hotline) in [
        ("+18885550177", "Benefits Line", "benefits_line"),
        (
            "+18005550100",
            "National Victim Assistance Line",
            "victim_hotline",
        ),
        (
            "+15555550000",
            "National Victim Assistance Line",
            "victim_hotline",
        ),
    ] {
        let sid = format!("CA{}", to.trim_start_matches('+'));
        let response = app
            .post(
                &url,
                &[("CallSid", sid.as_str()), ("From", CALLER), ("To", to)],
            )
            .await;
        assert!(response.text().await.unwrap().contains(expected), "{to}");
        assert_eq!(
            app.store.call(&sid).await.unwrap().unwrap().hotline,
            hotline
        );
    }
}

#[tokio::test]
async fn two_hotlines_both_marked_default_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), reference()).unwrap();
    std::fs::write(dir.path().join("b.toml"), reference()).unwrap();
    let args = ServeArgs::for_tests("sqlite::memory:", dir.path().to_path_buf());
    let error = Application::build(&args)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(error.contains("are all marked `default = true`"), "{error}");
}

#[tokio::test]
async fn a_public_address_without_an_auth_token_or_public_url_is_refused() {
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", db.path().join("h.db").display());
    let mut args = ServeArgs::for_tests(&url, shipped_flows());
    args.bind = "0.0.0.0:0".parse().unwrap();
    let error = Application::build(&args)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        error.contains("refusing to accept unsigned webhooks"),
        "{error}"
    );
    // A token of spaces is no token.
    args.twilio_auth_token = Some("   ".into());
    let error = Application::build(&args)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        error.contains("refusing to accept unsigned webhooks"),
        "{error}"
    );
    args.twilio_auth_token = Some("secret".into());
    let error = Application::build(&args)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(error.contains("--public-url"), "{error}");
    args.public_url = Some("https://hotline.example.org".into());
    assert!(Application::build(&args).await.is_ok());
}

#[tokio::test]
async fn a_call_continues_on_a_restarted_server() {
    let first = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = first.call(CALLER);
    call.start().await;
    call.press("2").await;
    call.press("1").await;
    let path = call
        .twiml()
        .child("Gather")
        .unwrap()
        .attr("action")
        .unwrap()
        .replace(&first.base, "");
    let sid = call.sid.clone();
    drop(call);
    let (dir, db_path) = first.stop().await;

    let second = spawn_app_on(Options::at(AFTER_HOURS), &db_path).await;
    let mut call = second.call(CALLER);
    call.sid = sid;
    call.send(&format!("{}{path}", second.base), &[("Digits", "2")])
        .await;
    assert!(
        call.heard().contains("marque el número de teléfono"),
        "{}",
        call.heard()
    );
    let steps = second.store.steps(&call.sid).await.unwrap();
    assert!(
        steps.iter().any(|s| s.node == "language")
            && steps.iter().any(|s| s.node == "collect_number")
    );
    drop(dir);
}

#[tokio::test]
async fn a_second_server_on_the_same_sqlite_file_is_refused_and_pointed_to_postgres() {
    let first = spawn_app(Options::at(OPEN)).await;
    let url = format!("sqlite:{}", first.db_path.display());
    let args = ServeArgs::for_tests(&url, shipped_flows());
    let Err(error) = Application::build(&args).await else {
        panic!("a second server on one SQLite file must not start");
    };
    let message = format!("{error:#}");
    assert!(
        message.contains("already using") && message.contains("PostgreSQL"),
        "{message}"
    );
    // The command-line tools may still read and change the file while it is served.
    let store = hotline::store::open::connect(&url)
        .await
        .expect("a tool opens the file");
    assert!(store.operators().await.expect("readable").is_empty());
    let (_dir, db_path) = first.stop().await;
    let again = ServeArgs::for_tests(&format!("sqlite:{}", db_path.display()), shipped_flows());
    assert!(
        Application::build(&again).await.is_ok(),
        "the file is free once the server stops"
    );
}

#[tokio::test]
async fn a_sqlite_server_keeps_its_secret_in_a_private_file_beside_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("line.db");
    let mut args = ServeArgs::for_tests(&format!("sqlite:{}", db.display()), shipped_flows());
    args.secret = hotline::config::SecretArgs::default();
    let app = Application::build(&args)
        .await
        .expect("starts with no secret set");
    let key_file = dir.path().join("line.db.key");
    let text = std::fs::read_to_string(&key_file).expect("the key file was created");
    assert_eq!(text.trim().len(), 64, "32 random bytes in hex");
    drop(app);
    Application::build(&args).await.expect("starts again");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), text, "kept");
}

#[tokio::test]
async fn a_postgres_server_without_a_shared_secret_is_refused_with_the_setting_to_use() {
    let Some(pg) = crate::support::backends::postgres().await else {
        return;
    };
    let mut args = ServeArgs::for_tests(&pg.url, shipped_flows());
    args.secret = hotline::config::SecretArgs::default();
    let Err(error) = Application::build(&args).await else {
        panic!("instances that do not share a secret cannot continue each other's calls");
    };
    let message = format!("{error:#}");
    assert!(message.contains("HOTLINE_SECRET_KEY"), "{message}");
    args.secret.secret_key = Some("  ".repeat(20));
    let message = format!(
        "{:#}",
        Application::build(&args).await.err().expect("refused")
    );
    assert!(message.contains("32 characters"), "{message}");
}
