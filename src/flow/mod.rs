//! Call flows: the file format staff edit, its checks, and the checked model the engine runs.

pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod graph;
mod lint;
pub mod model;
pub mod picture;
pub mod raw;
pub mod report;
pub mod scenario;
pub mod set;

pub use check::load;
pub use diagnostic::{FlowDiagnostic, FlowErrors};
pub use model::Flow;
pub use set::FlowSet;
