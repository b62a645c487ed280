//! A scripted call through the real engine: each input becomes the webhook the provider would
//! send, to the URL the previous answer named, and what the caller hears is written down.

use super::listen::{Line, path_of, state_of};
use super::script::Input;
use crate::engine::{self, CallContext, CallState, CallbackRequest, Event, Hold};
use crate::flow::model::Flow;

/// Where the provider keeps a scenario's recording; never fetched.
const RECORDING_URL: &str = "https://recordings.example.org/scenario.wav";

/// Queue results after which the caller has been with an operator.
const SERVED: &[&str] = &["bridged", "bridging-in-process", "redirected-from-bridged"];

/// What the line waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Pending {
    /// Keys, sent to `action`; silence goes to `no_input`, or nowhere during a hold offer.
    Keys {
        action: String,
        no_input: Option<String>,
        /// The gather also listens for speech.
        speech: bool,
    },
    /// A recording, sent to `action`; none goes to `no_recording`.
    Recording {
        action: String,
        no_recording: Option<String>,
    },
    /// The caller waits in a queue.
    InQueue,
    /// The caller is being transferred.
    Transfer { action: Option<String> },
    /// The call is over.
    Ended,
    /// Nothing: the answer asked for nothing and did not end the call.
    Idle,
}

/// A queue the caller waits in: where its end and its announcements are requested.
#[derive(Debug, Clone)]
pub(super) struct InQueue {
    pub action: Option<String>,
    pub wait: Option<String>,
}

/// A call in progress, and everything that happened in it.
pub struct Call<'a> {
    pub(super) flow: &'a Flow,
    pub(super) ctx: &'a CallContext<'a>,
    pub(super) pending: Pending,
    pub(super) queue: Option<InQueue>,
    /// What the caller heard and did, in order.
    pub transcript: Vec<Line>,
    /// The call's state after the last answer.
    pub state: CallState,
    /// The callback request saved, if any.
    pub callback: Option<CallbackRequest>,
    /// Something in the flow could not be followed and the caller got the fallback.
    pub fell_back: bool,
    pub(super) served: bool,
    pub(super) transferred: bool,
    pub(super) caller_hung_up: bool,
    pub(super) line_hung_up: bool,
}

impl<'a> Call<'a> {
    /// A call that has just arrived.
    pub fn start(flow: &'a Flow, ctx: &'a CallContext<'a>) -> Call<'a> {
        Call::start_in(flow, ctx, &flow.default_language().id)
    }

    /// A call that has just arrived and starts in `language` (one of the flow's).
    pub fn start_in(flow: &'a Flow, ctx: &'a CallContext<'a>, language: &str) -> Call<'a> {
        let state = CallState::new(&flow.id, &flow.start, language);
        let mut call = Call {
            flow,
            ctx,
            pending: Pending::Idle,
            queue: None,
            transcript: Vec::new(),
            state: state.clone(),
            callback: None,
            fell_back: false,
            served: false,
            transferred: false,
            caller_hung_up: false,
            line_hung_up: false,
        };
        let outcome = engine::step(flow, &state, Event::Start, ctx);
        call.take_in(outcome, 0);
        call
    }

    /// How the call turned out, in the words scenarios use for `outcome`.
    pub fn outcome(&self) -> &'static str {
        if self.fell_back {
            "fallback"
        } else if self.callback.is_some() {
            "callback"
        } else if self.served {
            "answered"
        } else if self.transferred {
            "transfer"
        } else if self.queue.is_some() {
            "queued"
        } else if self.caller_hung_up {
            "caller-hung-up"
        } else if self.line_hung_up {
            "hangup"
        } else {
            "unfinished"
        }
    }

    /// Every text the line spoke.
    pub fn heard(&self) -> impl Iterator<Item = &str> {
        self.transcript.iter().filter_map(|l| match l {
            Line::Says(t) => Some(t.as_str()),
            _ => None,
        })
    }

    /// Does what the caller does next; the error says why it cannot happen at this point.
    pub fn act(&mut self, input: &Input) -> Result<(), String> {
        if self.pending == Pending::Ended {
            return Err("the call had already ended by then".into());
        }
        let line = match input {
            // The provider reports these, not the caller.
            Input::Queue(_) | Input::Transfer(_) => Line::Event(input.to_string()),
            _ => Line::Caller(input.to_string()),
        };
        self.transcript.push(line);
        let done = match input {
            Input::HangUp => {
                self.hang_up();
                Ok(())
            }
            Input::Queue(result) => self.queue_ends(result),
            Input::Wait(minutes) => self.hold_poll(*minutes),
            _ => self.answer(input),
        };
        if done.is_err() {
            // It did not happen, so the transcript does not tell it.
            self.transcript.pop();
        }
        done
    }

    fn hang_up(&mut self) {
        self.caller_hung_up = true;
        if let Some(InQueue {
            action: Some(action),
            ..
        }) = self.queue.take()
        {
            self.post(
                &action,
                Event::QueueResult {
                    result: "hangup".into(),
                    wait_seconds: None,
                },
            );
        }
        self.pending = Pending::Ended;
    }

    fn queue_ends(&mut self, result: &str) -> Result<(), String> {
        let Some(queue) = self.queue.take() else {
            return Err(format!("{}, not waiting in a queue", self.doing()));
        };
        self.served = SERVED.contains(&result);
        match queue.action {
            Some(action) => self.post(
                &action,
                Event::QueueResult {
                    result: result.to_string(),
                    wait_seconds: None,
                },
            ),
            // The fallback's queue has nowhere to come back to: the call ends with it.
            None => self.pending = Pending::Ended,
        }
        Ok(())
    }

    fn hold_poll(&mut self, minutes: u32) -> Result<(), String> {
        let Some(wait) = self.queue.as_ref().and_then(|q| q.wait.clone()) else {
            return Err(format!("{}, not waiting in a queue", self.doing()));
        };
        let state = state_of(&wait).ok_or("the queue's announcement link cannot be followed")?;
        let hold = Hold {
            position: Some(1),
            wait_seconds: Some(minutes.saturating_mul(60)),
            estimate_seconds: None,
        };
        let outcome = engine::hold(self.flow, &state, hold, self.ctx);
        // A hold poll does not move the call: its state stays the one the queue holds.
        let at = self.state.clone();
        self.take_in(outcome, 0);
        self.state = at;
        Ok(())
    }

    /// Keys, silence, a recording or a transfer result, for what the line waits for.
    fn answer(&mut self, input: &Input) -> Result<(), String> {
        match (self.pending.clone(), input) {
            (Pending::Keys { action, .. }, Input::Keys(keys)) => {
                let event = if path_of(&action) == "hold-choice" {
                    Event::HoldChoice(keys.clone())
                } else {
                    // The provider leaves out the key that ends a typed number.
                    Event::Digits(keys.trim_end_matches('#').to_string())
                };
                self.post(&action, event);
            }
            (
                Pending::Keys {
                    action,
                    speech: true,
                    ..
                },
                Input::Say(words),
            ) => {
                let words = words.clone();
                self.post(
                    &action,
                    Event::Speech {
                        words,
                        confidence: None,
                    },
                );
            }
            (Pending::Keys { speech: false, .. }, Input::Say(_)) => {
                return Err(format!(
                    "the line is asking for keys only at `{}`: its menu does not listen for \
                     speech (input = \"dtmf speech\"), or an answer there was not understood",
                    self.state.node
                ));
            }
            (
                Pending::Keys {
                    no_input: Some(url),
                    ..
                },
                Input::Silence,
            ) => {
                self.post(&url, Event::NoInput);
            }
            (Pending::Keys { no_input: None, .. }, Input::Silence) => {
                self.pending = Pending::InQueue;
            }
            (Pending::Recording { action, .. }, Input::Record(seconds)) => self.post(
                &action,
                Event::Recording {
                    url: RECORDING_URL.into(),
                    seconds: Some(*seconds),
                },
            ),
            (
                Pending::Recording {
                    no_recording: Some(url),
                    ..
                },
                Input::Silence,
            ) => {
                self.post(&url, Event::NoRecording);
            }
            (
                Pending::Transfer {
                    action: Some(action),
                },
                Input::Transfer(status),
            ) => {
                self.transferred = status == "completed" || status == "answered";
                self.post(&action, Event::DialResult(status.clone()));
            }
            _ => return Err(format!("{}, so this cannot happen here", self.doing())),
        }
        Ok(())
    }

    /// Whether the call is over.
    pub fn ended(&self) -> bool {
        self.pending == Pending::Ended
    }

    /// What the line is doing, for explaining why an input does not fit.
    pub fn doing(&self) -> String {
        match &self.pending {
            Pending::Keys { .. } if self.queue.is_some() => {
                "the caller is waiting in a queue and may press a key".into()
            }
            Pending::Keys { .. } => format!("the line is asking for keys at `{}`", self.state.node),
            Pending::Recording { .. } => {
                format!("the line is recording a message at `{}`", self.state.node)
            }
            Pending::InQueue => "the caller is waiting in a queue".into(),
            Pending::Transfer { .. } => "the caller is being transferred".into(),
            Pending::Ended => "the call has ended".into(),
            Pending::Idle => format!("the line is not asking anything at `{}`", self.state.node),
        }
    }
}
