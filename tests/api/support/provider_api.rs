//! The provider's REST API, emulated on a loopback port: it records each create-call request
//! (its path, its Basic credentials and its form) and answers as the provider does, or with
//! the refusal a test asks for.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
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
    refuse: Option<(u16, &'static str)>,
}

/// A running emulator.
pub struct ProviderApi {
    pub url: String,
    placed: Arc<Mutex<Vec<Placed>>>,
}

impl ProviderApi {
    /// Accepts every call; `refuse` makes it answer that status and message instead.
    pub async fn start(refuse: Option<(u16, &'static str)>) -> ProviderApi {
        let state = Emulated {
            refuse,
            ..Emulated::default()
        };
        let placed = Arc::clone(&state.placed);
        let app = Router::new()
            .route(
                "/2010-04-01/Accounts/{account}/Calls.json",
                post(create_call),
            )
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("the emulator") });
        ProviderApi { url, placed }
    }

    /// The calls asked for so far.
    pub fn placed(&self) -> Vec<Placed> {
        self.placed.lock().expect("not poisoned").clone()
    }
}

async fn create_call(
    State(state): State<Emulated>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    let credentials = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
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
