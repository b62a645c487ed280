//! What the console shows, apart from how requests reach it: the askama page structs, the
//! queue and request views, the flash messages and the words for times. Views import nothing
//! from the console's handlers; handlers build views from what the desk returns.

pub mod flash;
pub mod history;
pub mod pages;
pub mod queue;
pub mod request;
pub mod same_caller;
pub mod when;
