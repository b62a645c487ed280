//! The `flow_file` target: any text given to the flow checker, its lints and scenarios, the
//! loader, the reports for staff and the tools that read a loaded flow. None may panic, and
//! the checker and the loader must agree on whether the file is usable.

use std::sync::LazyLock;

use hotline::authoring::report::{self, Look};
use hotline::authoring::{diff, graph, picture};
use hotline::catalog::{self, FlowSet};
use hotline::engine::{self, CallContext, CallState, Event, Links};
use hotline::flow::Flow;

/// The shipped flow, loaded beside the fuzzed one and compared with it.
const SHIPPED: &str = include_str!("../../call_flows/victim_hotline.toml");

static SHIPPED_FLOW: LazyLock<Flow> = LazyLock::new(|| {
    catalog::load("victim_hotline", "victim_hotline.toml", SHIPPED)
        .unwrap_or_else(|e| panic!("the shipped flow does not load:\n{e}"))
});

/// A Tuesday morning in New York: the shipped flow's office is open.
const NOW: &str = "2026-12-01T15:00:00Z";

/// Runs one input. Panics only on a bug.
pub fn run(data: &[u8]) {
    // Flow files are read as UTF-8 text; other bytes never reach the checker.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let id = "fuzzed";
    let name = "fuzzed.toml";
    let file = report::check_file(id, name, text);
    show(&file);
    let alone = FlowSet::from_sources(&[source(id, name, text)]);
    let loaded = catalog::load(id, name, text);
    assert_eq!(
        alone.is_ok(),
        loaded.is_ok(),
        "the loader and the checker disagree on whether the file is usable"
    );
    match alone {
        Ok(set) => {
            for warning in set.warnings() {
                let _ = warning.one_line();
            }
            explore(set.default_flow());
        }
        Err(errors) => {
            assert!(!errors.0.is_empty(), "a refused file must say why");
            let _ = errors.to_string();
        }
    }
    let beside = FlowSet::from_sources(&[
        source("victim_hotline", "victim_hotline.toml", SHIPPED),
        source(id, name, text),
    ]);
    if let Err(errors) = beside {
        let _ = errors.to_string();
    }
}

fn source(id: &str, name: &str, text: &str) -> (String, String, String) {
    (id.to_string(), name.to_string(), text.to_string())
}

/// Everything staff can be shown about the file.
fn show(file: &report::FileReport) {
    for d in &file.diagnostics {
        let _ = d.to_string();
        let _ = d.one_line();
    }
    let files = std::slice::from_ref(file);
    for width in [20, 100] {
        let look = Look {
            color: false,
            width,
        };
        let _ = report::human(files, &[], look);
    }
    let _ = report::json(files, &[]);
    let _ = report::summary(files, &[]);
}

/// What the tools and the engine do with a flow that loaded.
fn explore(flow: &Flow) {
    let g = graph::build(flow);
    let _ = graph::mermaid(&g);
    let _ = graph::dot(&g, &flow.id);
    let _ = picture::svg(&g, &flow.start);
    let _ = diff::render(&diff::diff(&SHIPPED_FLOW, flow));
    let _ = diff::render(&diff::diff(flow, &SHIPPED_FLOW));
    let links = Links::new("https://hotline.example.org");
    let ctx = CallContext {
        caller: Some("+12025550123"),
        now: NOW.parse().unwrap_or_else(|e| panic!("{NOW}: {e}")),
        links: &links,
        staffed: None,
    };
    let language = &flow.default_language().id;
    let state = CallState::new(&flow.id, &flow.start, language);
    let first = engine::step(flow, &state, Event::Start, &ctx);
    let _ = first.response.render();
    let _ = engine::fallback(flow, Some(&first.state), &ctx, true).render();
    let _ = engine::fallback(flow, None, &ctx, false).render();
}
