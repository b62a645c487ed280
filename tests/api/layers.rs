//! The house rules of `src/`, read from the source: imports run only down the layers listed in
//! ARCHITECTURE.md, no import circle spans files of different folders, and the functional
//! core names no I/O crate. A failure names the file, the line and what to move.

mod source;

use std::collections::{BTreeMap, BTreeSet};

use source::{Import, Module, Tree};

/// The layers, lowest first, and the top-level modules of each. A module may import its own
/// layer and the layers below it. ARCHITECTURE.md draws the same table.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundations",
        &["clock", "privacy", "secret", "telemetry", "twiml"],
    ),
    ("rules", &["callbacks", "operators", "reports", "triage"]),
    ("flow format", &["flow"]),
    ("engines", &["engine", "operator_line"]),
    ("catalog", &["catalog"]),
    (
        "authoring and storage",
        &["authoring", "store", "telephony"],
    ),
    ("use cases", &["desk", "line"]),
    ("http", &["http"]),
    ("entry points", &["app", "cli", "config", "main"]),
];

/// The functional core: it takes time, text and state as arguments and never reaches out.
const CORE: &[&str] = &[
    "callbacks",
    "engine",
    "flow",
    "operator_line",
    "reports",
    "triage",
    "twiml",
];

/// Crates and modules that do I/O, which the core must not name.
const IO: &[&str] = &[
    "tokio",
    "sqlx",
    "rusqlite",
    "axum",
    "reqwest",
    "hyper",
    "std::fs",
    "std::net",
    "std::process",
];

fn layer_of(top: &str) -> Option<(usize, &'static str)> {
    LAYERS
        .iter()
        .enumerate()
        .find(|(_, (_, modules))| modules.contains(&top))
        .map(|(i, (name, _))| (i, *name))
}

#[test]
fn every_top_level_module_has_a_layer() {
    let tree = Tree::read();
    let missing: Vec<_> = tree
        .modules()
        .filter_map(Module::top)
        .filter(|top| layer_of(top).is_none())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|top| {
            format!(
                "src/{top}: add it to a layer of LAYERS in tests/api/layers.rs and ARCHITECTURE.md"
            )
        })
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a layer:\n{}",
        missing.join("\n")
    );
}

#[test]
fn imports_run_only_down_the_layers() {
    let wrong = arrows_up(&Tree::read().imports());
    assert!(
        wrong.is_empty(),
        "imports up the layers:\n{}",
        wrong.join("\n")
    );
}

/// Each import that runs from a lower layer to a higher one, said with what to do.
fn arrows_up(imports: &[Import]) -> Vec<String> {
    let mut wrong = Vec::new();
    for import in imports {
        let (Some(from), Some(to)) = (import.from.top(), import.to.top()) else {
            continue;
        };
        let (Some((low, low_name)), Some((high, high_name))) = (layer_of(from), layer_of(to))
        else {
            continue;
        };
        if high > low {
            wrong.push(format!(
                "{}:{}: `{from}` ({low_name}) imports `{}` ({high_name}), a higher layer: move \
                 what it needs down, or the importing code up",
                import.from.file, import.line, import.path,
            ));
        }
    }
    wrong
}

#[test]
fn no_import_circle_spans_folders() {
    let tree = Tree::read();
    let imports = tree.imports();
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut lines: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for import in &imports {
        let (from, to) = (import.from.file.as_str(), import.to.file.as_str());
        graph.entry(from).or_default().insert(to);
        lines.entry((from, to)).or_insert(import.line);
    }
    let mut wrong = Vec::new();
    for circle in source::circles(&graph) {
        let folders: BTreeSet<_> = circle.iter().map(|f| folder(f)).collect();
        if folders.len() > 1 {
            let arrows: Vec<String> = circle
                .iter()
                .flat_map(|from| {
                    let lines = &lines;
                    graph[from]
                        .iter()
                        .filter(|to| circle.contains(*to))
                        .map(move |to| format!("  {from}:{} -> {to}", lines[&(*from, *to)]))
                })
                .collect();
            wrong.push(format!(
                "a circle across {folders:?}; break one arrow (move the shared item to the lower \
                 file):\n{}",
                arrows.join("\n")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn the_functional_core_names_no_io_crate() {
    let tree = Tree::read();
    let mut wrong = Vec::new();
    for module in tree
        .modules()
        .filter(|m| m.top().is_some_and(|t| CORE.contains(&t)))
    {
        for (line, path) in module.external_paths() {
            if let Some(io) = IO
                .iter()
                .find(|io| path == **io || path.starts_with(&format!("{io}::")))
            {
                wrong.push(format!(
                    "{}:{line}: the core names `{io}`: pass what it needs in from the shell \
                     (line/, desk/, http/, store/) instead",
                    module.file
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "I/O in the core:\n{}", wrong.join("\n"));
}

#[test]
fn the_rules_catch_an_arrow_up_and_a_circle() {
    // The checks above pass on the real tree; this proves they can fail.
    let up = Import::example("flow", "src/flow/model.rs", "engine", "src/engine/mod.rs");
    let down = Import::example("engine", "src/engine/mod.rs", "flow", "src/flow/model.rs");
    let wrong = arrows_up(&[up, down]);
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(
        wrong[0].starts_with("src/flow/model.rs:1: `flow`"),
        "{wrong:?}"
    );
    let graph: BTreeMap<&str, BTreeSet<&str>> = [
        ("src/a/x.rs", BTreeSet::from(["src/b/y.rs"])),
        ("src/b/y.rs", BTreeSet::from(["src/a/x.rs"])),
        ("src/c/z.rs", BTreeSet::from(["src/a/x.rs"])),
    ]
    .into();
    let circles = source::circles(&graph);
    assert_eq!(circles.len(), 1, "{circles:?}");
    assert_eq!(circles[0].len(), 2);
}

fn folder(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(dir, _)| dir)
}
