//! Triage rules that do not depend on a call: opening hours of categories, and how long a
//! waiting caller is likely to wait.

pub mod estimate;
pub mod schedule;
