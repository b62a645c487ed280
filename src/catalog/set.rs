//! The loaded hotlines and how a call finds its own: by the number it dialled, else the default.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::flow::diagnostic::{FlowDiagnostic, FlowErrors, Severity};
use crate::flow::model::Flow;
use crate::flow::names;

/// Every hotline the server answers for.
#[derive(Debug, Clone)]
pub struct FlowSet {
    flows: BTreeMap<String, Arc<Flow>>,
    default: String,
    warnings: Vec<FlowDiagnostic>,
}

impl FlowSet {
    /// Builds the set from `(id, file name, text)` of each file; all problems of all files are
    /// reported together. Warnings do not stop a flow from loading; `warnings` has them.
    pub fn from_sources(sources: &[(String, String, String)]) -> Result<FlowSet, FlowErrors> {
        let mut flows = BTreeMap::new();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for (id, name, text) in sources {
            let checked = super::check(id, name, text);
            let has_errors = checked.has_errors();
            let (bad, fine): (Vec<_>, Vec<_>) = checked
                .diagnostics
                .into_iter()
                .partition(FlowDiagnostic::is_error);
            errors.extend(bad);
            warnings.extend(fine);
            if let Some(flow) = checked.flow.filter(|_| !has_errors) {
                flows.insert(id.clone(), Arc::new(flow));
            }
        }
        if !errors.is_empty() {
            return Err(FlowErrors(errors));
        }
        let default = Self::pick_default(&flows, sources)?;
        Ok(FlowSet {
            flows,
            default,
            warnings,
        })
    }

    fn pick_default(
        flows: &BTreeMap<String, Arc<Flow>>,
        sources: &[(String, String, String)],
    ) -> Result<String, FlowErrors> {
        let defaults: Vec<&str> = flows
            .values()
            .filter(|f| f.is_default)
            .map(|f| f.id.as_str())
            .collect();
        let first_file = sources.first().map_or("", |s| s.1.as_str());
        let problems = default_problems(flows.len(), &defaults, first_file);
        if !problems.is_empty() {
            return Err(FlowErrors(problems));
        }
        Ok(defaults
            .first()
            .map(|d| d.to_string())
            .or_else(|| flows.keys().next().cloned())
            .unwrap_or_default())
    }

    /// Problems found in the files that do not stop them from loading.
    pub fn warnings(&self) -> &[FlowDiagnostic] {
        &self.warnings
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

    /// A category's name for staff, from the first hotline that defines it; for a category no
    /// loaded flow has any more, the name made from its id.
    pub fn category_title(&self, id: &str) -> String {
        self.flows()
            .find_map(|f| f.categories.get(id))
            .map_or_else(|| names::from_id(id), |c| c.title.clone())
    }

    /// A step's name for staff, from the first hotline with a node of this id, else the name
    /// made from the id. For the steps of one call, [`crate::catalog::library::Catalog`]
    /// knows the flow version the call followed.
    pub fn node_title(&self, id: &str) -> String {
        self.flows()
            .find_map(|f| f.nodes.get(id))
            .map_or_else(|| names::from_id(id), |n| n.title.clone())
    }
}

/// The problems of a folder as a whole: which hotline answers numbers no file lists. `count`
/// is the number of flows, `defaults` the ids of those with `default = true`, and
/// `first_file` the file the problems are shown against.
pub fn default_problems(count: usize, defaults: &[&str], first_file: &str) -> Vec<FlowDiagnostic> {
    match (defaults, count) {
        (_, 0) => vec![set_error(
            "no-flows",
            "no call-flow file was found",
            "put at least one .toml file in the flows folder",
            "",
        )],
        ([_], _) | ([], 1) => Vec::new(),
        ([], _) => vec![set_error(
            "no-default",
            "several hotlines are loaded and none is the default",
            "set `default = true` in the [hotline] section of the one that answers unknown numbers",
            first_file,
        )],
        (many, _) => vec![set_error(
            "several-defaults",
            &format!(
                "hotlines {} are all marked `default = true`",
                many.join(", ")
            ),
            "keep `default = true` in one file only",
            first_file,
        )],
    }
}

fn set_error(code: &'static str, message: &str, help: &str, file: &str) -> FlowDiagnostic {
    FlowDiagnostic {
        file: file.to_string(),
        line: 1,
        column: 1,
        code,
        message: message.to_string(),
        help: help.to_string(),
        source_line: String::new(),
        width: 1,
        severity: Severity::Error,
    }
}
