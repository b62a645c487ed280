//! The staff's block list through the API: a supervisor blocks a number and its next call
//! hears the flow's `[abuse]` message, other numbers and the flow file's list work as before,
//! unblocking or the expiry lets it through again, and no clear number is kept anywhere.

use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::staff::{Staff, add_staff};
use crate::support::console_client::{Console, add_console_user, location};
use crate::support::helpers::{
    OPEN, Options, TestApp, on_every_backend_app, shipped_flow_text, spawn_app,
};

const HARASSER: &str = "+12025550666";
const FILE_BLOCKED: &str = "+12025550999";
/// A minute after [`OPEN`], and the clock of a server started later.
const SOON: &str = "2026-12-01T15:01:00Z";
const LATER: &str = "2026-12-01T15:02:00Z";

const GUARD: &str = r#"
[abuse]
blocked = ["+12025550999"]
message.en = "This line cannot take your call now. If you are in danger, hang up and dial 9 1 1."
message.es = "Esta línea no puede atender su llamada ahora. Si está en peligro, cuelgue y marque el 9 1 1."
"#;

/// A flows folder whose flow has the `[abuse]` message.
fn guarded_flows() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    let text = format!("{}\n{GUARD}", shipped_flow_text());
    std::fs::write(dir.path().join("victim_hotline.toml"), text).expect("written");
    dir
}

/// Whether a call from `number` now is turned away with the abuse message.
async fn turned_away(app: &TestApp, number: &str) -> bool {
    let mut call = app.call(number);
    call.start().await;
    let refused = call.heard().contains("cannot take your call");
    assert_eq!(
        refused,
        call.twiml().child("Gather").is_none(),
        "{:?}",
        call.twiml()
    );
    refused
}

async fn delete(app: &TestApp, staff: &Staff, path: &str) -> StatusCode {
    let url = format!("{}{path}", app.base);
    let response = app
        .client
        .delete(url)
        .bearer_auth(&staff.token)
        .send()
        .await;
    response.expect("request sent").status()
}

#[tokio::test]
async fn a_blocked_number_hears_the_abuse_message_until_it_is_unblocked() {
    let flows = guarded_flows();
    let options = || Options {
        flows: flows.path().into(),
        ..Options::at(OPEN)
    };
    on_every_backend_app(options, |app| async move {
        let boss = add_staff(&app, "boss", Role::Supervisor, &[]).await;
        let ana = add_staff(&app, "ana", Role::Operator, &["general"]).await;
        let body = json!({"number": HARASSER, "reason": "threats to staff"});
        let (status, _) = ana.post(&app, "/api/v1/blocked", body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "operators cannot block");
        assert!(!turned_away(&app, HARASSER).await);

        let (status, block) = boss.post(&app, "/api/v1/blocked", body).await;
        assert_eq!(status, StatusCode::CREATED, "{block}");
        assert!(turned_away(&app, HARASSER).await, "{}", app.backend);
        let mut call = app.call(HARASSER);
        call.start().await;
        assert!(call.heard().contains("no puede") && call.twiml().child("Hangup").is_some());
        let steps = app.store.steps(&call.sid).await.expect("steps");
        assert_eq!(steps[0].outcome, "turned away: blocked by staff");
        assert!(
            !turned_away(&app, "+12025550777").await,
            "others get through"
        );
        assert!(
            turned_away(&app, FILE_BLOCKED).await,
            "the file's list still works"
        );
        assert!(
            !turned_away(&app, "+266696687").await,
            "withheld numbers never"
        );

        let (status, listed) = boss.get(&app, "/api/v1/blocked").await;
        assert_eq!(status, StatusCode::OK);
        let text = listed.to_string();
        assert!(!text.contains("2025550666"), "no clear number: {text}");
        assert_eq!(listed[0]["number"], "+1********66");
        assert_eq!(listed[0]["reason"], "threats to staff");
        assert_eq!(listed[0]["blocked_by"], "boss");
        assert_eq!(listed[0]["expires_at"], Value::Null);
        assert_eq!(
            ana.get(&app, "/api/v1/blocked").await.0,
            StatusCode::FORBIDDEN
        );

        let path = format!("/api/v1/blocked/{}", block["id"].as_str().expect("an id"));
        assert_eq!(delete(&app, &ana, &path).await, StatusCode::FORBIDDEN);
        assert_eq!(delete(&app, &boss, &path).await, StatusCode::NO_CONTENT);
        assert!(!turned_away(&app, HARASSER).await, "unblocked");
        assert_eq!(delete(&app, &boss, &path).await, StatusCode::NOT_FOUND);
        assert_eq!(boss.get(&app, "/api/v1/blocked").await.1, json!([]));

        let (_, audit) = boss.get(&app, "/api/v1/audit").await;
        let actions: Vec<&str> = audit
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert!(
            actions.contains(&"block_number") && actions.contains(&"unblock_number"),
            "{actions:?}"
        );
        assert!(!audit.to_string().contains("2025550666"), "{audit}");
    })
    .await;
}

#[tokio::test]
async fn a_block_in_the_past_is_refused_and_one_that_expired_does_nothing() {
    let flows = guarded_flows();
    let folder = flows.path().to_path_buf();
    let options = || Options {
        flows: folder.clone(),
        ..Options::at(OPEN)
    };
    on_every_backend_app(options, |app| {
        let folder = folder.clone();
        async move {
            let boss = add_staff(&app, "boss", Role::Supervisor, &[]).await;
            let refused = [
                json!({"number": HARASSER, "reason": "x", "expires_at": "2026-12-01T14:00:00Z"}),
                json!({"number": HARASSER, "reason": "x", "expires_at": "tomorrow"}),
                json!({"number": HARASSER, "reason": "  "}),
                json!({"number": HARASSER, "reason": "two\nlines"}),
                json!({"number": "202 555 0666", "reason": "x"}),
                json!({"number": "+266696687", "reason": "withheld"}),
            ];
            for body in refused {
                let (status, answer) = boss.post(&app, "/api/v1/blocked", body.clone()).await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
            }
            let body = json!({"number": HARASSER, "reason": "calls all night", "expires_at": SOON});
            let (status, block) = boss.post(&app, "/api/v1/blocked", body).await;
            assert_eq!(status, StatusCode::CREATED, "{block}");
            assert_eq!(block["expires_at"], SOON);
            assert!(turned_away(&app, HARASSER).await);

            let url = app.database_url.clone();
            let _kept = app.stop().await;
            let later = crate::support::helpers::spawn_app(Options {
                flows: folder,
                database_url: Some(url),
                ..Options::at(LATER)
            })
            .await;
            assert!(!turned_away(&later, HARASSER).await, "the block expired");
            assert_eq!(boss.get(&later, "/api/v1/blocked").await.1, json!([]));
            let body = json!({"number": "+12025550777", "reason": "still at it"});
            assert_eq!(
                boss.post(&later, "/api/v1/blocked", body).await.0,
                StatusCode::CREATED
            );
            let now = LATER
                .parse::<jiff::Timestamp>()
                .expect("a time")
                .as_millisecond();
            let cutoffs = hotline::store::Cutoffs {
                expired_blocks: Some(now),
                ..Default::default()
            };
            // The server purges at start too: between the two, the expired block went once.
            later.store.purge(&cutoffs, now).await.expect("purged");
            let records = later.store.purges(50).await.expect("purges");
            let gone: i64 = records
                .iter()
                .filter(|(_, class, _)| class == "expired_blocks")
                .map(|(_, _, rows)| rows)
                .sum();
            assert_eq!(gone, 1, "the expired block goes, the one in force stays");
            assert_eq!(
                boss.get(&later, "/api/v1/blocked")
                    .await
                    .1
                    .as_array()
                    .map(Vec::len),
                Some(1)
            );
        }
    })
    .await;
}

#[tokio::test]
async fn the_database_keeps_no_clear_number_of_a_block() {
    let flows = guarded_flows();
    let app = crate::support::helpers::spawn_app(Options {
        flows: flows.path().into(),
        ..Options::at(OPEN)
    })
    .await;
    let boss = add_staff(&app, "boss", Role::Supervisor, &[]).await;
    let body = json!({"number": "+14155550188", "reason": "harassment"});
    assert_eq!(
        boss.post(&app, "/api/v1/blocked", body).await.0,
        StatusCode::CREATED
    );
    let (_dir, db_path) = app.stop().await;
    let mut bytes = std::fs::read(&db_path).expect("the database file");
    let wal = db_path.with_extension("db-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("harassment"),
        "the block was written to these files"
    );
    assert!(
        !text.contains("4155550188"),
        "the clear number is in the database"
    );
}

#[tokio::test]
async fn a_supervisor_blocks_and_unblocks_a_number_from_the_console() {
    let flows = guarded_flows();
    let app = spawn_app(Options {
        flows: flows.path().into(),
        ..Options::at(OPEN)
    })
    .await;
    add_console_user(&app, "sue", Role::Supervisor, &[]).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    let sue = Console::sign_in(&app, "sue").await;
    let (status, page) = sue.get("/operator/blocked").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("No number is blocked"), "{page}");

    let fields = [("number", "12345"), ("reason", "threats"), ("days", "7")];
    let refused = sue
        .submit("/operator/blocked", "/operator/blocked", &fields)
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("E.164"));

    let fields = [
        ("number", HARASSER),
        ("reason", "threats to staff"),
        ("days", "7"),
    ];
    let blocked = sue
        .submit("/operator/blocked", "/operator/blocked", &fields)
        .await;
    assert_eq!(
        location(blocked.headers()),
        "/operator/blocked?done=blocked"
    );
    let (_, page) = sue.get("/operator/blocked?done=blocked").await;
    assert!(
        page.contains("threats to staff") && page.contains("+1********66"),
        "{page}"
    );
    assert!(
        !page.contains("2025550666"),
        "only the masked number is shown"
    );
    assert!(
        turned_away(&app, HARASSER).await,
        "blocked from the next call"
    );

    let start = page.find("/operator/blocked/").expect("an unblock form");
    let action: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let unblocked = sue.submit("/operator/blocked", &action, &[]).await;
    assert_eq!(
        location(unblocked.headers()),
        "/operator/blocked?done=unblocked"
    );
    assert!(
        !turned_away(&app, HARASSER).await,
        "the next call goes through"
    );

    let ana = Console::sign_in(&app, "ana").await;
    let (status, _) = ana.get("/operator/blocked").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "supervisors only");
}
