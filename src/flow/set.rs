//! The loaded hotlines and how a call finds its own: by the number it dialled, else the default.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::diagnostic::{FlowDiagnostic, FlowErrors};
use super::model::Flow;

/// Every hotline the server answers for.
#[derive(Debug, Clone)]
pub struct FlowSet {
    flows: BTreeMap<String, Arc<Flow>>,
    default: String,
}

impl FlowSet {
    /// Builds the set from `(id, file name, text)` of each file; all problems of all files are
    /// reported together.
    pub fn from_sources(sources: &[(String, String, String)]) -> Result<FlowSet, FlowErrors> {
        let mut flows = BTreeMap::new();
        let mut errors = Vec::new();
        for (id, name, text) in sources {
            match super::load(id, name, text) {
                Ok(flow) => {
                    flows.insert(id.clone(), Arc::new(flow));
                }
                Err(FlowErrors(mut e)) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(FlowErrors(errors));
        }
        let default = Self::pick_default(&flows, sources)?;
        Ok(FlowSet { flows, default })
    }

    fn pick_default(
        flows: &BTreeMap<String, Arc<Flow>>,
        sources: &[(String, String, String)],
    ) -> Result<String, FlowErrors> {
        let defaults: Vec<&Arc<Flow>> = flows.values().filter(|f| f.is_default).collect();
        match (defaults.as_slice(), flows.len()) {
            (_, 0) => Err(set_error(
                "no-flows",
                "no call-flow file was found",
                "put at least one .toml file in the flows folder",
                "",
            )),
            ([one], _) => Ok(one.id.clone()),
            ([], 1) => Ok(flows.keys().next().cloned().unwrap_or_default()),
            ([], _) => Err(set_error(
                "no-default",
                "several hotlines are loaded and none is the default",
                "set `default = true` in the [hotline] section of the one that answers unknown numbers",
                &sources[0].1,
            )),
            (many, _) => Err(set_error(
                "several-defaults",
                &format!(
                    "hotlines {} are all marked `default = true`",
                    many.iter()
                        .map(|f| f.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "keep `default = true` in one file only",
                &sources[0].1,
            )),
        }
    }

    /// The hotline for a called number (`To`), else the default hotline.
    pub fn for_number(&self, to: &str) -> &Arc<Flow> {
        let digits: String = to.chars().filter(char::is_ascii_digit).collect();
        let wanted = format!("+{digits}");
        self.flows
            .values()
            .find(|f| !digits.is_empty() && f.numbers.contains(&wanted))
            .unwrap_or_else(|| self.default_flow())
    }

    /// The hotline with this id, as carried in a call's URLs.
    pub fn get(&self, id: &str) -> Option<&Arc<Flow>> {
        self.flows.get(id)
    }

    /// The hotline answering numbers no file lists.
    pub fn default_flow(&self) -> &Arc<Flow> {
        // `from_sources` only builds a set whose default id is one of its flows.
        &self.flows[&self.default]
    }

    /// All hotlines, by id.
    pub fn flows(&self) -> impl Iterator<Item = &Arc<Flow>> {
        self.flows.values()
    }
}

fn set_error(code: &'static str, message: &str, help: &str, file: &str) -> FlowErrors {
    FlowErrors(vec![FlowDiagnostic {
        file: file.to_string(),
        line: 1,
        column: 1,
        code,
        message: message.to_string(),
        help: help.to_string(),
        source_line: String::new(),
        width: 1,
    }])
}
