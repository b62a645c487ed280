//! The public URL tried the way the provider uses it: a new call posted to `/voice/incoming`,
//! signed with the auth token. A wrong URL, token or proxy shows here before a caller meets it.

use std::time::Duration;

use super::{Finding, Verdict};
use crate::config::ServeArgs;
use crate::http::signature::expected_signature;
use crate::line::CHECK_CALL_PREFIX;

/// The provider waits this long for an answer before the caller hears its error message.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(15);

/// A number no caller has: the provider's own test numbers are never dialled from outside.
const CHECK_CALLER: &str = "+15005550006";

/// Posts a check call for the number `to` to `{public_url}/voice/incoming` and says whether a
/// server with this token answered it with TwiML.
pub(super) async fn check(args: &ServeArgs, public_url: &str, to: Option<&str>) -> Finding {
    let url = format!("{public_url}/voice/incoming");
    let params = check_call(args, to);
    let Some(client) = client() else {
        return Finding::new(Verdict::Fail, "webhook", "no HTTP client could be built");
    };
    let mut request = client.post(&url).form(&params);
    let token = args.auth_token();
    if let Some(token) = &token {
        request = request.header(
            "X-Twilio-Signature",
            expected_signature(token, &url, &params),
        );
    }
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) => return unreachable(&url, &error),
    };
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.text().await.unwrap_or_default();
    judge(&url, status, location.as_deref(), &body, token.is_some())
}

/// The parameters the provider sends with a new call, under a call id the server knows not to
/// record.
fn check_call(args: &ServeArgs, to: Option<&str>) -> Vec<(String, String)> {
    let sid = format!("{CHECK_CALL_PREFIX}{}", uuid::Uuid::now_v7().simple());
    let account = args
        .provider_api
        .twilio_account_sid
        .clone()
        .unwrap_or_else(|| "AC".to_string() + &"0".repeat(32));
    let mut params = vec![
        ("CallSid", sid),
        ("AccountSid", account),
        ("From", CHECK_CALLER.to_string()),
        ("Caller", CHECK_CALLER.to_string()),
        ("CallStatus", "ringing".to_string()),
        ("Direction", "inbound".to_string()),
        ("ApiVersion", "2010-04-01".to_string()),
    ];
    if let Some(to) = to {
        params.push(("To", to.to_string()));
        params.push(("Called", to.to_string()));
    }
    params
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn client() -> Option<reqwest::Client> {
    // Installing the process-wide crypto provider twice is harmless: the first one stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(PROVIDER_TIMEOUT)
        // The provider does not follow a redirect with the call's parameters: it must be told.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .ok()
}

fn unreachable(url: &str, error: &reqwest::Error) -> Finding {
    let why = if error.is_timeout() {
        format!("no answer within {} s", PROVIDER_TIMEOUT.as_secs())
    } else if error.is_connect() {
        "the connection failed".to_string()
    } else {
        "the request failed".to_string()
    };
    let text = format!(
        "{url}: {why}: the public URL, its DNS, TLS or the proxy in front of the server is \
         wrong, or the server is not running"
    );
    Finding::new(Verdict::Fail, "webhook", text)
}

/// What the answer says about the set-up.
fn judge(url: &str, status: u16, location: Option<&str>, body: &str, signed: bool) -> Finding {
    let fail = |why: String| Finding::new(Verdict::Fail, "webhook", format!("{url} {why}"));
    match status {
        200 if body.contains("<Response") => {
            let how = if signed {
                "a signed call"
            } else {
                "an unsigned call (no auth token is set: loopback only)"
            };
            Finding::new(
                Verdict::Ok,
                "webhook",
                format!("{url} answered {how} with TwiML"),
            )
        }
        200 => {
            fail("answered 200 without TwiML: something other than this server answers it".into())
        }
        403 if signed => fail(
            "answered 403: the auth token differs from the server's, or the proxy changes the \
             URL it forwards (path, query or public URL)"
                .into(),
        ),
        403 => {
            fail("answered 403: the server checks signatures; set the same auth token here".into())
        }
        404 => {
            fail("answered 404: the public URL or the proxy does not lead to this server".into())
        }
        300..=399 => fail(format!(
            "answered {status}, redirecting to {}: give the provider the final address",
            location.unwrap_or("nowhere")
        )),
        _ => fail(format!("answered {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_points_at_its_cause() {
        let url = "https://hotline.example.org/voice/incoming";
        let ok = judge(
            url,
            200,
            None,
            "<?xml?><Response><Say>hi</Say></Response>",
            true,
        );
        assert_eq!(ok.verdict, Verdict::Ok);
        let token = judge(url, 403, None, "", true);
        assert!(token.text.contains("auth token differs"), "{token}");
        assert!(
            judge(url, 404, None, "", true)
                .text
                .contains("public URL or the proxy")
        );
        let moved = judge(url, 301, Some("https://elsewhere/"), "", true);
        assert!(moved.text.contains("https://elsewhere/"), "{moved}");
        assert_eq!(judge(url, 200, None, "<html>", true).verdict, Verdict::Fail);
    }
}
