//! The operator console, driven as operators drive it: its pages and forms over HTTP, the
//! queue and its event stream and its live updates, sessions and sign-in, lockouts, reports, the wallboard, and a
//! real browser.

mod browser;
mod browser_people;
mod browser_pictures;
mod browser_work;
mod live;
mod lockout;
mod pages;
mod people;
mod queue;
mod reports;
mod session;
mod wallboard;
