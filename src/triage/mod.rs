//! Triage rules that do not depend on a call: opening hours of categories.

pub mod schedule;
