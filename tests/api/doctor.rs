//! `hotline doctor` run as the built binary against a real server and the provider's API
//! emulator: all well when the set-up is right, and a failing line with exit status 1 for a
//! wrong token, a wrong public URL, a number that points elsewhere and a schema that is behind.

use std::process::{Command, Output};

use crate::support::backends;
use crate::support::helpers::{HOTLINE_NUMBER, OPEN, Options, TOKEN, TestApp, spawn_app};
use crate::support::provider_api::{ACCOUNT, KEY, ProviderApi, SECRET};

/// Where doctor is pointed: everything `serve` would be given.
struct Setup<'a> {
    database_url: String,
    flows: std::path::PathBuf,
    public_url: String,
    token: &'a str,
    provider: Option<&'a ProviderApi>,
}

impl<'a> Setup<'a> {
    /// The settings the server itself runs with.
    fn of(app: &TestApp, provider: Option<&'a ProviderApi>) -> Setup<'a> {
        Setup {
            database_url: app.database_url.clone(),
            flows: crate::support::helpers::shipped_flows(),
            public_url: app.base.clone(),
            token: TOKEN,
            provider,
        }
    }
}

/// Runs the binary with the settings as variables, the way a deployment sets them, off the
/// test's runtime so the in-process server keeps answering meanwhile.
async fn doctor(setup: &Setup<'_>) -> (Output, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hotline"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("HOTLINE_")) {
        command.env_remove(name);
    }
    command
        .arg("doctor")
        .env("HOTLINE_DATABASE_URL", &setup.database_url)
        .env("HOTLINE_FLOWS", &setup.flows)
        .env("HOTLINE_PUBLIC_URL", &setup.public_url)
        .env("HOTLINE_TWILIO_AUTH_TOKEN", setup.token)
        .env(
            "HOTLINE_SECRET_KEY",
            "a test secret that is long enough to be one",
        );
    if let Some(api) = setup.provider {
        command
            .env("HOTLINE_TWILIO_API_URL", &api.url)
            .env("HOTLINE_TWILIO_ACCOUNT_SID", ACCOUNT)
            .env("HOTLINE_TWILIO_API_KEY", KEY)
            .env("HOTLINE_TWILIO_API_SECRET", SECRET);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the doctor ran")
        .expect("the binary started");
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8 output");
    eprintln!("{stdout}");
    (output, stdout)
}

/// The line of `topic` (`database`, `webhook`, …), which must be there.
fn line<'a>(stdout: &'a str, topic: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l[6.min(l.len())..].starts_with(&format!("{topic}:")))
        .unwrap_or_else(|| panic!("no {topic} line in:\n{stdout}"))
}

/// An emulated account whose hotline number points where the README says, at `app`.
async fn provider_for(app: &TestApp) -> ProviderApi {
    let api = ProviderApi::start(None).await;
    api.add_number(
        HOTLINE_NUMBER,
        &format!("{}/voice/incoming", app.base),
        &format!("{}/voice/status", app.base),
    );
    api
}

#[tokio::test]
async fn a_set_up_as_the_readme_says_passes_every_check_and_records_no_call() {
    let app = spawn_app(Options::at(OPEN)).await;
    let api = provider_for(&app).await;
    let (output, stdout) = doctor(&Setup::of(&app, Some(&api))).await;
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "one line per check:\n{stdout}");
    assert!(lines.iter().all(|l| l.starts_with("ok    ")), "{stdout}");
    assert!(line(&stdout, "database").contains("schema current"));
    assert!(line(&stdout, "webhook").contains("answered a signed call with TwiML"));
    assert!(line(&stdout, "number").contains(HOTLINE_NUMBER));
    for secret in [TOKEN, SECRET] {
        assert!(!stdout.contains(secret), "a secret was printed:\n{stdout}");
    }
    let calls: i64 = sqlx::query_scalar("select count(*) from calls")
        .fetch_one(&mut app.raw_db().await)
        .await
        .expect("calls counted");
    assert_eq!(calls, 0, "the check call was recorded as a call");
}

#[tokio::test]
async fn a_token_that_differs_from_the_servers_fails_with_exit_status_1() {
    let app = spawn_app(Options::at(OPEN)).await;
    let setup = Setup {
        token: "not-the-servers-token",
        ..Setup::of(&app, None)
    };
    let (output, stdout) = doctor(&setup).await;
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let webhook = line(&stdout, "webhook");
    assert!(webhook.starts_with("FAIL  "), "{webhook}");
    assert!(
        webhook.contains("answered 403: the auth token differs"),
        "{webhook}"
    );
    assert!(
        !stdout.contains("not-the-servers-token"),
        "the token was printed"
    );
}

#[tokio::test]
async fn a_public_url_that_does_not_lead_to_the_server_fails() {
    let app = spawn_app(Options::at(OPEN)).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let nobody = format!("http://{}", closed.local_addr().expect("its address"));
    drop(closed);
    let cases = [
        (format!("{}/hotline", app.base), "answered 404"),
        (nobody, "the connection failed"),
    ];
    for (public_url, why) in cases {
        let setup = Setup {
            public_url,
            ..Setup::of(&app, None)
        };
        let (output, stdout) = doctor(&setup).await;
        assert_eq!(output.status.code(), Some(1), "{stdout}");
        let webhook = line(&stdout, "webhook");
        assert!(
            webhook.starts_with("FAIL  ") && webhook.contains(why),
            "{webhook}"
        );
    }
}

#[tokio::test]
async fn a_number_whose_voice_url_points_elsewhere_fails() {
    let app = spawn_app(Options::at(OPEN)).await;
    let api = ProviderApi::start(None).await;
    api.add_number(
        HOTLINE_NUMBER,
        "https://old-host.example.org/voice/incoming",
        &format!("{}/voice/status", app.base),
    );
    let (output, stdout) = doctor(&Setup::of(&app, Some(&api))).await;
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let number = line(&stdout, "number");
    assert!(number.starts_with("FAIL  "), "{number}");
    assert!(
        number.contains("voice URL is https://old-host.example.org/voice/incoming, expected"),
        "{number}"
    );
    assert!(line(&stdout, "webhook").starts_with("ok    "), "{stdout}");
}

#[tokio::test]
async fn a_number_the_account_lacks_or_a_status_callback_left_empty_fails() {
    let app = spawn_app(Options::at(OPEN)).await;
    let api = ProviderApi::start(None).await;
    let (_, stdout) = doctor(&Setup::of(&app, Some(&api))).await;
    assert!(
        line(&stdout, "number").contains("the account has no such number"),
        "{stdout}"
    );
    api.add_number(HOTLINE_NUMBER, &format!("{}/voice/incoming", app.base), "");
    let (output, stdout) = doctor(&Setup::of(&app, Some(&api))).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        line(&stdout, "number").contains("no status callback is set"),
        "{stdout}"
    );
}

#[tokio::test]
async fn flows_that_fail_flows_check_fail_and_their_numbers_are_not_checked() {
    let app = spawn_app(Options::at(OPEN)).await;
    let api = provider_for(&app).await;
    let dir = tempfile::tempdir().expect("a flows folder");
    let broken = crate::support::helpers::shipped_flow_text().replace(
        "[categories.custody_status]",
        "[categories.custody_status]\nnope = 1",
    );
    std::fs::write(dir.path().join("victim_hotline.toml"), broken).expect("the flow written");
    let setup = Setup {
        flows: dir.path().to_path_buf(),
        ..Setup::of(&app, Some(&api))
    };
    let (output, stdout) = doctor(&setup).await;
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let flows = line(&stdout, "flows");
    assert!(
        flows.starts_with("FAIL  ") && flows.contains("hotline flows check"),
        "{flows}"
    );
    assert!(line(&stdout, "numbers").starts_with("skip  "), "{stdout}");
}

#[tokio::test]
async fn a_schema_that_is_behind_fails_and_is_left_as_it_was() {
    let app = spawn_app(Options::at(OPEN)).await;
    sqlx::query("delete from _sqlx_migrations where version = 15")
        .execute(&mut app.raw_db().await)
        .await
        .expect("a migration forgotten");
    let (output, stdout) = doctor(&Setup::of(&app, None)).await;
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let database = line(&stdout, "database");
    assert!(database.starts_with("FAIL  "), "{database}");
    assert!(
        database.contains(&format!(
            "1 of {} migrations not applied (0015)",
            shipped_migrations()
        )),
        "{database}"
    );

    let dir = tempfile::tempdir().expect("a folder");
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").expect("an empty file");
    let setup = Setup {
        database_url: format!("sqlite:{}", empty.display()),
        ..Setup::of(&app, None)
    };
    let (_, stdout) = doctor(&setup).await;
    assert!(
        line(&stdout, "database").contains(&format!(
            "{n} of {n} migrations not applied",
            n = shipped_migrations()
        )),
        "{stdout}"
    );
    let size = std::fs::metadata(&empty).expect("the file").len();
    assert_eq!(size, 0, "doctor changed the database it checked");
}

#[tokio::test]
async fn a_current_postgres_schema_passes_without_showing_its_password() {
    let Some(backend) = backends::postgres().await else {
        return;
    };
    drop(backend.open().await);
    let app = spawn_app(Options::at(OPEN)).await;
    let with_password = backend.url.replacen(
        "postgres://postgres@",
        "postgres://postgres:hunter2-secret@",
        1,
    );
    let setup = Setup {
        database_url: with_password,
        ..Setup::of(&app, None)
    };
    let (_, stdout) = doctor(&setup).await;
    let database = line(&stdout, "database");
    assert!(database.starts_with("ok    "), "{database}");
    assert!(database.contains("schema current"), "{database}");
    assert!(
        !stdout.contains("hunter2-secret"),
        "the password was printed"
    );
}

/// How many migrations the repository ships, so the expected counts follow new ones.
fn shipped_migrations() -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    std::fs::read_dir(dir).expect("the migrations").count()
}
