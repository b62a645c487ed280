//! The webhook extractor: reads the provider's request once, checks its signature against the
//! public URL, and refuses malformed requests with a 4xx before any handler runs.

use axum::body::to_bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::signature;
use super::state::AppState;

/// Largest webhook body accepted; the provider's forms are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Longest call id accepted: Twilio's are 34 characters, other providers' UUIDs 36.
const MAX_CALL_SID: usize = 64;

/// Every parameter a handler reads. The signature covers each distinct value of a repeated
/// name but not their order (the provider's libraries sort them), so if one of these came
/// twice with different values, the sender rather than the signer would choose which one the
/// server acts on: such a request is refused. Repeats of other names are left alone, since
/// the provider may add parameters and nothing here depends on them.
const READ: [&str; 15] = [
    "CallSid",
    "From",
    "To",
    "Digits",
    "SpeechResult",
    "Confidence",
    "RecordingUrl",
    "RecordingDuration",
    "QueueResult",
    "QueueTime",
    "QueuePosition",
    "DialCallStatus",
    "CallStatus",
    "CallDuration",
    "SequenceNumber",
];

/// A provider webhook that passed the signature check.
#[derive(Debug)]
pub struct Webhook {
    /// The provider's parameters: the form body of a POST, the query of a GET.
    pub params: Vec<(String, String)>,
    /// The raw query string (carries the call state).
    pub query: String,
    /// The call's id.
    pub call_sid: String,
}

impl Webhook {
    /// The value of a parameter; the extractor refused the request if it had two different ones.
    pub fn param(&self, name: &str) -> Option<&str> {
        debug_assert!(
            READ.contains(&name),
            "{name} must be listed in READ, or a repeated value could go unnoticed"
        );
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a webhook was refused.
#[derive(Debug)]
pub enum Rejection {
    /// Missing or wrong signature.
    Forbidden,
    /// Not a well-formed provider request.
    Malformed(String),
    /// Body over the limit.
    TooLarge,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::Forbidden => (
                StatusCode::FORBIDDEN,
                "invalid or missing X-Twilio-Signature\n",
            )
                .into_response(),
            Rejection::Malformed(why) => (
                StatusCode::BAD_REQUEST,
                format!("malformed webhook: {why}\n"),
            )
                .into_response(),
            Rejection::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("webhook body over {MAX_BODY_BYTES} bytes\n"),
            )
                .into_response(),
        }
    }
}

impl FromRequest<AppState> for Webhook {
    type Rejection = Rejection;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = to_bytes(body, MAX_BODY_BYTES)
            .await
            .map_err(|_| Rejection::TooLarge)?;
        let received = Received {
            is_get: parts.method == Method::GET,
            path_and_query: parts.uri.path_and_query().map_or("/", |p| p.as_str()),
            content_type: header_str(&parts.headers, header::CONTENT_TYPE.as_str()),
            signature: header_str(&parts.headers, "x-twilio-signature"),
            body: &bytes,
        };
        let signing = state.auth_token.as_ref().map(|token| Signing {
            token,
            base: state.links.base(),
        });
        let parsed = Webhook::parse(&received, signing);
        if let Err(Rejection::Forbidden) = parsed {
            metrics::counter!("hotline_signature_failures_total").increment(1);
            tracing::warn!(
                path = parts.uri.path(),
                "refused a webhook with an invalid or missing signature"
            );
        }
        parsed
    }
}

/// A webhook request as it arrived, without HTTP types, so that its checks can run anywhere.
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    /// Whether the method is GET: the parameters are then in the query, not in a body.
    pub is_get: bool,
    /// The path and query as received (`/voice/gather?h=…`).
    pub path_and_query: &'a str,
    /// The `Content-Type` header, when present and readable.
    pub content_type: Option<&'a str>,
    /// The `X-Twilio-Signature` header, when present and readable.
    pub signature: Option<&'a str>,
    /// The body, already limited to `MAX_BODY_BYTES`.
    pub body: &'a [u8],
}

/// What the signature is checked with: the auth token and the public URL the provider called.
#[derive(Debug, Clone, Copy)]
pub struct Signing<'a> {
    /// The account's auth token.
    pub token: &'a signature::AuthToken,
    /// The public base URL; the received path and query follow it.
    pub base: &'a str,
}

impl Webhook {
    /// Checks a received request: its form, its signature (when `signing` is given) and its
    /// call id. Nothing is logged or counted here; the extractor does that.
    pub fn parse(received: &Received<'_>, signing: Option<Signing<'_>>) -> Result<Self, Rejection> {
        let path_and_query = received.path_and_query;
        let query = path_and_query.split_once('?').map_or("", |(_, q)| q);
        let params = if received.is_get {
            parse_pairs(query)
        } else {
            parse_pairs(form_body(received.content_type, received.body)?)
        };
        // A GET's parameters are in its URL, which is signed as a whole.
        let signed: &[(String, String)] = if received.is_get { &[] } else { &params };
        if let Some(Signing { token, base }) = signing {
            let url = format!("{base}{path_and_query}");
            let valid = received
                .signature
                .is_some_and(|h| signature::is_valid(token, &url, signed, h));
            if !valid {
                return Err(Rejection::Forbidden);
            }
        }
        if let Some(name) = ambiguous(&params) {
            return Err(Rejection::Malformed(format!(
                "the {name} parameter is repeated with different values"
            )));
        }
        let call_sid = call_sid(&params)?;
        Ok(Webhook {
            params,
            query: query.to_string(),
            call_sid,
        })
    }
}

fn header_str<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn form_body<'a>(content_type: Option<&str>, bytes: &'a [u8]) -> Result<&'a str, Rejection> {
    let content_type = content_type.unwrap_or("");
    if !bytes.is_empty() && !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(Rejection::Malformed(
            "expected an application/x-www-form-urlencoded body".into(),
        ));
    }
    std::str::from_utf8(bytes).map_err(|_| Rejection::Malformed("the body is not UTF-8".into()))
}

fn parse_pairs(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

/// The first parameter the handlers read that comes with more than one distinct value.
fn ambiguous(params: &[(String, String)]) -> Option<&'static str> {
    READ.into_iter().find(|name| {
        let mut values = params.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
        values
            .next()
            .is_some_and(|first| values.any(|other| other != first))
    })
}

fn call_sid(params: &[(String, String)]) -> Result<String, Rejection> {
    let sid = params
        .iter()
        .find(|(k, _)| k == "CallSid")
        .map(|(_, v)| v.clone())
        .ok_or_else(|| Rejection::Malformed("the CallSid parameter is missing".into()))?;
    let plausible = !sid.is_empty()
        && sid.len() <= MAX_CALL_SID
        && sid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c));
    if !plausible {
        return Err(Rejection::Malformed("CallSid is not a call id".into()));
    }
    Ok(sid)
}
