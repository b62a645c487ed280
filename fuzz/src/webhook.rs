//! The `webhook` target: any request to a voice route goes through the webhook checks the
//! extractor runs, and a request they accept goes through the engine step the route runs
//! over the shipped flow, then the fallback and the renderer. None may panic, a request signed
//! with the right token is never refused for its signature, and every answer is well-formed.
//!
//! An input is written like an HTTP request, so that the corpus stays readable:
//!
//! ```text
//! POST /voice/gather?h=victim_hotline&n=language&l=en&a=0&k=2
//! Content-Type: application/x-www-form-urlencoded
//! X-Twilio-Signature: computed
//! Auth-Token: 12345
//! Now: 2026-12-01T15:00:00Z
//! Recent-Waits: 60,120
//!
//! CallSid=CA0123&Digits=1
//! ```
//!
//! `Auth-Token` turns the signature check on; a signature of `computed` is replaced by the
//! one the provider would send. `Now` is the instant of the step and `Recent-Waits` the
//! answered waits a hold estimate is made from. The body is everything after the blank line.

use std::sync::LazyLock;

use axum::http::HeaderValue;
use axum::http::uri::PathAndQuery;
use hotline::catalog::FlowSet;
use hotline::engine::abuse;
use hotline::engine::{self, CallContext, CallState, Event, Hold, Links, Outcome};
use hotline::http::signature::{self, AuthToken};
use hotline::http::webhook::{Received, Rejection, Signing, Webhook};
use hotline::http::webhook_event::{self, Hook};
use hotline::triage::estimate;
use hotline::twiml::{GatherInput, Response, Verb};

/// The flows the server ships.
const SHIPPED: &str = include_str!("../../call_flows/victim_hotline.toml");

static FLOWS: LazyLock<FlowSet> = LazyLock::new(|| {
    let source = (
        "victim_hotline".to_string(),
        "victim_hotline.toml".to_string(),
        SHIPPED.to_string(),
    );
    FlowSet::from_sources(&[source])
        .unwrap_or_else(|e| panic!("the shipped flow does not load:\n{e}"))
});

/// The public URL the server is configured with.
const BASE: &str = "https://hotline.example.org";

/// A Tuesday morning in New York: the shipped flow's office is open.
const DEFAULT_NOW: &str = "2026-12-01T15:00:00Z";

/// Runs one input. Panics only on a bug.
pub fn run(data: &[u8]) {
    let Some(request) = Request::read(data) else {
        return;
    };
    // Only a target the HTTP layer parses reaches the extractor.
    let Ok(target) = PathAndQuery::try_from(request.target) else {
        return;
    };
    let token = request.token.map(|t| AuthToken::new(t.to_string()));
    let computed = signed(&request, &target, token.as_ref());
    let received = Received {
        is_get: request.is_get,
        path_and_query: target.as_str(),
        content_type: request.content_type,
        signature: computed.as_deref().or(request.signature),
        body: request.body,
    };
    let signing = token.as_ref().map(|token| Signing { token, base: BASE });
    let webhook = match Webhook::parse(&received, signing) {
        Ok(webhook) => webhook,
        Err(Rejection::Forbidden) => {
            assert!(computed.is_none(), "a correctly signed request was refused");
            return;
        }
        Err(_) => return,
    };
    assert_eq!(webhook.query, target.query().unwrap_or_default());
    assert!(
        plausible_call_sid(&webhook.call_sid),
        "{:?}",
        webhook.call_sid
    );
    let hook = Hook::ALL.into_iter().find(|h| target.path() == path(*h));
    if let Some(hook) = hook {
        answer(&webhook, hook, &request);
    }
}

/// The signature the provider would send, when the input asks for it and a token is set.
fn signed(
    request: &Request<'_>,
    target: &PathAndQuery,
    token: Option<&AuthToken>,
) -> Option<String> {
    let token = token.filter(|_| request.signature == Some("computed"))?;
    let params: Vec<(String, String)> = if request.is_get {
        Vec::new()
    } else {
        form_urlencoded::parse(request.body).into_owned().collect()
    };
    let url = format!("{BASE}{}", target.as_str());
    Some(signature::expected_signature(token, &url, &params))
}

/// What the extractor promises the handlers about the call id.
fn plausible_call_sid(sid: &str) -> bool {
    !sid.is_empty()
        && sid.len() <= 64
        && sid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c))
}

/// The route a hook is served on.
fn path(hook: Hook) -> String {
    format!("/voice/{}", hook.name().replace('_', "-"))
}

/// What the route does with an accepted webhook, without the database: the step (or the
/// fallback when the state cannot be used), rendered.
fn answer(webhook: &Webhook, hook: Hook, request: &Request<'_>) {
    let links = Links::new(BASE);
    let ctx = CallContext {
        caller: webhook.param("From"),
        now: request.now,
        links: &links,
        staffed: None,
    };
    let to = webhook.param("To").unwrap_or_default();
    let outcome = if hook == Hook::Incoming {
        let flow = FLOWS.for_number(to);
        let language = &flow.default_language().id;
        let mut state = CallState::new(&flow.id, &flow.start, language);
        state.version = Some(flow.version.clone());
        let why = abuse::verdict(flow.abuse.as_ref(), ctx.caller, abuse::Standing::default());
        Some(match why {
            Some(why) => engine::turn_away(flow, &state, why, &ctx),
            None => engine::step(flow, &state, Event::Start, &ctx),
        })
    } else {
        continued(webhook, hook, request, &ctx)
    };
    if let Some(outcome) = outcome {
        check_outcome(&outcome, hook);
        well_formed(&outcome.response.render());
    }
    // The fallback must work whatever the URL holds: it is what the caller hears when
    // anything else failed.
    let state =
        CallState::from_query(&webhook.query, &hotline::engine::StateSeal::for_tools()).ok();
    let flow = state
        .as_ref()
        .and_then(|s| FLOWS.get(&s.hotline))
        .unwrap_or_else(|| FLOWS.for_number(to));
    let state = state.filter(|s| s.hotline == flow.id);
    for storage_ok in [true, false] {
        well_formed(&engine::fallback(flow, state.as_ref(), &ctx, storage_ok).render());
    }
}

/// A step of a call already under way; `None` when the URL holds no usable state, which the
/// server answers with the fallback.
fn continued(
    webhook: &Webhook,
    hook: Hook,
    request: &Request<'_>,
    ctx: &CallContext<'_>,
) -> Option<Outcome> {
    let state =
        CallState::from_query(&webhook.query, &hotline::engine::StateSeal::for_tools()).ok()?;
    let flow = FLOWS.get(&state.hotline)?;
    Some(if hook == Hook::Wait {
        let position = webhook_event::number(webhook, "QueuePosition");
        let hold = Hold {
            position,
            wait_seconds: webhook_event::number(webhook, "QueueTime"),
            estimate_seconds: position
                .and_then(|p| estimate::estimate_wait(&request.recent_waits, p)),
        };
        engine::hold(flow, &state, hold, ctx)
    } else {
        engine::step(flow, &state, webhook_event::event(hook, webhook), ctx)
    })
}

/// What the engine promises about every answer: the next state survives its URL, every URL
/// the provider is sent to leads back to a call this server can continue, and an answer
/// played inside a queue uses only the verbs the provider allows there.
fn check_outcome(outcome: &Outcome, hook: Hook) {
    let next = CallState::from_query(
        &outcome
            .state
            .to_query(&hotline::engine::StateSeal::for_tools()),
        &hotline::engine::StateSeal::for_tools(),
    );
    assert_eq!(
        next.as_ref(),
        Ok(&outcome.state),
        "the next state does not survive its URL"
    );
    let response = &outcome.response;
    for url in urls(response) {
        leads_back(url);
    }
    if matches!(hook, Hook::Wait | Hook::HoldChoice) {
        assert!(
            response.verbs.iter().all(allowed_in_queue),
            "a verb the provider refuses inside a queue: {response:?}"
        );
    }
}

/// The URLs of `response` the provider requests next.
fn urls(response: &Response) -> Vec<&str> {
    let mut out = Vec::new();
    for verb in &response.verbs {
        match verb {
            Verb::Gather(g) => out.push(g.action.as_str()),
            Verb::Record(r) => out.push(r.action.as_str()),
            Verb::Enqueue(e) => out.extend(
                [e.action.as_deref(), e.wait_url.as_deref()]
                    .into_iter()
                    .flatten(),
            ),
            Verb::Dial(d) => out.extend(d.action.as_deref()),
            Verb::Redirect(r) => out.push(r.url.as_str()),
            _ => {}
        }
    }
    out
}

/// Panics unless `url` is a voice route of this server whose query holds a call state of a
/// loaded hotline.
fn leads_back(url: &str) {
    let rest = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("a URL outside the public base: {url}"));
    let (route, query) = rest.split_once('?').unwrap_or((rest, ""));
    assert!(
        Hook::ALL.into_iter().any(|h| path(h) == route),
        "a URL no route serves: {url}"
    );
    let state = CallState::from_query(query, &hotline::engine::StateSeal::for_tools())
        .unwrap_or_else(|e| panic!("a URL whose state cannot be read back ({e}): {url}"));
    assert!(
        FLOWS.get(&state.hotline).is_some(),
        "a URL of an unknown hotline: {url}"
    );
}

/// Whether the provider accepts `verb` in a document played to a caller waiting in a queue.
fn allowed_in_queue(verb: &Verb) -> bool {
    match verb {
        Verb::Say(_)
        | Verb::Play(_)
        | Verb::Pause(_)
        | Verb::Hangup
        | Verb::Redirect(_)
        | Verb::Leave => true,
        Verb::Gather(g) => g.input != GatherInput::DtmfSpeech,
        _ => false,
    }
}

/// Panics unless `xml` is one well-formed `<Response>` document.
fn well_formed(xml: &str) {
    use quick_xml::events::Event as Xml;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        match reader.read_event() {
            Ok(Xml::Start(e)) => {
                roots += usize::from(depth == 0);
                assert!(depth > 0 || e.name().as_ref() == "Response", "{xml}");
                depth += 1;
            }
            Ok(Xml::End(_)) => depth -= 1,
            Ok(Xml::Empty(_)) => assert!(depth > 0, "{xml}"),
            Ok(Xml::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{e}: {xml}"),
        }
    }
    assert_eq!((depth, roots), (0, 1), "{xml}");
}

/// One fuzzer input, read as a request.
struct Request<'a> {
    is_get: bool,
    target: &'a str,
    content_type: Option<&'a str>,
    signature: Option<&'a str>,
    token: Option<&'a str>,
    now: jiff::Timestamp,
    recent_waits: Vec<u32>,
    body: &'a [u8],
}

impl<'a> Request<'a> {
    /// `None` for a method the routes do not serve (the router answers 405) or a head that
    /// is not text.
    fn read(data: &'a [u8]) -> Option<Request<'a>> {
        let split = data.windows(2).position(|w| w == b"\n\n");
        let (head, body) = match split {
            Some(at) => (&data[..at], &data[at + 2..]),
            None => (data, &data[data.len()..]),
        };
        let head = std::str::from_utf8(head).ok()?;
        let mut lines = head.split('\n');
        let (method, target) = lines.next()?.split_once(' ')?;
        let mut request = Request {
            is_get: match method {
                "GET" => true,
                "POST" => false,
                _ => return None,
            },
            target,
            content_type: None,
            signature: None,
            token: None,
            now: DEFAULT_NOW.parse().ok()?,
            recent_waits: Vec::new(),
            body,
        };
        for line in lines {
            request.header(line)?;
        }
        Some(request)
    }

    fn header(&mut self, line: &'a str) -> Option<()> {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-type" => self.content_type = header_value(value),
            "x-twilio-signature" => self.signature = header_value(value),
            "auth-token" => self.token = Some(value),
            "now" => self.now = value.parse().ok()?,
            "recent-waits" => {
                self.recent_waits = value
                    .split(',')
                    .filter_map(|w| w.trim().parse().ok())
                    .collect()
            }
            _ => {}
        }
        Some(())
    }
}

/// A header as the extractor sees it: absent unless it is a valid, visible-ASCII value.
fn header_value(value: &str) -> Option<&str> {
    let header = HeaderValue::from_str(value).ok()?;
    header.to_str().ok().map(|_| value)
}
