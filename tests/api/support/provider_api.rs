//! The provider's REST API, emulated on a loopback port: it records each create-call request
//! (its path, its Basic credentials and its form) and answers as the provider does, or with
//! the refusal a test asks for; and it lists the account's phone numbers with the voice
//! settings a test gave them, to the test key pair only.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use base64::Engine;

/// The test account and its API key pair.
pub const ACCOUNT: &str = "AC00000000000000000000000000000001";
pub const KEY: &str = "SK00000000000000000000000000000001";
pub const SECRET: &str = "test-api-secret";

/// One create-call request as the emulator received it.
#[derive(Debug, Clone)]
pub struct Placed {
    pub account: String,
    /// `key:secret` from the Basic credentials.
    pub credentials: String,
    pub form: Vec<(String, String)>,
}

impl Placed {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Default)]
struct Emulated {
    placed: Arc<Mutex<Vec<Placed>>>,
    numbers: Arc<Mutex<Vec<serde_json::Value>>>,
    refuse: Option<(u16, &'static str)>,
}

/// A running emulator.
pub struct ProviderApi {
    pub url: String,
    placed: Arc<Mutex<Vec<Placed>>>,
    numbers: Arc<Mutex<Vec<serde_json::Value>>>,
}

impl ProviderApi {
    /// Accepts every call; `refuse` makes it answer that status and message instead.
    pub async fn start(refuse: Option<(u16, &'static str)>) -> ProviderApi {
        let state = Emulated {
            refuse,
            ..Emulated::default()
        };
        let placed = Arc::clone(&state.placed);
        let numbers = Arc::clone(&state.numbers);
        let app = Router::new()
            .route(
                "/2010-04-01/Accounts/{account}/Calls.json",
                post(create_call),
            )
            .route(
                "/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json",
                get(list_numbers),
            )
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("the emulator") });
        ProviderApi {
            url,
            placed,
            numbers,
        }
    }

    /// Gives the account `phone_number`, sending its calls to `voice_url` and its status
    /// callbacks to `status_callback` (the provider's fields; `""` for one left empty).
    pub fn add_number(&self, phone_number: &str, voice_url: &str, status_callback: &str) {
        self.numbers
            .lock()
            .expect("not poisoned")
            .push(serde_json::json!({
                "sid": "PN00000000000000000000000000000001",
                "account_sid": ACCOUNT,
                "phone_number": phone_number,
                "voice_url": voice_url,
                "voice_method": "POST",
                "voice_application_sid": null,
                "status_callback": status_callback,
                "status_callback_method": "POST",
            }));
    }

    /// The calls asked for so far.
    pub fn placed(&self) -> Vec<Placed> {
        self.placed.lock().expect("not poisoned").clone()
    }
}

/// `key:secret` from a request's Basic credentials.
fn credentials(headers: &HeaderMap) -> String {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// The list resource as the provider pages it, filtered by `PhoneNumber` when given.
async fn list_numbers(
    State(state): State<Emulated>,
    Path(account): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> impl IntoResponse {
    if credentials(&headers) != format!("{KEY}:{SECRET}") || account != ACCOUNT {
        let refusal = serde_json::json!({"code": 20003, "message": "Authenticate", "status": 401});
        return (StatusCode::UNAUTHORIZED, axum::Json(refusal));
    }
    let wanted = query.get("PhoneNumber");
    let numbers: Vec<_> = state
        .numbers
        .lock()
        .expect("not poisoned")
        .iter()
        .filter(|n| wanted.is_none_or(|w| n["phone_number"] == w.as_str()))
        .cloned()
        .collect();
    let page = serde_json::json!({"incoming_phone_numbers": numbers, "page": 0, "page_size": 50});
    (StatusCode::OK, axum::Json(page))
}

async fn create_call(
    State(state): State<Emulated>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    let credentials = credentials(&headers);
    let form = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    state.placed.lock().expect("not poisoned").push(Placed {
        account,
        credentials,
        form,
    });
    match state.refuse {
        Some((status, message)) => (
            StatusCode::from_u16(status).expect("a status"),
            axum::Json(serde_json::json!({"code": 21211, "message": message, "status": status})),
        ),
        None => (
            StatusCode::CREATED,
            axum::Json(
                serde_json::json!({"sid": "CA00000000000000000000000000000099", "status": "queued"}),
            ),
        ),
    }
}
