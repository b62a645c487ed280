//! The hotlines as loaded and served: a file checked in full (its format, then the whole-flow
//! checks that play calls through the engine), the set of files a server answers for, the
//! flows folder on disk, and the library that reloads it while calls go on.

pub mod files;
pub mod library;
mod lint;
pub mod set;

pub use set::FlowSet;

use crate::flow::check::Checked;
use crate::flow::diagnostic::SourceFile;
use crate::flow::{Flow, FlowErrors};

/// Parses and checks one flow file completely, keeping the warnings: the format's checks and,
/// once the format has no error, the whole-flow checks. `id` is the file stem; `name` is how
/// the file is shown.
pub fn check(id: &str, name: &str, text: &str) -> Checked {
    let mut checked = crate::flow::check::check(id, name, text);
    if let (Some(flow), Some(raw)) = (&checked.flow, &checked.raw) {
        let file = SourceFile { name, text };
        checked.diagnostics.extend(lint::lint(flow, raw, file));
        checked.diagnostics.sort_by_key(|d| (d.line, d.column));
    }
    checked
}

/// Parses and checks one flow file for serving: the flow, or every error (warnings are left
/// out; `check` has them).
pub fn load(id: &str, name: &str, text: &str) -> Result<Flow, FlowErrors> {
    check(id, name, text).into_flow()
}
