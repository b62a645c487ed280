//! Triage rules that do not depend on a call: opening hours of categories, why a category
//! could not take a caller, and how long a waiting caller is likely to wait.

pub mod closed;
pub mod estimate;
pub mod schedule;
