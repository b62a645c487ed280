//! Two real `hotline serve` processes on one PostgreSQL database, behind a pretend load
//! balancer: a call whose webhooks alternate between them, retries landing on the other one,
//! operators racing to claim one request through both, and operators on the operator line of
//! each, where a request is dialled once and its attempt counted once.

use hotline::http::signature::{AuthToken, expected_signature};
use hotline::operators::Role;
use hotline::operators::credentials::{digest, new_token};
use hotline::store::open::connect;
use hotline::store::{CallbackFilter, NewOperator, Store};
use reqwest::StatusCode;

use crate::support::backends::postgres;
use crate::support::helpers::{CALLER, HOTLINE_NUMBER, TOKEN};
// The address the provider calls stands for the load balancer in front of both instances.
use crate::support::server_process::{PUBLIC, ServerProcess, pin_digest};
use crate::support::xml::Element;

/// Sends a webhook to `instance` for a URL the provider was given under the public address.
pub(crate) async fn webhook(
    instance: &ServerProcess,
    url: &str,
    params: &[(&str, &str)],
) -> Element {
    let owned: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let signature = expected_signature(&AuthToken::new(TOKEN.into()), url, &owned);
    let actual = url.replacen(PUBLIC, &instance.base, 1);
    let response = crate::support::new_client()
        .post(actual)
        .header("X-Twilio-Signature", signature)
        .form(&owned)
        .send()
        .await
        .expect("the instance answers");
    assert_eq!(response.status(), StatusCode::OK);
    Element::parse(&response.text().await.expect("a body"))
}

fn gather_action(twiml: &Element) -> String {
    let gather = twiml
        .find_all("Gather")
        .into_iter()
        .next()
        .expect("a gather");
    gather.attr("action").expect("an action").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_serve_one_call_and_one_claim_as_one_system() {
    let Some(database) = postgres().await else {
        return;
    };
    let pair = [
        ServerProcess::start(&database.url),
        ServerProcess::start(&database.url),
    ];
    let sid = "CA-two-instances";
    let base = [("CallSid", sid), ("From", CALLER), ("To", HOTLINE_NUMBER)];
    let with = |extra: &[(&'static str, &'static str)]| -> Vec<(&'static str, &'static str)> {
        base.iter().chain(extra).copied().collect()
    };

    // Each step of the call lands on the other instance; the digits are retried on both.
    let mut twiml = webhook(&pair[0], &format!("{PUBLIC}/voice/incoming"), &with(&[])).await;
    let keys = ["1", "2", "1", "2", "4"];
    for (i, key) in keys.into_iter().enumerate() {
        let url = gather_action(&twiml);
        let digits = [("Digits", key)];
        twiml = webhook(&pair[(i + 1) % 2], &url, &with(&digits)).await;
        let retried = webhook(&pair[i % 2], &url, &with(&digits)).await;
        assert_eq!(
            retried, twiml,
            "a retry on the other instance answers the same"
        );
    }
    let record = twiml
        .find_all("Record")
        .into_iter()
        .next()
        .expect("asked for a message");
    let url = record.attr("action").expect("record action").to_string();
    let recording = [
        ("RecordingUrl", "https://rec.example/RE2"),
        ("RecordingDuration", "9"),
    ];
    let saved = webhook(&pair[1], &url, &with(&recording)).await;
    assert!(saved.all_text().contains("saved") || saved.all_text().contains("call you back"));

    let store = connect(&database.url).await.expect("the database opens");
    let requests = store
        .callback_requests(&CallbackFilter::default())
        .await
        .expect("list");
    assert_eq!(requests.len(), 1, "one request, whatever instance saved it");
    let steps = store.steps(sid).await.expect("steps");
    let mut seqs: Vec<i64> = steps.iter().map(|s| s.seq).collect();
    seqs.dedup();
    assert_eq!(seqs.len(), steps.len(), "retries wrote no step twice");

    claim_race(&pair, &*store, &requests[0].id).await;
}

/// Sixteen operators claim one request at once, half through each instance.
async fn claim_race(pair: &[ServerProcess; 2], store: &dyn Store, id: &str) {
    let mut claims = tokio::task::JoinSet::new();
    for i in 0..16 {
        let new = NewOperator {
            name: format!("op{i}"),
            role: Role::Operator,
            categories: vec!["victim_assistance".into()],
            at: 0,
        };
        let operator = store.add_operator(&new).await.expect("operator added");
        let token = new_token("hl_").expect("token");
        store
            .add_token(&operator.id, &digest(&token), "race", 0)
            .await
            .expect("token");
        let url = format!("{}/api/v1/callbacks/{id}/claim", pair[i % 2].base);
        claims.spawn(async move {
            let client = crate::support::new_client();
            client
                .post(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("sent")
                .status()
        });
    }
    let statuses = claims.join_all().await;
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let lost = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, lost), (1, 15), "{statuses:?}");
}

/// Reads the event stream until a `queue` event arrives or `within` passes.
async fn next_queue_event(stream: &mut reqwest::Response, within: std::time::Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    let mut seen = String::new();
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, stream.chunk()).await {
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if seen.contains("event: queue") {
            return true;
        }
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_on_one_instance_sees_a_request_saved_through_the_other_without_reloading() {
    let Some(database) = postgres().await else {
        return;
    };
    let pair = [
        ServerProcess::start(&database.url),
        ServerProcess::start(&database.url),
    ];
    let store = connect(&database.url).await.expect("the database opens");
    let new = NewOperator {
        name: "ana".into(),
        role: Role::Operator,
        categories: vec!["general".into()],
        at: 0,
    };
    store.add_operator(&new).await.expect("added");
    let hash =
        hotline::operators::credentials::hash_password("correct horse battery").expect("hash");
    store
        .update_operator("ana", &hotline::store::OperatorChange::Password(hash))
        .await
        .expect("set");

    let client = crate::support::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let signed_in = client
        .post(format!("{}/operator/sign-in", pair[0].base))
        .form(&[("name", "ana"), ("password", "correct horse battery")])
        .send()
        .await
        .expect("sign-in");
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut events = client
        .get(format!("{}/operator/events", pair[0].base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("the event stream opens");
    assert_eq!(events.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;

    // A caller chooses an operator (0) after hours on instance B and leaves a request there.
    let sid = "CA-seen-across";
    let base = [("CallSid", sid), ("From", CALLER), ("To", HOTLINE_NUMBER)];
    let mut twiml = webhook(&pair[1], &format!("{PUBLIC}/voice/incoming"), &base).await;
    for key in ["1", "0", "1", "1"] {
        let params: Vec<(&str, &str)> = base.iter().copied().chain([("Digits", key)]).collect();
        twiml = webhook(&pair[1], &gather_action(&twiml), &params).await;
    }
    let record = twiml
        .find_all("Record")
        .into_iter()
        .next()
        .expect("asked for a message");
    let params: Vec<(&str, &str)> = base.iter().copied().chain([("Digits", "hangup")]).collect();
    webhook(&pair[1], record.attr("action").unwrap(), &params).await;

    assert!(
        next_queue_event(&mut events, std::time::Duration::from_secs(6)).await,
        "the console on instance A is told the queue changed"
    );
    let queue = client
        .get(format!("{}/operator/queue", pair[0].base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        queue.contains("1</strong> callback request") || queue.contains("Open"),
        "{queue}"
    );
}

/// The reference flow's callback path after hours, all on `instance`, with a recording.
pub(crate) async fn leave_request(instance: &ServerProcess, sid: &str) {
    let base = [("CallSid", sid), ("From", CALLER), ("To", HOTLINE_NUMBER)];
    let with = |extra: &[(&'static str, &'static str)]| -> Vec<(&str, &str)> {
        base.iter().chain(extra).copied().collect()
    };
    let mut twiml = webhook(instance, &format!("{PUBLIC}/voice/incoming"), &with(&[])).await;
    for key in ["1", "2", "1", "1"] {
        let url = gather_action(&twiml);
        twiml = webhook(instance, &url, &with(&[("Digits", key)])).await;
    }
    let record = twiml
        .find_all("Record")
        .into_iter()
        .next()
        .expect("a record");
    let url = record.attr("action").expect("record action").to_string();
    let recording = [
        ("RecordingUrl", "https://rec.example/RE3"),
        ("RecordingDuration", "4"),
    ];
    let saved = webhook(instance, &url, &with(&recording)).await;
    assert!(saved.all_text().contains("saved"), "{saved:?}");
}

/// An operator with `pin` signs in on the operator line through `instance`.
async fn on_the_line(instance: &ServerProcess, sid: &str, phone: &str, pin: &str) -> Element {
    let base = [("CallSid", sid), ("From", phone), ("To", HOTLINE_NUMBER)];
    let asked = webhook(instance, &format!("{PUBLIC}/voice/operator"), &base).await;
    let mut params = base.to_vec();
    let digits = format!("{pin}#");
    params.push(("Digits", &digits));
    webhook(instance, &gather_action(&asked), &params).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_on_two_instances_never_dial_one_request_twice_and_count_one_attempt() {
    let Some(database) = postgres().await else {
        return;
    };
    let pair = [
        ServerProcess::start(&database.url),
        ServerProcess::start(&database.url),
    ];
    leave_request(&pair[0], "CA-line-race").await;
    let store = connect(&database.url).await.expect("the database opens");
    for (name, pin) in [("ana", "27182818"), ("ben", "31415926")] {
        let new = NewOperator {
            name: name.into(),
            role: Role::Operator,
            categories: vec!["victim_assistance".into()],
            at: 0,
        };
        store.add_operator(&new).await.expect("operator added");
        let change = hotline::store::OperatorChange::Pin(pin_digest(pin));
        store.update_operator(name, &change).await.expect("pin");
    }

    let ana = on_the_line(&pair[0], "CA-ana-line", "+12025550901", "27182818").await;
    assert!(ana.all_text().contains("Callback request"), "{ana:?}");
    let ben = on_the_line(&pair[1], "CA-ben-line", "+12025550902", "31415926").await;
    assert!(
        ben.all_text().contains("Nobody is waiting"),
        "held for ana on the other instance: {ben:?}"
    );
    // Ana's 1 lands on the other instance, and is retried on the first.
    let ana_leg = [
        ("CallSid", "CA-ana-line"),
        ("From", "+12025550901"),
        ("To", HOTLINE_NUMBER),
    ];
    let mut press = ana_leg.to_vec();
    press.push(("Digits", "1"));
    let url = gather_action(&ana);
    let dial = webhook(&pair[1], &url, &press).await;
    let again = webhook(&pair[0], &url, &press).await;
    assert_eq!(dial.find_all("Dial").len(), 1, "{dial:?}");
    assert_eq!(again, dial, "a retried 1 answers the same dial");
    let placed = store.dials_to(CALLER, 0).await.expect("dials");
    assert_eq!(placed, 1, "one dial recorded, whatever was retried where");
    let action = dial.find_all("Dial")[0]
        .attr("action")
        .expect("dial action")
        .to_string();
    let mut ended = ana_leg.to_vec();
    ended.push(("DialCallStatus", "no-answer"));
    webhook(&pair[0], &action, &ended).await;
    webhook(&pair[1], &action, &ended).await;

    let request = &store
        .callback_requests(&CallbackFilter::default())
        .await
        .expect("list")[0];
    let attempts = store.attempts(&request.id).await.expect("attempts");
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert_eq!(request.no_answer_attempts, 1);
}
