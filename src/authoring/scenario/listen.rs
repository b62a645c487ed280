//! Listening to the line's answers the way the provider plays them: what is heard up to the
//! verb that waits, what that verb waits for, and the requests the provider makes by itself.

use std::fmt;
use std::ops::ControlFlow;

use super::call::{Call, InQueue, Pending};
use crate::engine::{self, CallState, Effect, Event};
use crate::twiml::{self, Response, Verb};

/// Answers the provider follows by itself (redirects, leaving a queue) in a row before the
/// scenario gives up on the flow; the checks refuse loops, this is the backstop.
const MAX_FOLLOWS: usize = 16;

/// One line of a call's transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Words spoken by the line.
    Says(String),
    /// An audio file played by the line.
    Plays(String),
    /// What the caller did.
    Caller(String),
    /// Something that happened to the call.
    Event(String),
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Line::Says(t) => write!(f, "line:   \"{t}\""),
            Line::Plays(u) => write!(f, "line:   plays {u}"),
            Line::Caller(c) => write!(f, "caller: {c}"),
            Line::Event(e) => write!(f, "        ({e})"),
        }
    }
}

impl Call<'_> {
    /// Sends a webhook to `url`, as the provider would, and takes in the answer.
    pub(super) fn post(&mut self, url: &str, event: Event) {
        self.follow(url, event, 0);
    }

    fn follow(&mut self, url: &str, event: Event, depth: usize) {
        let Some(state) = state_of(url).filter(|_| depth <= MAX_FOLLOWS) else {
            self.fell_back = true;
            self.pending = Pending::Ended;
            return;
        };
        let outcome = engine::step(self.flow, &state, event, self.ctx);
        self.take_in(outcome, depth);
    }

    /// Records an answer's effects and state, then plays it.
    pub(super) fn take_in(&mut self, outcome: engine::Outcome, depth: usize) {
        self.effects(&outcome.effects);
        self.state = outcome.state;
        if let Some((url, event)) = self.listen(&outcome.response) {
            self.follow(&url, event, depth + 1);
        }
    }

    /// Notes a saved callback request, and the fallback (the flow could not be followed).
    pub(super) fn effects(&mut self, effects: &[Effect]) {
        for effect in effects {
            match effect {
                Effect::CallbackRequested(request) => {
                    self.transcript.push(Line::Event(format!(
                        "callback request saved: {}, in {}",
                        request.category, request.language
                    )));
                    self.callback = Some(request.clone());
                }
                Effect::Step { outcome, .. } if outcome.starts_with("fallback") => {
                    self.transcript.push(Line::Event(outcome.clone()));
                    self.fell_back = true;
                }
                _ => {}
            }
        }
    }

    /// Writes down one answer; returns the request the provider makes by itself, if any.
    pub(super) fn listen(&mut self, response: &Response) -> Option<(String, Event)> {
        let verbs = &response.verbs;
        for (i, verb) in verbs.iter().enumerate() {
            if let ControlFlow::Break(next) = self.hear(verb, verbs.get(i + 1)) {
                return next;
            }
        }
        // A wait document that runs out is requested again later: the caller keeps waiting.
        self.pending = if self.queue.is_some() {
            Pending::InQueue
        } else {
            Pending::Idle
        };
        None
    }

    /// One verb: goes on to the next verb, or stops there (with the request the provider
    /// then makes by itself, if any).
    fn hear(&mut self, verb: &Verb, after: Option<&Verb>) -> ControlFlow<Option<(String, Event)>> {
        match verb {
            Verb::Say(s) => self.transcript.push(Line::Says(s.text.clone())),
            Verb::Play(p) => self.transcript.push(Line::Plays(p.url.clone())),
            Verb::Pause(_) | Verb::Reject(_) => {}
            Verb::Gather(g) => {
                self.prompts(&g.prompts);
                self.pending = Pending::Keys {
                    action: g.action.clone(),
                    no_input: redirect_url(after),
                    speech: g.input != crate::twiml::GatherInput::Dtmf,
                };
                return ControlFlow::Break(None);
            }
            Verb::Record(r) => {
                self.pending = Pending::Recording {
                    action: r.action.clone(),
                    no_recording: redirect_url(after),
                };
                return ControlFlow::Break(None);
            }
            Verb::Enqueue(e) => {
                self.transcript
                    .push(Line::Event(format!("waits in the queue `{}`", e.queue)));
                self.queue = Some(InQueue {
                    action: e.action.clone(),
                    wait: e.wait_url.clone(),
                });
                self.pending = Pending::InQueue;
                return ControlFlow::Break(None);
            }
            Verb::Leave => return ControlFlow::Break(self.leave()),
            Verb::Dial(d) => return ControlFlow::Break(self.dial(d)),
            Verb::Redirect(r) => {
                return ControlFlow::Break(Some((r.url.clone(), event_for(&r.url))));
            }
            Verb::Hangup => {
                self.transcript
                    .push(Line::Event("the line hangs up".into()));
                self.line_hung_up = true;
                self.pending = Pending::Ended;
                return ControlFlow::Break(None);
            }
        }
        ControlFlow::Continue(())
    }

    /// `<Leave/>`: the provider reports `leave` to the queue's action.
    fn leave(&mut self) -> Option<(String, Event)> {
        let queue = self.queue.take()?;
        self.transcript
            .push(Line::Event("leaves the queue: leave".into()));
        let event = Event::QueueResult {
            result: "leave".into(),
            wait_seconds: None,
        };
        queue.action.map(|a| (a, event))
    }

    fn dial(&mut self, d: &twiml::Dial) -> Option<(String, Event)> {
        let to = match &d.target {
            twiml::DialTarget::Number(n) => n.clone(),
            other => format!("{other:?}"),
        };
        self.transcript
            .push(Line::Event(format!("transferred to {to}")));
        self.transferred = true;
        self.pending = Pending::Transfer {
            action: d.action.clone(),
        };
        None
    }

    fn prompts(&mut self, prompts: &[twiml::Prompt]) {
        for p in prompts {
            match p {
                twiml::Prompt::Say(s) => self.transcript.push(Line::Says(s.text.clone())),
                twiml::Prompt::Play(p) => self.transcript.push(Line::Plays(p.url.clone())),
                twiml::Prompt::Pause(_) => {}
            }
        }
    }
}
/// The URL of a `<Redirect>` that follows a verb, which the provider requests when the verb
/// gets no input.
fn redirect_url(verb: Option<&Verb>) -> Option<String> {
    match verb {
        Some(Verb::Redirect(r)) => Some(r.url.clone()),
        _ => None,
    }
}

/// The webhook a bare redirect leads to.
fn event_for(url: &str) -> Event {
    match path_of(url) {
        "no-input" => Event::NoInput,
        "no-recording" => Event::NoRecording,
        _ => Event::Enter,
    }
}

/// The last part of a webhook URL's path: `gather`, `no-input`, `hold-choice`, ...
pub(super) fn path_of(url: &str) -> &str {
    let path = url.split_once('?').map_or(url, |(p, _)| p);
    path.rsplit('/').next().unwrap_or(path)
}

/// The call state a webhook URL carries (scenarios' URLs are sealed with the tools' key).
pub(super) fn state_of(url: &str) -> Option<CallState> {
    let (_, query) = url.split_once('?')?;
    CallState::from_query(query, &crate::engine::StateSeal::for_tools()).ok()
}
