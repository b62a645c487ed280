//! The URL spellings Twilio may have signed: split by hand so the query stays byte for byte as
//! sent, with credentials and fragments dropped and the default port both added and removed.

/// The pieces of a URL that matter for signing.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct UrlParts<'a> {
    scheme: &'a str,
    /// Host without credentials; IPv6 hosts keep their brackets.
    host: &'a str,
    /// Text after the `:` of an explicit port, if there is one.
    port: Option<&'a str>,
    /// Path and query, exactly as sent, without any fragment.
    rest: &'a str,
}

impl UrlParts<'_> {
    /// Reassembles the URL with the given port (or none).
    fn render(&self, port: Option<&str>) -> String {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("{}://{}{}{}", self.scheme, self.host, port, self.rest)
    }
}

/// Splits a URL into scheme, host, port and path-plus-query by hand, so the
/// query string stays byte-for-byte as Twilio sent it.
///
/// Returns `None` when there is no `://`.
fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, after_scheme) = url.split_once("://")?;
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let (authority, rest) = after_scheme.split_at(authority_end);
    let rest = strip_fragment(rest);
    // Credentials end at the last '@': the password itself may contain '@'
    // only percent-encoded, but being lenient costs nothing.
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = split_host_port(host_port);
    Some(UrlParts {
        scheme,
        host,
        port,
        rest,
    })
}

/// Splits `host[:port]`, keeping IPv6 literals such as `[::1]:8080` intact.
fn split_host_port(host_port: &str) -> (&str, Option<&str>) {
    if host_port.starts_with('[') {
        let Some(close) = host_port.find(']') else {
            return (host_port, None);
        };
        let (host, after) = host_port.split_at(close + 1);
        return match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            // Anything else after the bracket is malformed; leave it untouched.
            None if after.is_empty() => (host, None),
            None => (host_port, None),
        };
    }
    match host_port.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    }
}

/// Drops a `#fragment`, which browsers and Twilio never send to the server.
fn strip_fragment(text: &str) -> &str {
    text.split_once('#').map_or(text, |(before, _)| before)
}

/// The port a scheme implies when the URL names none.
fn default_port(scheme: &str) -> Option<&'static str> {
    if scheme.eq_ignore_ascii_case("https") {
        Some("443")
    } else if scheme.eq_ignore_ascii_case("http") {
        Some("80")
    } else {
        None
    }
}

/// The URL as it is signed by default: as given, minus credentials and
/// fragment.
pub(super) fn canonical_url(url: &str) -> String {
    match split_url(url) {
        Some(parts) => parts.render(parts.port),
        None => strip_fragment(url).to_owned(),
    }
}

/// Every URL spelling Twilio may have signed, the canonical one first.
///
/// Twilio sometimes signs with the default port spelled out and sometimes
/// without, so a missing default port is tried added and any explicit port
/// is tried removed.
pub(super) fn url_variants(url: &str) -> Vec<String> {
    let Some(parts) = split_url(url) else {
        return vec![strip_fragment(url).to_owned()];
    };
    let mut variants = vec![parts.render(parts.port)];
    match parts.port {
        // Voice webhooks over HTTPS are signed without the port, whatever it is; over HTTP the
        // port is kept, so only the default one may be missing.
        Some(port)
            if parts.scheme.eq_ignore_ascii_case("https")
                || default_port(parts.scheme) == Some(port) =>
        {
            variants.push(parts.render(None))
        }
        Some(_) => {}
        None => {
            if let Some(port) = default_port(parts.scheme) {
                variants.push(parts.render(Some(port)));
            }
        }
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_port_is_added_only_when_absent() {
        assert_eq!(url_variants("http://h/p"), ["http://h/p", "http://h:80/p"]);
        assert_eq!(
            url_variants("https://h?q"),
            ["https://h?q", "https://h:443?q"]
        );
        assert_eq!(
            url_variants("https://h:8443/p"),
            ["https://h:8443/p", "https://h/p"]
        );
        // Over HTTP the provider keeps the port: only the default one may be left out.
        assert_eq!(
            url_variants("http://h:80/p"),
            ["http://h:80/p", "http://h/p"]
        );
        assert_eq!(url_variants("http://h:1234/p"), ["http://h:1234/p"]);
    }

    #[test]
    fn unknown_schemes_get_no_default_port() {
        assert_eq!(url_variants("wss://h/p"), ["wss://h/p"]);
    }

    #[test]
    fn text_without_a_scheme_is_signed_as_is_minus_fragment() {
        assert_eq!(url_variants("/relative?x=1#f"), ["/relative?x=1"]);
    }

    #[test]
    fn ipv6_hosts_keep_their_brackets_and_lose_only_the_port() {
        assert_eq!(
            url_variants("https://[::1]:8443/p"),
            ["https://[::1]:8443/p", "https://[::1]/p"]
        );
        assert_eq!(url_variants("http://[::1]:8080/p"), ["http://[::1]:8080/p"]);
        assert_eq!(
            url_variants("https://u@[::1]/p"),
            ["https://[::1]/p", "https://[::1]:443/p"]
        );
    }

    #[test]
    fn the_authority_ends_at_the_first_slash_query_or_fragment() {
        let parts = split_url("https://a@h:1?x=/@:#y").expect("has a scheme");
        assert_eq!(
            parts,
            UrlParts {
                scheme: "https",
                host: "h",
                port: Some("1"),
                rest: "?x=/@:"
            }
        );
    }
}
