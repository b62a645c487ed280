//! Turns a flow file's text into a checked `Flow` and every problem found, each located and
//! explained for the staff member who wrote it: errors, which stop the flow from being used,
//! the format's errors. The whole-flow checks that run calls through the engine (`catalog::lint`)
//! come after these, one layer up.

mod abuse;
mod callbacks;
mod menus;
mod nodes;
mod prompts;
mod queue;
mod reach;
mod sections;
mod speech;
mod titles;

use std::collections::BTreeMap;
use std::ops::Range;

use super::diagnostic::{FlowDiagnostic, FlowErrors, SourceFile, did_you_mean};
use super::model::Flow;
use super::raw::{RawFlow, RawScenario, S};

/// Everything the checks found in one file.
#[derive(Debug)]
pub struct Checked {
    /// The flow, when the file describes a complete one. It may still have errors of the
    /// whole-flow checks (a dead end, an answer too large), so use it to explore, not to serve.
    pub flow: Option<Flow>,
    /// Every problem found, errors and warnings, in line order.
    pub diagnostics: Vec<FlowDiagnostic>,
    /// The scenarios written in the file, for `authoring::scenario` to run.
    pub tests: Vec<S<RawScenario>>,
    /// The file as parsed, for the checks that need its spans; `None` when it is not TOML.
    pub raw: Option<RawFlow>,
}

impl Checked {
    /// Whether any problem stops the flow from being used.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(FlowDiagnostic::is_error)
    }
}

/// Parses and checks one flow file's format. `id` is the file stem; `name` is how the file is
/// shown. The flow is kept only when the format has no error.
pub fn check(id: &str, name: &str, text: &str) -> Checked {
    let file = SourceFile { name, text };
    let raw: RawFlow = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            return Checked {
                flow: None,
                diagnostics: vec![syntax_error(file, &e)],
                tests: Vec::new(),
                raw: None,
            };
        }
    };
    let mut checker = Checker::new(file, &raw);
    let flow = checker.flow(id, &raw);
    let mut diagnostics = checker.errors;
    let flow = flow.filter(|_| diagnostics.is_empty());
    diagnostics.sort_by_key(|d| (d.line, d.column));
    let mut raw = raw;
    Checked {
        flow,
        diagnostics,
        tests: std::mem::take(&mut raw.tests),
        raw: Some(raw),
    }
}

impl Checked {
    /// The flow, or every error (warnings are left out).
    pub fn into_flow(self) -> Result<Flow, FlowErrors> {
        match self.flow {
            Some(flow) if !self.has_errors() => Ok(flow),
            _ => Err(FlowErrors(
                self.diagnostics
                    .into_iter()
                    .filter(FlowDiagnostic::is_error)
                    .collect(),
            )),
        }
    }
}

/// A file hash short enough to show, long enough to tell versions apart.
pub fn version_of(text: &str) -> String {
    use sha1::{Digest, Sha1};
    let digest = Sha1::digest(text.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

fn syntax_error(file: SourceFile<'_>, e: &toml::de::Error) -> FlowDiagnostic {
    let message = e.message().trim().to_string();
    let help = if message.contains("unknown field") {
        "check the spelling of this setting; the message lists the settings allowed here"
    } else if message.contains("missing field") {
        "add the missing setting to this section"
    } else if message.contains("expected a boolean") {
        "this setting is a yes-or-no switch: write true or false, without quotes"
    } else if message.contains("expected a sequence") {
        "this setting is a list: write it in square brackets, like [\"general\"] (or [] for none)"
    } else if message.contains("did not match any variant") {
        "write the target node as \"node_id\", or as { goto = \"node_id\", language = \"es\" }; \
         a prompt is \"text\" or { play = \"https://...\" }"
    } else {
        "fix the TOML syntax here: text goes in double quotes, and each setting is `name = value`"
    };
    file.diagnostic(e.span().unwrap_or(0..0), "syntax", message, help)
}

/// Accumulates problems while building the model.
pub(super) struct Checker<'a> {
    pub file: SourceFile<'a>,
    pub errors: Vec<FlowDiagnostic>,
    /// Declared language ids, the default first.
    pub languages: Vec<String>,
    /// Each declared language id with its code (`en-US`), to find its number words.
    pub language_codes: Vec<(String, String)>,
    pub node_ids: Vec<String>,
    pub category_ids: Vec<String>,
    pub schedule_ids: Vec<String>,
}

impl<'a> Checker<'a> {
    fn new(file: SourceFile<'a>, raw: &RawFlow) -> Self {
        let default = raw.hotline.get_ref().default_language.get_ref().clone();
        let mut languages: Vec<String> = raw.languages.keys().cloned().collect();
        languages.sort_by_key(|l| *l != default);
        let language_codes = languages
            .iter()
            .filter_map(|id| {
                let code = raw.languages.get(id)?.get_ref().code.get_ref();
                Some((id.clone(), code.clone()))
            })
            .collect();
        Checker {
            file,
            errors: Vec::new(),
            languages,
            language_codes,
            node_ids: raw.nodes.keys().cloned().collect(),
            category_ids: raw.categories.keys().cloned().collect(),
            schedule_ids: raw.schedules.keys().cloned().collect(),
        }
    }

    /// Records a problem at `span`.
    pub fn error(&mut self, span: Range<usize>, code: &'static str, message: String, help: String) {
        let d = self.file.diagnostic(span, code, message, help);
        self.errors.push(d);
    }

    /// Checks that `target` names a node; `what` says who refers to it.
    pub fn node_ref(&mut self, target: &str, span: Range<usize>, what: &str) {
        if self.node_ids.iter().any(|n| n == target) {
            return;
        }
        let help = match did_you_mean(target, self.node_ids.iter().map(String::as_str)) {
            Some(close) => {
                format!("did you mean `{close}`? Otherwise add a [nodes.{target}] section")
            }
            None => format!(
                "add a [nodes.{target}] section, or use one of: {}",
                self.node_ids.join(", ")
            ),
        };
        self.error(
            span,
            "unknown-node",
            format!("{what} goes to node `{target}`, which is not defined"),
            help,
        );
    }

    /// Checks that `id` names a category.
    pub fn category_ref(&mut self, id: &str, span: Range<usize>, what: &str) {
        if self.category_ids.iter().any(|c| c == id) {
            return;
        }
        let help = match did_you_mean(id, self.category_ids.iter().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "add a [categories.{id}] section, or use one of: {}",
                self.category_ids.join(", ")
            ),
        };
        self.error(
            span,
            "unknown-category",
            format!("{what} names category `{id}`, which is not defined"),
            help,
        );
    }

    fn flow(&mut self, id: &str, raw: &RawFlow) -> Option<Flow> {
        let hotline = self.hotline(raw);
        if let Some(key) = &raw.hotline.get_ref().operator_key {
            self.key(key.get_ref(), key.span());
        }
        let languages = self.languages_section(raw);
        let schedules = self.schedules(raw);
        let categories = self.categories(raw);
        let queue = self.queue_section(raw);
        let fallback = self.fallback_section(raw);
        let abuse = self.abuse_section(raw);
        let callbacks = self.callbacks_section(raw);
        let speech = self.speech_section(raw);
        let nodes: BTreeMap<_, _> = raw
            .nodes
            .iter()
            .filter_map(|(id, node)| self.node(id, node).map(|n| (id.clone(), n)))
            .collect();
        let (hotline, queue, fallback) = (hotline?, queue?, fallback?);
        if self.errors.is_empty() {
            self.reachability(&nodes, &categories, raw);
        }
        Some(Flow {
            id: id.to_string(),
            version: version_of(self.file.text),
            name: hotline.name,
            numbers: hotline.numbers,
            is_default: hotline.is_default,
            time_zone: hotline.time_zone,
            languages,
            start: hotline.start,
            fallback_category: hotline.fallback_category,
            schedules,
            categories,
            queue,
            fallback,
            abuse,
            callbacks,
            speech,
            nodes,
        })
    }
}

/// The `[hotline]` section once checked.
pub(super) struct HotlineSection {
    pub name: String,
    pub numbers: Vec<String>,
    pub is_default: bool,
    pub time_zone: jiff::tz::TimeZone,
    pub start: String,
    pub fallback_category: String,
}
