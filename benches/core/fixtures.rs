//! The inputs the cases share: the shipped flow loaded once, call states where a real call
//! has them (taken from the engine's own answers, not written by hand), and the provider's
//! webhook as it arrives.

use std::path::Path;
use std::sync::Arc;

use hotline::catalog::FlowSet;
use hotline::catalog::files;
use hotline::engine::{self, CallContext, CallState, Event, Links};
use hotline::flow::Flow;

/// The public URL the provider reaches the server at, as in production (https, no port).
pub const BASE: &str = "https://hotline.example.org";
/// The shipped flow's number.
pub const HOTLINE_NUMBER: &str = "+18005550100";
pub const CALLER: &str = "+12025550123";
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// Tuesday 10:00 in New York: the office is open, callers are queued.
pub const OPEN: &str = "2026-12-01T15:00:00Z";
/// Monday 21:00 in New York (the surge benchmark's instant): closed, callers get the offer.
pub const CLOSED: &str = "2026-12-01T02:00:00Z";

/// The folder the server ships with.
pub fn flows_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/call_flows"))
}

/// The shipped folder's `(id, file name, text)`, as `catalog::files` reads it.
pub fn sources() -> Vec<(String, String, String)> {
    files::read_dir(flows_dir()).expect("the shipped flow folder reads")
}

/// A call's place at each menu, as the URLs the server hands out carry it.
pub struct Call {
    pub flow: Arc<Flow>,
    pub links: Links,
    /// Just rung in: at the start node.
    pub incoming: CallState,
    /// At the language menu, after the welcome.
    pub language_menu: CallState,
    /// At the main menu, in English.
    pub main_menu: CallState,
    /// Waiting in the victim assistance queue.
    pub queued: CallState,
}

impl Call {
    /// Walks a call through the shipped flow with the engine: 1 (English), then 2 (victim
    /// assistance) while the office is open.
    pub fn new() -> Call {
        let set = FlowSet::from_sources(&sources()).expect("the shipped flows load");
        let flow = Arc::clone(set.for_number(HOTLINE_NUMBER));
        let links = Links::new(BASE);
        let mut incoming = CallState::new(&flow.id, &flow.start, &flow.default_language().id);
        incoming.version = Some(flow.version.clone());
        let ctx = context(&links, OPEN);
        let language_menu = engine::step(&flow, &incoming, Event::Start, &ctx).state;
        assert_eq!(language_menu.node, "language");
        let main_menu = engine::step(&flow, &language_menu, digits("1"), &ctx).state;
        assert_eq!(main_menu.node, "main_menu");
        let queued = engine::step(&flow, &main_menu, digits("2"), &ctx).state;
        assert!(queued.queue_seq.is_some(), "the caller waits in a queue");
        Call {
            flow,
            links,
            incoming,
            language_menu,
            main_menu,
            queued,
        }
    }
}

/// What the handler passes the engine: the caller's number and a fixed instant.
pub fn context<'a>(links: &'a Links, at: &str) -> CallContext<'a> {
    CallContext {
        caller: Some(CALLER),
        now: at.parse().expect("a valid instant"),
        links,
        staffed: None,
    }
}

pub fn digits(keys: &str) -> Event {
    Event::Digits(keys.to_string())
}

/// The form parameters the provider posts to a `<Gather>` action (16 of them; the provider
/// sends these geographic fields with every voice webhook).
pub fn gather_params(keys: &str) -> Vec<(String, String)> {
    [
        ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ("ApiVersion", "2010-04-01"),
        ("CallSid", "CA00000000000000000000000000002a"),
        ("CallStatus", "in-progress"),
        ("Called", HOTLINE_NUMBER),
        ("CalledCountry", "US"),
        ("CalledState", "DC"),
        ("Caller", CALLER),
        ("CallerCity", "WASHINGTON"),
        ("CallerCountry", "US"),
        ("CallerState", "DC"),
        ("CallerZip", "20001"),
        ("Digits", keys),
        ("Direction", "inbound"),
        ("FinishedOnKey", ""),
        ("From", CALLER),
        ("To", HOTLINE_NUMBER),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// `params` as the provider sends them: an `application/x-www-form-urlencoded` body.
pub fn form_body(params: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}
