//! What a call needs between webhooks, carried in the URLs the server hands the provider.
//! Any instance can continue any call, and a restart loses nothing; the provider's signature
//! over those URLs means callers cannot alter it, and what the caller gave travels sealed.

use std::fmt;

use super::seal::StateSeal;
use crate::callbacks::pacing::CallTime;

/// The number a callback request will use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackNumber {
    /// The number the caller is calling from.
    Caller,
    /// A number the caller entered and confirmed.
    Entered(String),
}

/// A call's place in its flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallState {
    /// Hotline (flow id).
    pub hotline: String,
    /// The node the caller is at.
    pub node: String,
    /// The caller's language id.
    pub language: String,
    /// Failed tries at the current node.
    pub attempts: u8,
    /// Next step number; step rows are keyed by it, so a retried webhook writes nothing twice.
    pub seq: u32,
    /// The triage category, once chosen.
    pub category: Option<String>,
    /// The callback number, once chosen.
    pub callback: Option<CallbackNumber>,
    /// "May we leave a message?", once answered.
    pub safe_to_leave_message: Option<bool>,
    /// When it is safe to call back, once answered.
    pub call_time: Option<CallTime>,
    /// A number entered and awaiting confirmation.
    pub pending_number: Option<String>,
    /// Step number of the queue entry the caller is in.
    pub queue_seq: Option<u32>,
    /// On the callback path (sent to a category's `when_closed` node, no request saved yet),
    /// where a hang-up leaves an unfinished request.
    pub callback_path: bool,
    /// The caller asked to be called at another number than the one they call from.
    pub declined_caller_id: bool,
    /// A spoken answer at the current menu was not understood: it now listens for keys only.
    pub keys_only: bool,
    /// The version of the flow the call started on, which it follows to the end even when
    /// staff publish a change meanwhile.
    pub version: Option<String>,
}

/// A URL that does not hold a call state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError(pub String);

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "call state in the URL is not usable: {}", self.0)
    }
}

impl std::error::Error for StateError {}

/// More failed tries than any node allows (flows allow at most 9).
const MAX_ATTEMPTS: u8 = 10;
/// More steps than any call takes; a higher step number was not written by this server.
const MAX_SEQ: u32 = 100_000;

impl CallState {
    /// Checks what a signed URL says against the call's flow: the signature proves the
    /// provider sent it, not that this server wrote every value in it.
    pub fn fits(&self, flow: &crate::flow::Flow) -> Result<(), StateError> {
        let bad = |what: &str| Err(StateError(format!("{what} does not fit the flow")));
        if !flow.languages.iter().any(|l| l.id == self.language) {
            return bad("the language");
        }
        if self
            .category
            .as_ref()
            .is_some_and(|c| !flow.categories.contains_key(c))
        {
            return bad("the category");
        }
        let number = |n: &str| {
            let digits = n.strip_prefix('+').unwrap_or("");
            (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        };
        let entered = match &self.callback {
            Some(CallbackNumber::Entered(n)) => Some(n.as_str()),
            _ => None,
        };
        if entered
            .into_iter()
            .chain(self.pending_number.as_deref())
            .any(|n| !number(n))
        {
            return bad("a phone number");
        }
        if self.attempts > MAX_ATTEMPTS || self.seq > MAX_SEQ {
            return bad("a counter");
        }
        Ok(())
    }

    /// A call at the start of `hotline`.
    pub fn new(hotline: &str, start: &str, language: &str) -> CallState {
        CallState {
            hotline: hotline.to_string(),
            node: start.to_string(),
            language: language.to_string(),
            attempts: 0,
            seq: 0,
            category: None,
            callback: None,
            safe_to_leave_message: None,
            call_time: None,
            pending_number: None,
            queue_seq: None,
            callback_path: false,
            declined_caller_id: false,
            keys_only: false,
            version: None,
        }
    }

    /// The state as URL query parameters (short names keep URLs small). What the caller gave
    /// travels sealed in `x` (see [`StateSeal`]); the rest is the flow's own words.
    pub fn to_query(&self, seal: &StateSeal) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("h", &self.hotline)
            .append_pair("n", &self.node)
            .append_pair("l", &self.language)
            .append_pair("a", &self.attempts.to_string())
            .append_pair("k", &self.seq.to_string());
        if let Some(c) = &self.category {
            q.append_pair("c", c);
        }
        if let Some(k) = self.queue_seq {
            q.append_pair("q", &k.to_string());
        }
        if self.callback_path {
            q.append_pair("p", "1");
        }
        if self.keys_only {
            q.append_pair("ko", "1");
        }
        let private = self.private_query();
        if !private.is_empty() {
            q.append_pair("x", &seal.seal(&private));
        }
        if let Some(v) = &self.version {
            q.append_pair("v", v);
        }
        q.finish()
    }

    fn private_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        match &self.callback {
            Some(CallbackNumber::Caller) => {
                q.append_pair("cb", "caller");
            }
            Some(CallbackNumber::Entered(n)) => {
                q.append_pair("cb", n);
            }
            None => {}
        }
        if let Some(s) = self.safe_to_leave_message {
            q.append_pair("s", if s { "1" } else { "0" });
        }
        if let Some(w) = self.call_time {
            q.append_pair("w", w.as_str());
        }
        if let Some(p) = &self.pending_number {
            q.append_pair("pn", p);
        }
        if self.declined_caller_id {
            q.append_pair("d", "1");
        }
        q.finish()
    }

    /// Reads the state back from a URL query; parameters it does not know are ignored
    /// (GET webhooks add the provider's own). A sealed part that does not open with `seal`
    /// is refused: it was changed, or sealed under another secret.
    pub fn from_query(query: &str, seal: &StateSeal) -> Result<CallState, StateError> {
        let mut state = CallState::new("", "", "");
        let mut seen = [false; 3];
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.into_owned();
            match key.as_ref() {
                "h" => (state.hotline, seen[0]) = (value, true),
                "n" => (state.node, seen[1]) = (value, true),
                "l" => (state.language, seen[2]) = (value, true),
                "a" => state.attempts = number(&key, &value)?,
                "k" => state.seq = number(&key, &value)?,
                "c" => state.category = Some(value),
                "q" => state.queue_seq = Some(number(&key, &value)?),
                "p" => state.callback_path = value == "1",
                "ko" => state.keys_only = value == "1",
                "v" => state.version = Some(value),
                "x" => {
                    let private = seal
                        .open(&value)
                        .ok_or_else(|| StateError("the sealed part does not open".into()))?;
                    for (key, value) in form_urlencoded::parse(private.as_bytes()) {
                        state.set_private(&key, value.into_owned())?;
                    }
                }
                // Calls that began on a server that did not seal yet carry these in the clear;
                // the provider's signature still vouches for them.
                other => state.set_private(other, value)?,
            }
        }
        if seen.contains(&false) {
            return Err(StateError("hotline, node or language is missing".into()));
        }
        Ok(state)
    }

    fn set_private(&mut self, key: &str, value: String) -> Result<(), StateError> {
        match key {
            "cb" if value == "caller" => self.callback = Some(CallbackNumber::Caller),
            "cb" => self.callback = Some(CallbackNumber::Entered(value)),
            "s" => self.safe_to_leave_message = Some(value == "1"),
            "w" => self.call_time = Some(call_time(&value)?),
            "pn" => self.pending_number = Some(value),
            "d" => self.declined_caller_id = value == "1",
            _ => {}
        }
        Ok(())
    }
}

fn call_time(value: &str) -> Result<CallTime, StateError> {
    CallTime::parse(value).ok_or_else(|| StateError("`w` is not a time to call".into()))
}

fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, StateError> {
    value
        .parse()
        .map_err(|_| StateError(format!("`{key}` is not a number")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_state_survives_the_round_trip_through_a_url() {
        let state = CallState {
            hotline: "victim_hotline".into(),
            node: "confirm & check".into(),
            language: "es".into(),
            attempts: 2,
            seq: 17,
            category: Some("general".into()),
            callback: Some(CallbackNumber::Entered("+12025550123".into())),
            safe_to_leave_message: Some(false),
            call_time: Some(CallTime::Evening),
            pending_number: Some("+12025550199".into()),
            queue_seq: Some(9),
            callback_path: true,
            declined_caller_id: true,
            keys_only: true,
            version: Some("3f2a9c01b7d4".into()),
        };
        let seal = StateSeal::new([3; 32]);
        let query = state.to_query(&seal);
        for private in ["2025550123", "2025550199", "evening", "s=", "cb=", "pn="] {
            assert!(!query.contains(private), "{private} in {query}");
        }
        assert_eq!(CallState::from_query(&query, &seal), Ok(state));
        let other = StateSeal::new([4; 32]);
        assert!(
            CallState::from_query(&query, &other).is_err(),
            "another secret"
        );
    }

    #[test]
    fn a_state_written_before_sealing_still_reads() {
        let q = "h=x&n=menu&l=en&a=0&k=3&cb=%2B12025550123&s=0&w=morning";
        let state = CallState::from_query(q, &StateSeal::for_tools()).expect("readable");
        assert_eq!(
            state.callback,
            Some(CallbackNumber::Entered("+12025550123".into()))
        );
        assert_eq!(state.safe_to_leave_message, Some(false));
    }

    #[test]
    fn provider_parameters_in_the_query_are_ignored() {
        let q = "h=x&n=menu&l=en&a=0&k=3&CallSid=CA1&Digits=4";
        let state = CallState::from_query(q, &StateSeal::for_tools()).expect("valid state");
        assert_eq!((state.node.as_str(), state.seq), ("menu", 3));
    }

    #[test]
    fn a_query_without_a_node_is_refused() {
        let seal = StateSeal::for_tools();
        assert!(CallState::from_query("h=x&l=en", &seal).is_err());
        assert!(CallState::from_query("h=x&n=m&l=en&a=lots", &seal).is_err());
    }
}
