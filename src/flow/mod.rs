//! Call flows: the file format staff edit, the checks of that format, and the checked model
//! the engine runs.

pub mod check;
pub mod diagnostic;
pub mod model;
pub mod names;
pub mod phrasebook;
pub mod raw;

pub use diagnostic::{FlowDiagnostic, FlowErrors};
pub use model::Flow;
