//! The provider's REST API, for the calls the server places itself: creating a call that rings
//! an operator's phone, which then follows the webhooks like any call. Twilio's form: `POST
//! {api}/2010-04-01/Accounts/{sid}/Calls.json` with Basic auth by an API key pair; and reading
//! where the account's numbers send their calls (`numbers.rs`), for `hotline doctor`.

mod numbers;

use std::time::Duration;

pub use numbers::NumberSettings;

/// How long the provider has to accept a call; the operator is told it failed after that.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The account and key the server places calls with.
pub struct ProviderApi {
    client: reqwest::Client,
    base: String,
    account_sid: String,
    key: String,
    secret: String,
}

/// A call to place.
#[derive(Debug, Clone)]
pub struct OutboundCall<'a> {
    /// The phone to ring.
    pub to: &'a str,
    /// The number it shows.
    pub from: &'a str,
    /// The webhook requested when it is answered.
    pub url: &'a str,
    /// Where the provider reports the call's progress (initiated, ringing, answered, completed).
    pub status_callback: Option<&'a str>,
}

/// Why the provider did not place the call.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// It could not be reached in time.
    #[error("the telephone provider could not be reached")]
    Unavailable,
    /// It answered with a refusal.
    #[error("the telephone provider refused the call ({status}): {message}")]
    Refused { status: u16, message: String },
}

impl ProviderApi {
    /// A client for the account, or `None` when the settings are incomplete.
    pub fn new(base: &str, account_sid: &str, key: &str, secret: &str) -> Option<ProviderApi> {
        if [account_sid, key, secret]
            .iter()
            .any(|s| s.trim().is_empty())
        {
            return None;
        }
        // Installing the process-wide crypto provider twice is harmless: the first one stays.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder().timeout(TIMEOUT).build().ok()?;
        Some(ProviderApi {
            client,
            base: base.trim_end_matches('/').to_string(),
            account_sid: account_sid.to_string(),
            key: key.to_string(),
            secret: secret.to_string(),
        })
    }

    /// Places `call`; the provider's call SID when it accepted it.
    pub async fn create_call(&self, call: &OutboundCall<'_>) -> Result<String, ProviderError> {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Calls.json",
            self.base, self.account_sid
        );
        let mut form = vec![
            ("To", call.to),
            ("From", call.from),
            ("Url", call.url),
            ("Method", "POST"),
        ];
        if let Some(status) = call.status_callback {
            form.push(("StatusCallback", status));
            form.push(("StatusCallbackMethod", "POST"));
            for event in ["initiated", "ringing", "answered", "completed"] {
                form.push(("StatusCallbackEvent", event));
            }
        }
        let response = self
            .client
            .post(url)
            .basic_auth(&self.key, Some(&self.secret))
            .form(&form)
            .send()
            .await
            .map_err(|_| ProviderError::Unavailable)?;
        if !response.status().is_success() {
            return Err(refusal(response).await);
        }
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        Ok(body["sid"].as_str().unwrap_or_default().to_string())
    }
}

/// The provider's refusal, with the reason its JSON body gives.
async fn refusal(response: reqwest::Response) -> ProviderError {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    let message = body["message"].as_str().unwrap_or("no reason given");
    ProviderError::Refused {
        status,
        message: message.to_string(),
    }
}
