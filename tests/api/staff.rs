//! Test helpers for the people side: operators with API tokens, and callers who leave callback
//! requests for them to work.

use hotline::config::SecretArgs;
use hotline::operators::credentials::{digest, new_token};
use hotline::operators::pin_key::PinKey;
use hotline::operators::{Operator, Role};
use hotline::store::{NewOperator, OperatorChange};
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::helpers::{CALLER, TestApp};

/// An operator and their API token.
pub struct Staff {
    #[allow(dead_code)]
    pub operator: Operator,
    pub token: String,
}

/// Adds an operator (or supervisor) straight into the server's database and gives them a token.
pub async fn add_staff(app: &TestApp, name: &str, role: Role, categories: &[&str]) -> Staff {
    let new = NewOperator {
        name: name.into(),
        role,
        categories: categories.iter().map(|c| c.to_string()).collect(),
        at: 0,
    };
    let operator = app.store.add_operator(&new).await.expect("operator added");
    let token = new_token("hl_").expect("token");
    app.store
        .add_token(&operator.id, &digest(&token), "tests", 0)
        .await
        .expect("token stored");
    Staff { operator, token }
}

/// The PIN key of a test server: drawn from the tests' fixed secret.
fn pin_key() -> PinKey {
    let secret = SecretArgs::for_tests()
        .resolve("sqlite::memory:")
        .expect("the tests' secret");
    PinKey::from_secret(&secret)
}

/// The digest a test server looks `pin` up by.
pub fn pin_digest(pin: &str) -> String {
    pin_key().digest(pin)
}

/// The tag a test server counts wrong PINs from `number` under.
pub fn caller_tag(number: &str) -> String {
    pin_key().caller_tag(number)
}

/// Gives the operator named `name` the operator-line PIN `pin`.
pub async fn give_pin(app: &TestApp, name: &str, pin: &str) {
    let change = OperatorChange::Pin(pin_digest(pin));
    app.store
        .update_operator(name, &change)
        .await
        .expect("pin set");
}

impl Staff {
    /// A GET with this person's token, the answer as it came (a CSV report, say).
    pub async fn get_response(&self, app: &TestApp, path: &str) -> reqwest::Response {
        app.client
            .get(format!("{}{path}", app.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> (StatusCode, Value) {
        let response = self.get_response(app, path).await;
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(app, reqwest::Method::POST, path, body).await
    }

    pub async fn put(&self, app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(app, reqwest::Method::PUT, path, body).await
    }

    /// Sends `body` as JSON with this person's token; the status and the JSON answer.
    async fn send(
        &self,
        app: &TestApp,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let response = app
            .client
            .request(method, format!("{}{path}", app.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The entry for `category` in the queue API as this person sees it (`Null` when they
    /// do not see it).
    pub async fn queue_entry(&self, app: &TestApp, category: &str) -> Value {
        let (status, queue) = self.get(app, "/api/v1/queue").await;
        assert_eq!(status, StatusCode::OK, "{queue}");
        let categories = queue["categories"].as_array().cloned().unwrap_or_default();
        let found = categories.into_iter().find(|c| c["id"] == category);
        found.unwrap_or_default()
    }
}

/// A caller after hours: chooses the language and the category, asks to be called back on the
/// number they call from, says whether a message is safe (`"1"` yes, `"2"` no), and records a
/// message when `recording` is given. Returns the call's sid.
pub async fn leave_callback_request(
    app: &TestApp,
    language_key: &str,
    category_key: &str,
    safe_key: &str,
    recording: Option<&str>,
) -> String {
    let mut call = app.call(CALLER);
    call.start().await;
    call.press(language_key).await;
    call.press(category_key).await;
    call.press("1").await;
    call.press(safe_key).await;
    let heard = call.heard();
    if heard.contains("safest for us to call") || heard.contains("más seguro llamarle") {
        call.press("4").await; // any time
    }
    match recording {
        Some(url) => call.record(url, "14").await,
        None => call.silence().await,
    };
    call.sid.clone()
}

/// The id of the callback request the call left.
pub async fn request_id_of(app: &TestApp, call_sid: &str) -> String {
    let all = app
        .store
        .callback_requests(&Default::default())
        .await
        .expect("list");
    all.into_iter()
        .find(|r| r.call_sid == call_sid)
        .map(|r| r.id)
        .expect("the call left a callback request")
}
