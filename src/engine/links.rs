//! The URLs the server puts in its TwiML: absolute, under the configured public base, with the
//! call's state in the query. The operator line adds its own (`operator_line`).

use super::seal::StateSeal;
use super::state::{CallState, StateError};

/// Builds webhook URLs from the public base URL.
#[derive(Debug, Clone)]
pub struct Links {
    base: String,
    seal: StateSeal,
}

impl Links {
    /// `base` is the public URL the provider reaches this server at, e.g.
    /// `https://hotline.example.org` (a path prefix is kept). The state is sealed with the
    /// tools' key: for URLs no provider sees.
    pub fn new(base: &str) -> Links {
        Links::sealed(base, StateSeal::for_tools())
    }

    /// Links whose URLs seal what callers give with `seal` (the server's).
    pub fn sealed(base: &str, seal: StateSeal) -> Links {
        Links {
            base: base.trim_end_matches('/').to_string(),
            seal,
        }
    }

    /// The call state a URL query written by these links holds.
    pub fn state_of(&self, query: &str) -> Result<CallState, StateError> {
        CallState::from_query(query, &self.seal)
    }

    /// The public base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str, state: &CallState) -> String {
        format!("{}/voice/{path}?{}", self.base, state.to_query(&self.seal))
    }

    /// Gather action: keys or speech arrive here.
    pub fn gather(&self, s: &CallState) -> String {
        self.url("gather", s)
    }

    /// Where a gather with no input falls through to.
    pub fn no_input(&self, s: &CallState) -> String {
        self.url("no-input", s)
    }

    /// Record action.
    pub fn record(&self, s: &CallState) -> String {
        self.url("record", s)
    }

    /// Where a record without audio falls through to.
    pub fn no_recording(&self, s: &CallState) -> String {
        self.url("no-recording", s)
    }

    /// Enqueue action: how the wait ended.
    pub fn queue_result(&self, s: &CallState) -> String {
        self.url("queue-result", s)
    }

    /// Enqueue waitUrl: polled while the caller waits.
    pub fn wait(&self, s: &CallState) -> String {
        self.url("wait", s)
    }

    /// Gather action of the callback offer heard while waiting.
    pub fn hold_choice(&self, s: &CallState) -> String {
        self.url("hold-choice", s)
    }

    /// Dial action: how a transfer ended.
    pub fn dial_result(&self, s: &CallState) -> String {
        self.url("dial-result", s)
    }

    /// Continue the call at the state's node.
    pub fn resume(&self, s: &CallState) -> String {
        self.url("continue", s)
    }
}
