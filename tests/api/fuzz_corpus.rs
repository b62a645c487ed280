//! The fuzz targets' corpora replayed without a fuzzer: every file in `fuzz/corpus/<target>/`
//! goes through the same target body `cargo fuzz` runs, so CI checks each input found so far.

use std::path::Path;

#[path = "../../fuzz/src/flow_file.rs"]
mod flow_file;
#[path = "../../fuzz/src/twiml.rs"]
mod twiml;
#[path = "../../fuzz/src/webhook.rs"]
mod webhook;

/// Runs every file of a target's corpus through `run`, naming the file that fails.
fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable corpus folder").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the {target} corpus is empty");
    for file in files {
        let data = std::fs::read(&file).expect("a readable corpus file");
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(
            outcome.is_ok(),
            "{} fails the {target} target",
            file.display()
        );
    }
}

#[test]
fn the_flow_file_corpus_passes() {
    replay("flow_file", flow_file::run);
}

#[test]
fn the_webhook_corpus_passes() {
    replay("webhook", webhook::run);
}

#[test]
fn the_twiml_corpus_passes() {
    replay("twiml", twiml::run);
}
