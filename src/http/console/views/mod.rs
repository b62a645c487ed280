//! What the console shows, apart from how requests reach it: the askama page structs, the
//! queue, request, people and wallboard views, the charts, the flash messages and the words
//! for times. Views import nothing from the console's handlers; handlers build views from what
//! the desk returns.

pub mod chart;
pub mod flash;
pub mod history;
pub mod pages;
pub mod people;
pub mod queue;
pub mod report_charts;
pub mod request;
pub mod same_caller;
pub mod wallboard;
pub mod when;
