//! The staff's block list across two real server processes on one PostgreSQL database: each
//! instance answers new calls from a copy of the list, and a block or an unblock made through
//! one instance reaches the other's copy within a second; while an instance cannot hear of
//! changes, it looks every caller up instead, so a block is never missed for a stale copy.

use std::time::{Duration, Instant};

use hotline::store::open::connect;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::instances::webhook;
use crate::support::backends::postgres;
use crate::support::helpers::HOTLINE_NUMBER;
use crate::support::pg_admin::{Admin, add_supervisor};
use crate::support::server_process::{PUBLIC, ServerProcess};

const HARASSER: &str = "+12025550666";
/// How soon another instance must act on a block: the console's promise for its changes.
const PROMPTLY: Duration = Duration::from_secs(1);

/// Whether a new call from `from` to `instance` is turned away (hung up on before any menu).
async fn turned_away(instance: &ServerProcess, from: &str) -> bool {
    let sid = format!("CA{}", uuid::Uuid::now_v7().simple());
    let params = [
        ("CallSid", sid.as_str()),
        ("From", from),
        ("To", HOTLINE_NUMBER),
    ];
    let twiml = webhook(instance, &format!("{PUBLIC}/voice/incoming"), &params).await;
    let refused = twiml.find_all("Gather").is_empty();
    assert_eq!(refused, !twiml.find_all("Hangup").is_empty(), "{twiml:?}");
    refused
}

/// How long until calls to `instance` from the harasser are turned away (`refused`) or let in;
/// panics when that takes longer than [`PROMPTLY`].
async fn settles(instance: &ServerProcess, refused: bool) -> Duration {
    let began = Instant::now();
    while turned_away(instance, HARASSER).await != refused {
        let waited = began.elapsed();
        assert!(
            waited < PROMPTLY,
            "still not refused={refused} after {waited:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    began.elapsed()
}

/// Blocks the harasser through `instance`; the block's id.
async fn block(instance: &ServerProcess, token: &str) -> String {
    let response = crate::support::new_client()
        .post(format!("{}/api/v1/blocked", instance.base))
        .bearer_auth(token)
        .json(&json!({"number": HARASSER, "reason": "threats to staff"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    let block: Value = response.json().await.expect("json");
    block["id"].as_str().expect("an id").to_string()
}

async fn unblock(instance: &ServerProcess, token: &str, id: &str) {
    let response = crate::support::new_client()
        .delete(format!("{}/api/v1/blocked/{id}", instance.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_block_through_one_instance_turns_callers_away_on_the_other() {
    let Some(database) = postgres().await else {
        return;
    };
    let mut admin = Admin::connect(&database).await;
    let pair = [
        ServerProcess::start(&database.url),
        ServerProcess::start(&database.url),
    ];
    let store = connect(&database.url).await.expect("the database opens");
    let token = add_supervisor(&*store, "sam").await;
    let (a, b) = (&pair[0], &pair[1]);

    // B's first call starts its listener; once it listens, its next call reads the copy.
    assert!(!turned_away(b, HARASSER).await);
    admin.wait_for_listeners(1, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!turned_away(b, "+12025550777").await);

    let id = block(a, &token).await;
    let refused = settles(b, true).await;
    assert!(!turned_away(b, "+12025550777").await, "others get through");
    unblock(a, &token, &id).await;
    let let_in = settles(b, false).await;
    eprintln!("B acted on A's block after {refused:?}, on its unblock after {let_in:?}");

    // Without a listener B cannot hear of A's changes, so it trusts no copy.
    admin.cut_listeners(true).await;
    admin.wait_for_listeners(0, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!turned_away(b, HARASSER).await);
    block(a, &token).await;
    assert!(
        turned_away(b, HARASSER).await,
        "the first call after the block, with nothing heard of it"
    );
    admin.allow_connections(true).await;
}
