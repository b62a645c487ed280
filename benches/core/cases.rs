//! The cases, by the part of the code they time: loading flows, the engine, TwiML rendering,
//! the signature check and form parsing, then all of a gather webhook's pure work together.
//! Each case first checks that its inputs lead where a real call goes, so a changed flow or
//! engine cannot quietly turn a case into a cheaper one.

use std::hint::black_box as bb;

use hotline::authoring::report;
use hotline::catalog::files;
use hotline::catalog::{self, FlowSet};
use hotline::engine::{self, CallState, Hold};
use hotline::flow::raw::RawFlow;
use hotline::http::signature::{self, AuthToken};
use hotline::http::webhook::{Received, Signing, Webhook};

use crate::fixtures::{
    BASE, CLOSED, Call, OPEN, TOKEN, context, digits, flows_dir, form_body, gather_params, sources,
};
use crate::harness::Bench;

/// Reading the shipped folder and checking it, as at start-up, on reload and in `flows check`.
pub fn flow_load(b: &mut Bench) {
    let sources = sources();
    let (id, name, text) = &sources[0];
    b.case("flow/read_dir", || files::read_dir(bb(flows_dir())));
    b.case("flow/parse_toml", || toml::from_str::<RawFlow>(bb(text)));
    // `check` runs the whole-flow lints too; they cannot be timed apart (`catalog::lint` is
    // private), so parse_toml < check < check_file brackets them.
    b.case("flow/check", || catalog::check(bb(id), bb(name), bb(text)));
    b.case("flow/from_sources", || FlowSet::from_sources(bb(&sources)));
    b.case("flow/load_dir", || files::load_dir(bb(flows_dir())));
    // What `hotline flows check` does per file: the checks, the lints and the scenarios.
    b.case("flow/check_file+scenarios", || {
        report::check_file(bb(id), bb(name), bb(text))
    });
}

/// One webhook's engine work, from the call state in the URL to the next response.
pub fn engine_step(b: &mut Bench, call: &Call) {
    let query = call
        .main_menu
        .to_query(&hotline::engine::StateSeal::for_tools());
    b.case("state/from_query", || {
        CallState::from_query(bb(&query), &hotline::engine::StateSeal::for_tools())
    });
    b.case("state/to_query", || {
        bb(&call.queued).to_query(&hotline::engine::StateSeal::for_tools())
    });

    let open = context(&call.links, OPEN);
    let closed = context(&call.links, CLOSED);
    let flow = &*call.flow;
    b.case("engine/step_start", || {
        engine::step(flow, bb(&call.incoming), engine::Event::Start, bb(&open))
    });
    b.case("engine/step_language_key", || {
        engine::step(flow, bb(&call.language_menu), digits("1"), bb(&open))
    });
    let queued = engine::step(flow, &call.main_menu, digits("2"), &open);
    assert!(
        queued.state.queue_seq.is_some(),
        "open: the caller is queued"
    );
    b.case("engine/step_main_menu_key_open", || {
        engine::step(flow, bb(&call.main_menu), digits("2"), bb(&open))
    });
    let offered = engine::step(flow, &call.main_menu, digits("2"), &closed);
    assert_eq!(offered.state.node, "callback_offer", "closed: the offer");
    b.case("engine/step_main_menu_key_closed", || {
        engine::step(flow, bb(&call.main_menu), digits("2"), bb(&closed))
    });

    let early = hold_at(120);
    b.case("engine/hold_poll", || {
        engine::hold(flow, bb(&call.queued), bb(early), bb(&open))
    });
    let late = hold_at(400);
    let offer = engine::hold(flow, &call.queued, late, &open)
        .response
        .render();
    assert!(offer.contains("<Gather"), "past the limit: the offer");
    b.case("engine/hold_poll_offer", || {
        engine::hold(flow, bb(&call.queued), bb(late), bb(&open))
    });
}

/// A hold poll of the third caller in line who has waited `wait_seconds`.
fn hold_at(wait_seconds: u32) -> Hold {
    Hold {
        position: Some(3),
        wait_seconds: Some(wait_seconds),
        estimate_seconds: Some(240),
    }
}

/// Rendering responses to XML.
pub fn twiml_render(b: &mut Bench, call: &Call) {
    let open = context(&call.links, OPEN);
    // The welcome and the language menu: the one menu with prompts in both languages.
    let welcome = engine::step(&call.flow, &call.incoming, engine::Event::Start, &open).response;
    let text = welcome.render();
    assert!(text.contains("<Gather") && text.contains("Para español"));
    b.case("twiml/render_language_menu", || bb(&welcome).render());

    let main_menu = engine::step(&call.flow, &call.language_menu, digits("1"), &open).response;
    let text = main_menu.render();
    assert!(text.contains("<Gather") && text.contains("press 9"));
    b.case("twiml/render_main_menu", || bb(&main_menu).render());
}

/// The signature over a gather webhook posted to the URL the main menu handed out.
pub fn signature_check(b: &mut Bench, call: &Call) {
    let token = AuthToken::new(TOKEN.to_string());
    let url = call.links.gather(&call.main_menu);
    let params = gather_params("2");
    let good = signature::expected_signature(&token, &url, &params);
    let with_port = url.replacen(BASE, &format!("{BASE}:443"), 1);
    let port_signed = signature::expected_signature(&token, &with_port, &params);
    let forged = signature::expected_signature(&AuthToken::new("wrong".into()), &url, &params);
    assert!(signature::is_valid(&token, &url, &params, &good));
    assert!(signature::is_valid(&token, &url, &params, &port_signed));
    assert!(!signature::is_valid(&token, &url, &params, &forged));

    b.case("signature/expected", || {
        signature::expected_signature(bb(&token), bb(&url), bb(&params))
    });
    b.case("signature/is_valid", || {
        signature::is_valid(bb(&token), bb(&url), bb(&params), bb(&good))
    });
    // Signed with the port spelled out: the second URL spelling matches.
    b.case("signature/is_valid_port_spelling", || {
        signature::is_valid(bb(&token), bb(&url), bb(&params), bb(&port_signed))
    });
    // A forged request: every spelling is tried before it is refused.
    b.case("signature/is_valid_forged", || {
        signature::is_valid(bb(&token), bb(&url), bb(&params), bb(&forged))
    });
}

/// Checking a provider's form post as the `Webhook` extractor does (form, repeated
/// parameters, call id), without the signature, which `signature/*` times.
pub fn form_parse(b: &mut Bench) {
    let body = form_body(&gather_params("2"));
    let received = Received {
        is_get: false,
        path_and_query: "/voice/gather",
        content_type: Some("application/x-www-form-urlencoded"),
        signature: None,
        body: body.as_bytes(),
    };
    b.case("form/parse_body", || {
        Webhook::parse(bb(&received), None).expect("a well-formed webhook")
    });
}

/// Every pure part of one gather webhook in a row: parse the body, check the signature,
/// decode the state, step the engine and render. What is left of a webhook's cost is HTTP,
/// the database and logging.
pub fn webhook(b: &mut Bench, call: &Call) {
    let token = AuthToken::new(TOKEN.to_string());
    let url = call.links.gather(&call.main_menu);
    let at = url.find("/voice/").expect("a voice URL");
    let (base, path_and_query) = url.split_at(at);
    let params = gather_params("2");
    let body = form_body(&params);
    let header = signature::expected_signature(&token, &url, &params);
    let closed = context(&call.links, CLOSED);
    let received = Received {
        is_get: false,
        path_and_query,
        content_type: Some("application/x-www-form-urlencoded"),
        signature: Some(&header),
        body: body.as_bytes(),
    };
    b.case("webhook/gather_pure_path", || {
        let signing = Signing {
            token: &token,
            base,
        };
        let webhook = Webhook::parse(bb(&received), Some(signing)).expect("signed");
        let state = CallState::from_query(&webhook.query, &hotline::engine::StateSeal::for_tools())
            .expect("the state decodes");
        engine::step(&call.flow, &state, digits("2"), bb(&closed))
            .response
            .render()
    });
}
