//! Reads the call-flow folder from disk and hands the texts to the checker; logs what the
//! checker warns about.

use std::path::Path;

use anyhow::Context;

use crate::catalog::FlowSet;

/// Loads every `*.toml` file of `dir`. Problems in the files come back as one error whose
/// text lists each of them with file, line and fix; warnings are logged, a line each, and
/// do not stop the flows from loading.
pub fn load_dir(dir: &Path) -> anyhow::Result<FlowSet> {
    let set = FlowSet::from_sources(&read_dir(dir)?).map_err(|e| anyhow::anyhow!("{e}"))?;
    for warning in set.warnings() {
        tracing::warn!("{}", warning.one_line());
    }
    Ok(set)
}

/// `(id, file name, text)` of every `*.toml` file of `dir`, in name order.
pub fn read_dir(dir: &Path) -> anyhow::Result<Vec<(String, String, String)>> {
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
    Ok(sources)
}
