//! Reads the call-flow folder from disk and hands the texts to the checker.

use std::path::Path;

use anyhow::Context;

use crate::flow::FlowSet;

/// Loads every `*.toml` file of `dir`. Problems in the files come back as one error whose
/// text lists each of them with file, line and fix.
pub fn load_dir(dir: &Path) -> anyhow::Result<FlowSet> {
    let mut sources = Vec::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the call-flow folder {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let Some(id) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        sources.push((id, path.display().to_string(), text));
    }
    sources.sort();
    FlowSet::from_sources(&sources).map_err(|e| anyhow::anyhow!("{e}"))
}
