//! The flows' numbers as the provider has them: each must send its calls to this server's
//! `/voice/incoming` and its status callbacks to `/voice/status`, or callers never reach the
//! line (or their hang-ups go unnoticed).

use super::{Finding, Verdict};
use crate::config::ProviderApiArgs;
use crate::telephony::{NumberSettings, ProviderApi, ProviderError};

/// One line per number, or one saying why none was checked.
pub(super) async fn check(
    args: &ProviderApiArgs,
    public_url: &str,
    numbers: &[String],
) -> Vec<Finding> {
    let Some(api) = ProviderApi::new(
        &args.twilio_api_url,
        args.twilio_account_sid.as_deref().unwrap_or_default(),
        args.twilio_api_key.as_deref().unwrap_or_default(),
        args.twilio_api_secret.as_deref().unwrap_or_default(),
    ) else {
        return vec![Finding::new(
            Verdict::Skip,
            "numbers",
            "not checked at the provider: set the account SID and an API key pair \
             (HOTLINE_TWILIO_ACCOUNT_SID, HOTLINE_TWILIO_API_KEY, HOTLINE_TWILIO_API_SECRET)",
        )];
    };
    if numbers.is_empty() {
        return vec![Finding::new(
            Verdict::Skip,
            "numbers",
            "no flow lists a number in `numbers`",
        )];
    }
    let mut findings = Vec::new();
    for number in numbers {
        let found = api.incoming_numbers(number).await;
        findings.push(judge(number, public_url, found));
    }
    findings
}

fn judge(
    number: &str,
    public_url: &str,
    found: Result<Vec<NumberSettings>, ProviderError>,
) -> Finding {
    let fail = |why: String| Finding::new(Verdict::Fail, "number", format!("{number}: {why}"));
    let settings = match found {
        Err(ProviderError::Unavailable) => {
            return fail("the provider's API could not be reached".into());
        }
        Err(ProviderError::Refused { status, message }) => {
            return fail(format!(
                "the provider's API answered {status}: {message} (check the account SID and API key)"
            ));
        }
        Ok(list) => match list.into_iter().find(|n| n.phone_number == number) {
            Some(settings) => settings,
            None => return fail("the account has no such number".into()),
        },
    };
    let problems = problems(&settings, public_url);
    if problems.is_empty() {
        return Finding::new(
            Verdict::Ok,
            "number",
            format!("{number}: voice URL and status callback point to {public_url}"),
        );
    }
    fail(problems.join("; "))
}

/// What differs from the settings the README gives for a number.
fn problems(settings: &NumberSettings, public_url: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(app) = settings
        .voice_application_sid
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        problems.push(format!(
            "a TwiML application ({app}) answers it instead of a voice URL"
        ));
    }
    let wanted = [
        ("voice URL", &settings.voice_url, "/voice/incoming"),
        (
            "status callback",
            &settings.status_callback,
            "/voice/status",
        ),
    ];
    for (what, actual, path) in wanted {
        let expected = format!("{public_url}{path}");
        match actual.as_deref().filter(|s| !s.is_empty()) {
            Some(actual) if actual == expected => {}
            Some(actual) => problems.push(format!("{what} is {actual}, expected {expected}")),
            None => problems.push(format!("no {what} is set, expected {expected}")),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: &str = "https://hotline.example.org";

    fn settings(voice: &str, status: &str) -> NumberSettings {
        NumberSettings {
            phone_number: "+18005550100".into(),
            voice_url: Some(voice.into()),
            status_callback: Some(status.into()),
            ..NumberSettings::default()
        }
    }

    #[test]
    fn a_number_pointing_here_passes_and_one_pointing_elsewhere_is_named() {
        let here = settings(
            "https://hotline.example.org/voice/incoming",
            "https://hotline.example.org/voice/status",
        );
        let ok = judge("+18005550100", PUBLIC, Ok(vec![here]));
        assert_eq!(ok.verdict, Verdict::Ok, "{ok}");
        let away = settings("https://old.example.org/voice/incoming", "");
        let found = judge("+18005550100", PUBLIC, Ok(vec![away]));
        assert_eq!(found.verdict, Verdict::Fail);
        assert!(
            found
                .text
                .contains("voice URL is https://old.example.org/voice/incoming")
        );
        assert!(found.text.contains("no status callback is set"), "{found}");
        let missing = judge("+18005550100", PUBLIC, Ok(vec![]));
        assert!(missing.text.contains("no such number"), "{missing}");
    }
}
