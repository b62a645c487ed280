//! Every URL the server answers, in one table: its path, its methods, who calls it and the
//! handler. The router is built from this table, and the docs test compares the API
//! reference with it, so a route cannot exist without its row in the docs.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::middleware::{from_fn_with_state, map_response};
use axum::routing::{MethodFilter, MethodRouter, on};

use super::state::AppState;
use super::webhook::MAX_BODY_BYTES;
use super::webhook_event::Hook;
use super::{api, callback, console, health, operator_line, voice};
use operator_line::Step;

/// Who calls a route; each audience gets its own protective layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The telephony provider's webhooks (signed).
    Provider,
    /// Load balancers and monitoring (no authentication; keep them internal).
    Monitoring,
    /// The operator JSON API (bearer tokens).
    Api,
    /// The operator console (session cookie).
    Console,
}

/// One row of the table.
pub struct Route {
    /// The path as the router spells it (`{id}` for a path parameter).
    pub path: &'static str,
    /// `"GET"`, `"POST"` or both, `"PUT"` or `"DELETE"`.
    pub methods: &'static [&'static str],
    /// Who calls it.
    pub audience: Audience,
    handler: MethodRouter<AppState>,
}

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const PUT: &[&str] = &["PUT"];
const DELETE: &[&str] = &["DELETE"];
/// The provider may be configured to use GET or POST for any webhook.
const BOTH: &[&str] = &["GET", "POST"];

/// Every route of the server.
pub fn table() -> Vec<Route> {
    use Audience::{Api, Console, Monitoring, Provider};
    let hook = |path, hook: Hook| with(path, BOTH, Provider, |f| voice::hook(f, hook));
    let line = |path, step: Step| with(path, BOTH, Provider, |f| operator_line::step(f, step));
    vec![
        hook("/voice/incoming", Hook::Incoming),
        hook("/voice/gather", Hook::Gather),
        hook("/voice/no-input", Hook::NoInput),
        hook("/voice/record", Hook::Record),
        hook("/voice/no-recording", Hook::NoRecording),
        hook("/voice/queue-result", Hook::QueueResult),
        hook("/voice/wait", Hook::Wait),
        hook("/voice/hold-choice", Hook::HoldChoice),
        hook("/voice/dial-result", Hook::DialResult),
        hook("/voice/continue", Hook::Continue),
        at("/voice/status", BOTH, Provider, voice::status),
        line("/voice/operator", Step::Entry),
        line("/voice/operator/pin", Step::Pin),
        line("/voice/operator/next", Step::Next),
        line("/voice/operator/after", Step::After),
        line("/voice/operator/callback", Step::Callback),
        line("/voice/operator/callback-result", Step::CallbackResult),
        line("/voice/operator/callback-close", Step::CallbackClose),
        line("/voice/operator/ring", Step::Ring),
        at(
            "/voice/operator/whisper",
            BOTH,
            Provider,
            operator_line::whisper,
        ),
        at("/voice/callback/check", BOTH, Provider, callback::check),
        at("/voice/callback/checked", BOTH, Provider, callback::checked),
        at("/voice/callback/leg", BOTH, Provider, callback::leg),
        at("/voice/operator/rang", BOTH, Provider, callback::rang),
        at("/healthz", GET, Monitoring, health::live),
        at("/readyz", GET, Monitoring, health::ready),
        at("/metrics", GET, Monitoring, health::metrics_text),
        at("/api/v1/me", GET, Api, api::me),
        at("/api/v1/me/presence", GET, Api, api::presence::show),
        at("/api/v1/me/presence", POST, Api, api::presence::set),
        at("/api/v1/queue", GET, Api, api::queue),
        at("/api/v1/callbacks/{id}", GET, Api, api::request),
        at("/api/v1/callbacks/{id}/claim", POST, Api, api::claim),
        at("/api/v1/callbacks/{id}/call", POST, Api, api::call),
        at("/api/v1/callbacks/{id}/release", POST, Api, api::release),
        at("/api/v1/callbacks/{id}/reassign", POST, Api, api::reassign),
        at("/api/v1/callbacks/{id}/complete", POST, Api, api::complete),
        at("/api/v1/callbacks/{id}/recording", GET, Api, api::recording),
        at("/api/v1/calls", GET, Api, api::history::calls),
        at("/api/v1/history", GET, Api, api::history::history),
        at("/api/v1/history", POST, Api, api::history::search_history),
        at("/api/v1/audit", GET, Api, api::history::audit),
        at("/api/v1/blocked", GET, Api, api::blocked::list),
        at("/api/v1/blocked", POST, Api, api::blocked::block),
        at("/api/v1/blocked/{id}", DELETE, Api, api::blocked::unblock),
        at("/api/v1/wallboard", GET, Api, api::wallboard),
        at("/api/v1/operators", GET, Api, api::people::list),
        at(
            "/api/v1/operators/{name}/shifts",
            PUT,
            Api,
            api::people::set_shifts,
        ),
        at("/api/v1/reports", GET, Api, api::report),
        at("/api/v1/reports/{name}", GET, Api, api::report_csv),
        at("/operator", GET, Console, console::queue::page),
        at("/operator/queue", GET, Console, console::queue::fragment),
        at("/operator/events", GET, Console, console::events::events),
        at("/operator/sign-in", GET, Console, console::sign_in::form),
        at(
            "/operator/sign-in",
            POST,
            Console,
            console::sign_in::sign_in,
        ),
        at(
            "/operator/sign-out",
            POST,
            Console,
            console::sign_in::sign_out,
        ),
        at(
            "/operator/requests/{id}",
            GET,
            Console,
            console::requests::page,
        ),
        at(
            "/operator/requests/{id}/live-call",
            GET,
            Console,
            console::requests::live_call,
        ),
        at(
            "/operator/requests/{id}/call",
            POST,
            Console,
            console::requests::call,
        ),
        at(
            "/operator/requests/{id}/claim",
            POST,
            Console,
            console::requests::claim,
        ),
        at(
            "/operator/requests/{id}/release",
            POST,
            Console,
            console::requests::release,
        ),
        at(
            "/operator/requests/{id}/reassign",
            POST,
            Console,
            console::requests::reassign,
        ),
        at(
            "/operator/requests/{id}/complete",
            POST,
            Console,
            console::requests::complete,
        ),
        at(
            "/operator/requests/{id}/recording",
            GET,
            Console,
            console::requests::recording,
        ),
        at("/operator/audit", GET, Console, console::history::audit),
        at("/operator/history", GET, Console, console::history::page),
        at("/operator/history", POST, Console, console::history::search),
        at(
            "/operator/presence",
            POST,
            Console,
            console::queue::presence,
        ),
        at("/operator/blocked", GET, Console, console::blocks::page),
        at("/operator/blocked", POST, Console, console::blocks::block),
        at(
            "/operator/blocked/{id}/unblock",
            POST,
            Console,
            console::blocks::unblock,
        ),
        at("/operator/people", GET, Console, console::people::page),
        at(
            "/operator/people/shifts",
            POST,
            Console,
            console::people::set_shifts,
        ),
        at("/operator/flows", GET, Console, console::flows::page),
        at("/operator/reports", GET, Console, console::reports::page),
        at(
            "/operator/reports/{name}",
            GET,
            Console,
            console::reports::download,
        ),
        at(
            "/operator/wallboard",
            GET,
            Console,
            console::wallboard::page,
        ),
        at(
            "/operator/wallboard/section",
            GET,
            Console,
            console::wallboard::fragment,
        ),
        at("/operator/assets/console.css", GET, Console, console::css),
        // Last, and only where no other console route matches (axum prefers fixed segments).
        at("/operator/{*rest}", GET, Console, console::not_found),
        at("/operator/assets/console.js", GET, Console, console::js),
    ]
}

/// The server's router: every route in [`table`], each audience behind its own layers.
pub fn router(state: AppState) -> Router {
    let (others, console) = audiences();
    // The navigation needs the state itself; the protecting headers go on everything the
    // console answers, the pages the navigation layer draws again included.
    let console = console
        .layer(from_fn_with_state(state.clone(), console::with_navigation))
        .layer(map_response(console::protect));
    others
        .merge(console)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Every audience's routes behind its layers, the console's apart: `router` adds its layers.
fn audiences() -> (Router<AppState>, Router<AppState>) {
    let (mut provider, mut monitoring, mut api, mut console) =
        (Router::new(), Router::new(), Router::new(), Router::new());
    for route in table() {
        let part = match route.audience {
            Audience::Provider => &mut provider,
            Audience::Monitoring => &mut monitoring,
            Audience::Api => &mut api,
            Audience::Console => &mut console,
        };
        // Two rows may share a path with different methods; axum merges them.
        *part = std::mem::take(part).route(route.path, route.handler);
    }
    let others = provider
        .merge(monitoring)
        .merge(api.layer(map_response(api::no_store)));
    (others, console)
}

/// A route whose handler is one function, whatever the method.
fn at<H, T>(
    path: &'static str,
    methods: &'static [&'static str],
    audience: Audience,
    handler: H,
) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    with(path, methods, audience, |filter| on(filter, handler))
}

/// A route whose handler is made for the methods of its row.
fn with(
    path: &'static str,
    methods: &'static [&'static str],
    audience: Audience,
    make: impl FnOnce(MethodFilter) -> MethodRouter<AppState>,
) -> Route {
    Route {
        path,
        methods,
        audience,
        handler: make(filter(methods)),
    }
}

fn filter(methods: &[&str]) -> MethodFilter {
    let one = |method: &str| match method {
        "GET" => MethodFilter::GET,
        "POST" => MethodFilter::POST,
        "PUT" => MethodFilter::PUT,
        "DELETE" => MethodFilter::DELETE,
        // The table is a constant of this file; its test builds every row.
        other => unreachable!("the route table names an unknown method {other}"),
    };
    let mut methods = methods.iter().copied();
    let first = methods.next().map(one).unwrap_or(MethodFilter::GET);
    methods.fold(first, |all, method| all.or(one(method)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_has_known_methods_and_no_path_method_pair_twice() {
        let mut seen = std::collections::BTreeSet::new();
        for route in table() {
            assert!(!route.methods.is_empty(), "{} has no method", route.path);
            for method in route.methods {
                assert!(
                    ["GET", "POST", "PUT", "DELETE"].contains(method),
                    "{}: {method}",
                    route.path
                );
                assert!(
                    seen.insert((route.path, *method)),
                    "{} {method} twice",
                    route.path
                );
            }
        }
        let _ = audiences();
    }
}
