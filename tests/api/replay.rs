//! Replayed webhooks: every request of finished calls, captured byte for byte with its valid
//! signature and sent again, in order and backwards, after an operator has worked the caller's
//! request. Each replay gets its original answer, and the database does not change.

use hotline::http::signature::expected_signature;
use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::staff::{add_staff, request_id_of};
use crate::support::helpers::{
    CALLER, HOTLINE_NUMBER, OPEN, Options, TestApp, WEEKEND_MORNING, spawn_app,
};
use crate::support::xml::Element;

/// One webhook exactly as it went over the wire.
struct Wire {
    url: String,
    body: String,
    signature: String,
}

/// A webhook sent and what the server answered.
struct Captured {
    wire: Wire,
    status: StatusCode,
    answer: String,
}

/// Plays the provider for one call and keeps every request it sent.
struct Provider<'a> {
    app: &'a TestApp,
    sid: String,
    sent: Vec<Captured>,
}

impl<'a> Provider<'a> {
    fn new(app: &'a TestApp, sid: &str) -> Provider<'a> {
        Provider {
            app,
            sid: sid.to_string(),
            sent: Vec::new(),
        }
    }

    /// Sends a webhook for this call to `url` and returns its TwiML (if any).
    async fn send(&mut self, url: &str, extra: &[(&str, &str)]) -> Option<Element> {
        let mut params = vec![
            ("CallSid".to_string(), self.sid.clone()),
            ("From".to_string(), CALLER.to_string()),
            ("To".to_string(), HOTLINE_NUMBER.to_string()),
        ];
        params.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let token = self.app.token.as_ref().expect("signed");
        let wire = Wire {
            url: url.to_string(),
            body: form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&params)
                .finish(),
            signature: expected_signature(token, url, &params),
        };
        let (status, answer) = deliver(self.app, &wire).await;
        assert!(status.is_success(), "{url}: {status} {answer}");
        let twiml = (!answer.is_empty()).then(|| Element::parse(&answer));
        self.sent.push(Captured {
            wire,
            status,
            answer,
        });
        twiml
    }

    /// Follows `attr` of the first `verb` in `twiml` (or its text when `attr` is `None`).
    async fn follow(
        &mut self,
        twiml: &Element,
        verb: &str,
        attr: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Option<Element> {
        let element = twiml.find_all(verb)[0];
        let url = match attr {
            Some(attr) => element.attr(attr).expect("the attribute").to_string(),
            None => element.text.trim().to_string(),
        };
        self.send(&url, extra).await
    }

    async fn end(&mut self) {
        let url = format!("{}/voice/status", self.app.base);
        let extra = [
            ("CallStatus", "completed"),
            ("CallDuration", "95"),
            ("SequenceNumber", "3"),
        ];
        self.send(&url, &extra).await;
    }
}

/// Sends exactly these bytes with exactly this signature.
async fn deliver(app: &TestApp, request: &Wire) -> (StatusCode, String) {
    let response = app
        .client
        .post(&request.url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", &request.signature)
        .body(request.body.clone())
        .send()
        .await
        .expect("request sent");
    let status = response.status();
    let body = response.text().await.expect("body");
    // The writes the answer did not wait for are read next.
    app.store.flush().await.expect("queued writes committed");
    (status, body)
}

/// Every row of every table that holds calls and their handling, as text. The purge log is
/// left out: the server purges once at start and then hourly on a timer of its own, so its
/// rows may appear between the two reads whatever the replays do.
async fn everything(app: &TestApp) -> Vec<String> {
    let mut db = app.raw_db().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "select name from sqlite_master where type = 'table' and name != 'purges' order by name",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    let mut rows = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar("select name from pragma_table_info(?)")
            .bind(&table)
            .fetch_all(&mut db)
            .await
            .unwrap();
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        // The names come from the database's own catalogue, not from outside.
        let query = format!("select '{table}|' || {row} from \"{table}\" order by 1");
        let table_rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(query))
            .fetch_all(&mut db)
            .await
            .unwrap();
        rows.extend(table_rows);
    }
    rows
}

/// Replays every captured request, in order and then backwards: each gets its first answer,
/// and nothing in the database changes.
async fn replay_all(app: &TestApp, sent: &[Captured]) {
    let before = everything(app).await;
    for table in ["calls|", "call_steps|"] {
        assert!(
            before.iter().any(|row| row.starts_with(table)),
            "{table} {before:#?}"
        );
    }
    for request in sent.iter().chain(sent.iter().rev()) {
        let (status, answer) = deliver(app, &request.wire).await;
        assert_eq!(status, request.status, "{}", request.wire.url);
        assert_eq!(answer, request.answer, "{}", request.wire.url);
    }
    let after = everything(app).await;
    let changed: Vec<_> = after.iter().filter(|row| !before.contains(row)).collect();
    assert!(changed.is_empty(), "replays changed rows: {changed:#?}");
    assert_eq!(before.len(), after.len());
}

#[tokio::test]
async fn replaying_a_callers_webhooks_after_their_request_was_worked_changes_nothing() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let mut provider = Provider::new(&app, "CA0000000000000000000000000000replay");
    let url = format!("{}/voice/incoming", app.base);
    let mut twiml = provider.send(&url, &[]).await.unwrap();
    for key in ["1", "2", "1", "2", "4"] {
        let digits = [("Digits", key)];
        twiml = provider
            .follow(&twiml, "Gather", Some("action"), &digits)
            .await
            .unwrap();
    }
    let recording = [
        ("RecordingUrl", "https://api.example.com/rec/RE5"),
        ("RecordingDuration", "9"),
        ("Digits", "#"),
    ];
    let saved = provider
        .follow(&twiml, "Record", Some("action"), &recording)
        .await;
    let saved = saved.unwrap().all_text();
    assert!(saved.contains("has been saved"), "{saved}");
    provider.end().await;

    let id = request_id_of(&app, &provider.sid).await;
    let ana = add_staff(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    let claim = format!("/api/v1/callbacks/{id}/claim");
    assert_eq!(ana.post(&app, &claim, json!({})).await.0, StatusCode::OK);
    let complete = format!("/api/v1/callbacks/{id}/complete");
    let done = json!({"outcome": "reached"});
    assert_eq!(ana.post(&app, &complete, done).await.0, StatusCode::OK);

    replay_all(&app, &provider.sent).await;
    let requests = app
        .store
        .callback_requests(&Default::default())
        .await
        .unwrap();
    assert_eq!(requests.len(), 1, "no second request");
    assert_eq!(requests[0].status.as_str(), "completed", "not reopened");
    let call = app.store.call(&provider.sid).await.unwrap().unwrap();
    assert_eq!(call.status, "completed", "the call stays ended");
}

#[tokio::test]
async fn replaying_a_queued_callers_webhooks_changes_nothing() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut provider = Provider::new(&app, "CA0000000000000000000000000000queued");
    let url = format!("{}/voice/incoming", app.base);
    let mut twiml = provider.send(&url, &[]).await.unwrap();
    for key in ["1", "2"] {
        let digits = [("Digits", key)];
        twiml = provider
            .follow(&twiml, "Gather", Some("action"), &digits)
            .await
            .unwrap();
    }
    for (position, waited) in [("3", "20"), ("1", "140")] {
        let poll = [("QueuePosition", position), ("QueueTime", waited)];
        provider
            .follow(&twiml, "Enqueue", Some("waitUrl"), &poll)
            .await;
    }
    let bridged = [("QueueResult", "bridged"), ("QueueTime", "150")];
    provider
        .follow(&twiml, "Enqueue", Some("action"), &bridged)
        .await;
    provider.end().await;
    let stays = app.store.queue_entries(&provider.sid).await.unwrap();
    assert_eq!(stays.len(), 1, "{stays:?}");

    replay_all(&app, &provider.sent).await;
    assert_eq!(app.store.queue_entries(&provider.sid).await.unwrap(), stays);
}
