//! Twilio request signatures (X-Twilio-Signature): computing and verifying them. Pure: no HTTP types.
//!
//! Twilio signs each webhook request with HMAC-SHA1 keyed by the account's auth
//! token. The signed text is the full URL Twilio requested followed by every
//! form-encoded body parameter as `name` + `value`, sorted by name. Because
//! Twilio is inconsistent about whether the port appears in the signed URL,
//! [`is_valid`] accepts a signature over any of a few equivalent URL spellings.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

mod url;

use url::{canonical_url, url_variants};

type HmacSha1 = Hmac<Sha1>;

/// The Twilio account auth token: the HMAC key for request signatures, kept as the HMAC state
/// already keyed by it, since keying costs two of the hash's blocks on every webhook.
///
/// Its `Debug` output is redacted and it has no `Display`, so it cannot leak
/// into logs by accident.
#[derive(Clone)]
pub struct AuthToken(HmacSha1);

impl AuthToken {
    /// Wraps the secret auth token.
    pub fn new(token: String) -> Self {
        // HMAC pads or hashes the key to the block size, so every key length is
        // accepted and `new_from_slice` cannot fail.
        Self(HmacSha1::new_from_slice(token.as_bytes()).expect("HMAC accepts keys of any length"))
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthToken(***)")
    }
}

/// Computes the base64 signature Twilio would send for a request to `url`
/// carrying the form parameters `params`.
///
/// The URL is used as given, except that credentials (`user:pass@`) and any
/// `#fragment` are removed, since neither ever reaches Twilio's signer.
pub fn expected_signature(token: &AuthToken, url: &str, params: &[(String, String)]) -> String {
    let mac = signed(token, &canonical_url(url), &signed_params(params));
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Checks an `X-Twilio-Signature` header value against a request.
///
/// Accepts a signature over the URL as given, with the scheme's default port
/// added when none is present, or with an explicit port removed. A header that
/// is not valid base64 is simply invalid.
pub fn is_valid(token: &AuthToken, url: &str, params: &[(String, String)], header: &str) -> bool {
    let Ok(tag) = STANDARD.decode(header.trim()) else {
        return false;
    };
    let params = signed_params(params);
    // Stopping at the first match only reveals which public URL spelling
    // matched; each comparison itself is constant time.
    url_variants(url)
        .iter()
        .any(|variant| signed(token, variant, &params).verify_slice(&tag).is_ok())
}

/// The HMAC that has absorbed the exact text Twilio signs: the URL, then each
/// parameter of `params` (from [`signed_params`]) as `name` immediately
/// followed by `value`.
fn signed(token: &AuthToken, url: &str, params: &[(&str, &str)]) -> HmacSha1 {
    let mut mac = token.0.clone();
    mac.update(url.as_bytes());
    for (name, value) in params {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    mac
}

/// The parameters in the order Twilio signs them. Names sort in byte order
/// (`str` ordering is byte order of the UTF-8). A name that appears several
/// times contributes each distinct value once, in sorted order, matching
/// Twilio's own libraries.
fn signed_params(params: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut sorted: Vec<(&str, &str)> = params
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    sorted.sort_unstable();
    sorted.dedup();
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TOKEN: &str = "12345";
    const URL_1: &str = "https://example.com/myapp.php?foo=1&bar=2";
    const URL_2: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const URL_2_PORT: &str = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    const SIG_1: &str = "L/OH5YylLD5NRKLltdqwSvS0BnU=";
    const SIG_2: &str = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    const SIG_2_PORT: &str = "kvajT1Ptam85bY51eRf/AJRuM3w=";

    fn token() -> AuthToken {
        AuthToken::new(TOKEN.to_owned())
    }

    /// The text [`signed`] feeds the HMAC, written out.
    fn signing_string(url: &str, params: &[(String, String)]) -> String {
        let mut data = String::from(url);
        for (name, value) in signed_params(params) {
            data.push_str(name);
            data.push_str(value);
        }
        data
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn params_1() -> Vec<(String, String)> {
        pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675310"),
            ("Digits", "1234"),
            ("From", "+14158675310"),
            ("To", "+18005551212"),
        ])
    }

    fn params_2() -> Vec<(String, String)> {
        pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ])
    }

    #[test]
    fn the_signing_string_is_the_url_followed_by_sorted_names_and_values() {
        assert_eq!(
            signing_string(URL_1, &params_1()),
            "https://example.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212"
        );
    }

    #[test]
    fn twilios_first_published_vector_reproduces() {
        assert_eq!(expected_signature(&token(), URL_1, &params_1()), SIG_1);
        assert!(is_valid(&token(), URL_1, &params_1(), SIG_1));
    }

    #[test]
    fn twilios_second_published_vector_reproduces() {
        assert_eq!(expected_signature(&token(), URL_2, &params_2()), SIG_2);
        assert!(is_valid(&token(), URL_2, &params_2(), SIG_2));
    }

    #[test]
    fn a_url_with_the_default_https_port_signs_differently() {
        assert_eq!(
            expected_signature(&token(), URL_2_PORT, &params_2()),
            SIG_2_PORT
        );
    }

    #[test]
    fn a_signature_over_the_url_with_port_validates_a_url_without_port() {
        assert!(is_valid(&token(), URL_2, &params_2(), SIG_2_PORT));
    }

    #[test]
    fn a_signature_over_the_url_without_port_validates_a_url_with_port() {
        assert!(is_valid(&token(), URL_2_PORT, &params_2(), SIG_2));
    }

    #[test]
    fn an_http_url_with_port_80_reproduces() {
        let url = "http://mycompany.com:80/myapp.php?foo=1&bar=2";
        assert_eq!(
            expected_signature(&token(), url, &params_2()),
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        );
    }

    #[test]
    fn an_http_url_with_a_custom_port_reproduces() {
        let url = "http://mycompany.com:1234/myapp.php?foo=1&bar=2";
        assert_eq!(
            expected_signature(&token(), url, &params_2()),
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
        );
    }

    #[test]
    fn repeated_names_contribute_distinct_values_in_sorted_order() {
        let params = pairs(&[
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
        ]);
        assert_eq!(
            signing_string("u", &params),
            "uDigits1234Digits5678SidCA123SidAccountAC123"
        );
        assert_eq!(
            expected_signature(&token(), URL_2, &params),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
    }

    #[test]
    fn names_sort_in_byte_order_so_uppercase_precedes_lowercase() {
        let params = pairs(&[("b", "1"), ("a", "2"), ("B", "3")]);
        assert_eq!(signing_string("u", &params), "uB3a2b1");
    }

    #[test]
    fn the_order_of_the_parameters_does_not_matter() {
        let mut reversed = params_1();
        reversed.reverse();
        assert_eq!(expected_signature(&token(), URL_1, &reversed), SIG_1);
    }

    #[test]
    fn a_wrong_token_is_rejected() {
        let other = AuthToken::new("54321".to_owned());
        assert!(!is_valid(&other, URL_1, &params_1(), SIG_1));
    }

    #[test]
    fn a_changed_parameter_value_is_rejected() {
        let mut params = params_1();
        params[2].1 = "9999".to_owned();
        assert!(!is_valid(&token(), URL_1, &params, SIG_1));
    }

    #[test]
    fn a_missing_parameter_is_rejected() {
        let mut params = params_1();
        params.remove(2);
        assert!(!is_valid(&token(), URL_1, &params, SIG_1));
    }

    #[test]
    fn an_extra_parameter_is_rejected() {
        let mut params = params_1();
        params.push(("Extra".to_owned(), "1".to_owned()));
        assert!(!is_valid(&token(), URL_1, &params, SIG_1));
    }

    #[test]
    fn garbage_or_empty_headers_are_rejected() {
        for header in [
            "",
            "   ",
            "not base64!",
            "L/OH5YylLD5NRKLltdqwSvS0BnU",
            "AAAA",
            "%%%%",
        ] {
            assert!(
                !is_valid(&token(), URL_1, &params_1(), header),
                "{header:?}"
            );
        }
    }

    #[test]
    fn surrounding_whitespace_in_the_header_is_tolerated() {
        assert!(is_valid(
            &token(),
            URL_1,
            &params_1(),
            " L/OH5YylLD5NRKLltdqwSvS0BnU= "
        ));
    }

    #[test]
    fn a_signature_for_another_host_is_rejected() {
        let other = expected_signature(
            &token(),
            "https://evil.example/myapp.php?foo=1&bar=2",
            &params_1(),
        );
        assert!(!is_valid(&token(), URL_1, &params_1(), &other));
    }

    #[test]
    fn a_changed_query_string_is_rejected() {
        let url = "https://example.com/myapp.php?foo=1&bar=3";
        assert!(!is_valid(&token(), url, &params_1(), SIG_1));
    }

    #[test]
    fn credentials_in_the_url_are_dropped() {
        let url = "https://user:p%40ss@example.com/myapp.php?foo=1&bar=2";
        assert_eq!(expected_signature(&token(), url, &params_1()), SIG_1);
        assert!(is_valid(&token(), url, &params_1(), SIG_1));
    }

    #[test]
    fn a_fragment_is_ignored() {
        let url = "https://example.com/myapp.php?foo=1&bar=2#section";
        assert_eq!(expected_signature(&token(), url, &params_1()), SIG_1);
        assert!(is_valid(&token(), url, &params_1(), SIG_1));
    }

    #[test]
    fn the_auth_token_debug_output_is_redacted() {
        assert_eq!(format!("{:?}", token()), "AuthToken(***)");
    }

    /// Parameters with unique names, so any value change alters the signed text.
    fn unique_params() -> impl Strategy<Value = Vec<(String, String)>> {
        prop::collection::btree_map("\\PC{0,12}", "\\PC{0,16}", 1..8)
            .prop_map(|map| map.into_iter().collect())
    }

    fn any_url() -> impl Strategy<Value = String> {
        prop_oneof![
            "https?://([a-z]{1,4}(:[a-z]{0,3})?@)?[a-z.]{1,12}(:[0-9]{1,5})?(/[a-zA-Z0-9/?=&%+]{0,20})?(#[a-z]{0,4})?",
            "http://\\[[0-9a-f:]{2,8}\\](:[0-9]{1,5})?/[a-z?=&]{0,10}",
            "\\PC{0,30}",
        ]
    }

    proptest! {
        #[test]
        fn a_computed_signature_always_validates(
            secret in "\\PC{0,20}",
            url in any_url(),
            params in unique_params(),
        ) {
            let token = AuthToken::new(secret);
            let signature = expected_signature(&token, &url, &params);
            prop_assert!(is_valid(&token, &url, &params, &signature));
        }

        #[test]
        fn changing_any_one_value_breaks_the_signature(
            secret in "\\PC{0,20}",
            url in any_url(),
            params in unique_params(),
            index in any::<prop::sample::Index>(),
            replacement in "\\PC{0,16}",
        ) {
            let token = AuthToken::new(secret);
            let signature = expected_signature(&token, &url, &params);
            let mut changed = params.clone();
            let slot = index.index(changed.len());
            prop_assume!(changed[slot].1 != replacement);
            changed[slot].1 = replacement;
            prop_assert!(!is_valid(&token, &url, &changed, &signature));
        }
    }
}
