//! `hotline callbacks`: what an operator sees before the web console exists.

use hotline::cli::{CallbacksArgs, callbacks};

use crate::staff::leave_callback_request;
use crate::support::helpers::{AFTER_HOURS, CALLER, Options, TestApp, spawn_app};

fn args(app: &TestApp, json: bool, status: Option<&str>) -> CallbacksArgs {
    CallbacksArgs {
        status: status.map(str::to_string),
        json,
        database_url: format!("sqlite:{}", app.db_path.display()),
    }
}

#[tokio::test]
async fn json_lines_list_pending_requests_with_what_an_operator_needs() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let first = leave_callback_request(&app, "1", "2", "2", None).await;
    let second = leave_callback_request(&app, "2", "4", "2", None).await;
    let mut out = Vec::new();
    callbacks(&args(&app, true, Some("pending")), &mut out)
        .await
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["call_sid"], first.as_str());
    assert_eq!(lines[1]["call_sid"], second.as_str());
    assert_eq!(
        (lines[1]["category"].as_str(), lines[1]["language"].as_str()),
        (Some("community_relations"), Some("es"))
    );
    assert_eq!(lines[0]["status"], "pending");
    assert_eq!(lines[0]["phone_number"], CALLER);
    assert_eq!(lines[0]["safe_to_leave_message"], false);
    assert_eq!(lines[0]["incomplete"], false, "the caller finished");
    assert!(
        lines[0]["created_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-01T02:00:00")
    );

    let mut none = Vec::new();
    callbacks(&args(&app, true, Some("completed")), &mut none)
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn the_text_listing_masks_phone_numbers() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    leave_callback_request(&app, "1", "0", "2", None).await;
    let mut out = Vec::new();
    callbacks(&args(&app, false, None), &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("general"), "{text}");
    assert!(text.contains("NO MESSAGE"), "{text}");
    assert!(
        !text.contains("2025550123") && text.contains("+1********23"),
        "{text}"
    );
    assert!(text.ends_with("1 callback request(s)\n"), "{text}");
}

mod roster {
    use hotline::cli::{OperatorsArgs, OperatorsCommand, PasswordInput, operators};
    use hotline::operators::Role;
    use hotline::operators::credentials::verify_password;
    use reqwest::StatusCode;

    use crate::support::helpers::{AFTER_HOURS, Options, TestApp, shipped_flows, spawn_app};

    async fn run(app: &TestApp, command: OperatorsCommand, stdin: &str) -> anyhow::Result<String> {
        let args = OperatorsArgs {
            command,
            database_url: format!("sqlite:{}", app.db_path.display()),
            flows: shipped_flows(),
            secret: hotline::config::SecretArgs::for_tests(),
        };
        let mut input = stdin.as_bytes();
        let mut out = Vec::new();
        operators(&args, PasswordInput::Lines(&mut input), &mut out).await?;
        Ok(String::from_utf8(out).expect("utf-8"))
    }

    fn add(name: &str, role: Role, categories: &[&str]) -> OperatorsCommand {
        OperatorsCommand::Add {
            name: name.into(),
            role,
            categories: categories.iter().map(|c| c.to_string()).collect(),
            phone: Some("+15550001234".into()).filter(|_| name == "ana"),
        }
    }

    #[tokio::test]
    async fn staff_add_an_operator_set_a_password_issue_a_token_and_disable_them() {
        let app = spawn_app(Options::at(AFTER_HOURS)).await;
        let added = run(&app, add("ana", Role::Operator, &["general"]), "")
            .await
            .unwrap();
        assert!(
            added.contains("ana") && added.contains("general"),
            "{added}"
        );
        run(
            &app,
            OperatorsCommand::Passwd { name: "ana".into() },
            "a long passphrase\n",
        )
        .await
        .unwrap();
        let sign_in = app.store.sign_in("ana").await.unwrap().expect("ana exists");
        assert!(verify_password(
            "a long passphrase",
            sign_in.password_hash.as_deref()
        ));
        let phone = app.store.operator_by_phone("+15550001234").await.unwrap();
        assert_eq!(phone.map(|o| o.name).as_deref(), Some("ana"));

        let printed = run(
            &app,
            OperatorsCommand::Token {
                name: "ana".into(),
                label: "laptop".into(),
            },
            "",
        )
        .await
        .unwrap();
        let token = printed.lines().next().expect("the token line").to_string();
        let me = |token: String| {
            let request = app
                .client
                .get(format!("{}/api/v1/me", app.base))
                .bearer_auth(token);
            async move { request.send().await.unwrap().status() }
        };
        assert_eq!(me(token.clone()).await, StatusCode::OK);
        run(&app, OperatorsCommand::Disable { name: "ana".into() }, "")
            .await
            .unwrap();
        assert_eq!(
            me(token).await,
            StatusCode::UNAUTHORIZED,
            "a disabled operator's token stops working"
        );
        let listed = run(&app, OperatorsCommand::List, "").await.unwrap();
        assert!(listed.contains("(disabled)"), "{listed}");
    }

    #[tokio::test]
    async fn mistakes_are_refused_with_a_way_forward() {
        let app = spawn_app(Options::at(AFTER_HOURS)).await;
        let no_category = run(&app, add("ben", Role::Operator, &[]), "")
            .await
            .unwrap_err();
        assert!(
            no_category.to_string().contains("--category"),
            "{no_category}"
        );
        let typo = run(&app, add("ben", Role::Operator, &["genral"]), "")
            .await
            .unwrap_err();
        assert!(
            typo.to_string().contains("unknown category `genral`")
                && typo.to_string().contains("general")
        );
        run(&app, add("sam", Role::Supervisor, &[]), "")
            .await
            .unwrap();
        let short = run(
            &app,
            OperatorsCommand::Passwd { name: "sam".into() },
            "short\n",
        )
        .await
        .unwrap_err();
        assert!(short.to_string().contains("at least"), "{short}");
        let nobody = run(&app, OperatorsCommand::Pin { name: "zoe".into() }, "")
            .await
            .unwrap_err();
        assert!(
            nobody.to_string().contains("no operator named zoe"),
            "{nobody}"
        );
        let pin = run(&app, OperatorsCommand::Pin { name: "sam".into() }, "")
            .await
            .unwrap();
        let digits = pin.lines().next().unwrap();
        assert_eq!(digits.len(), 8);
        let by_pin = app
            .store
            .operator_by_pin(&crate::staff::pin_digest(digits))
            .await
            .unwrap();
        assert_eq!(by_pin.map(|o| o.name).as_deref(), Some("sam"));
    }
}

#[tokio::test]
async fn a_database_that_cannot_be_opened_is_named_without_its_password() {
    let secret = "postgres://hotline:s3cret-pw@127.0.0.1:1/hotline";
    let listing = CallbacksArgs {
        status: None,
        json: false,
        database_url: secret.to_string(),
    };
    let error = callbacks(&listing, &mut Vec::new())
        .await
        .expect_err("nothing listens on port 1");
    let message = format!("{error:#}");
    assert!(message.contains("127.0.0.1:1/hotline"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");

    let args = hotline::config::ServeArgs::for_tests(secret, "call_flows".into());
    let shown = format!("{args:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
}
