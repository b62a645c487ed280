//! Typed TwiML verbs: what the server can say to the provider. Nesting rules are enforced by the types.
//!
//! A [`Response`] is a list of top-level [`Verb`]s. Only [`Prompt`]s (`<Say>`,
//! `<Play>`, `<Pause>`) can go inside a [`Gather`], and a [`Dial`] has exactly
//! one [`DialTarget`], so a document that Twilio would reject for bad nesting
//! cannot be built. [`Response::render`] turns one into XML.

pub mod recognition;
pub mod render;

pub use recognition::{Hints, Recognition, SpeechModel};

/// `Content-Type` header value for a rendered TwiML document.
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// A whole TwiML document: `<Response>` and the verbs Twilio runs in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Top-level verbs, executed by Twilio from first to last.
    pub verbs: Vec<Verb>,
}

impl Response {
    /// A response running `verbs` in order.
    pub fn new(verbs: Vec<Verb>) -> Self {
        Self { verbs }
    }

    /// Renders the document as XML, declaration included.
    pub fn render(&self) -> String {
        render::render(self)
    }
}

/// A verb that may appear directly inside `<Response>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// `<Say>`: speak text with text-to-speech.
    Say(Say),
    /// `<Play>`: play an audio file.
    Play(Play),
    /// `<Pause>`: stay silent for a while.
    Pause(Pause),
    /// `<Gather>`: collect keypad digits or speech.
    Gather(Gather),
    /// `<Record>`: record the caller's voice.
    Record(Record),
    /// `<Enqueue>`: put the caller in a queue.
    Enqueue(Enqueue),
    /// `<Leave>`: take the caller out of the queue they wait in; Twilio then
    /// continues at the `action` URL of the `<Enqueue>` that queued them.
    Leave,
    /// `<Dial>`: connect the caller to a number or a queue.
    Dial(Dial),
    /// `<Redirect>`: fetch further TwiML from another URL.
    Redirect(Redirect),
    /// `<Hangup>`: end the call.
    Hangup,
    /// `<Reject>`: refuse an incoming call without answering it (no charge).
    Reject(Reject),
}

/// `<Say>`: text spoken to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Say {
    /// The words to speak.
    pub text: String,
    /// `voice` attribute, e.g. `Polly.Joanna`; Twilio's default is `man`.
    pub voice: Option<String>,
    /// `language` attribute, e.g. `en-GB`; Twilio's default is `en-US`.
    pub language: Option<String>,
}

impl Say {
    /// Speaks `text` in Twilio's default voice and language.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            voice: None,
            language: None,
        }
    }

    /// Speaks `text` in the given voice and language.
    pub fn with_voice(
        text: impl Into<String>,
        voice: impl Into<String>,
        language: impl Into<String>,
    ) -> Self {
        Self {
            text: text.into(),
            voice: Some(voice.into()),
            language: Some(language.into()),
        }
    }
}

/// `<Play>`: an audio file played once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Play {
    /// URL of the audio file Twilio fetches and plays.
    pub url: String,
}

impl Play {
    /// Plays the audio at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }
}

/// `<Pause>`: silence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    /// `length` attribute in seconds; Twilio's default is 1.
    pub seconds: u32,
}

/// What may be nested inside a [`Gather`]: it is spoken or played while
/// Twilio listens for input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// Nested `<Say>`.
    Say(Say),
    /// Nested `<Play>`.
    Play(Play),
    /// Nested `<Pause>`.
    Pause(Pause),
}

/// `input` attribute of [`Gather`]: which kind of caller input to accept.
/// Twilio's default is `dtmf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatherInput {
    /// Keypad digits only (`dtmf`).
    Dtmf,
    /// Speech only (`speech`).
    Speech,
    /// Keypad digits or speech (`dtmf speech`).
    DtmfSpeech,
}

impl GatherInput {
    /// The attribute value Twilio expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dtmf => "dtmf",
            Self::Speech => "speech",
            Self::DtmfSpeech => "dtmf speech",
        }
    }
}

/// `<Gather>`: plays its prompts while collecting digits or speech, then
/// posts the result to `action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gather {
    /// `action` URL that receives the input. Always set: Twilio's default
    /// (the current document's URL) is never what a menu wants.
    pub action: String,
    /// `input` attribute; Twilio's default is `dtmf`.
    pub input: GatherInput,
    /// `timeout` in seconds to wait for input; Twilio's default is 5.
    pub timeout_seconds: u32,
    /// `numDigits`: stop after this many digits; Twilio's default is no limit.
    pub num_digits: Option<u32>,
    /// `finishOnKey`: key that ends input; Twilio's default is `#`. An empty
    /// string means no finish key.
    pub finish_on_key: Option<String>,
    /// `language` for speech recognition; Twilio's default is `en-US`.
    pub language: Option<String>,
    /// How speech is recognised, when `input` takes speech.
    pub recognition: Option<Recognition>,
    /// Prompts played while listening.
    pub prompts: Vec<Prompt>,
}

impl Gather {
    /// Gathers `input` and posts it to `action` with Twilio's defaults for
    /// everything else (5 second timeout, no digit limit, `#` finishes).
    pub fn new(action: impl Into<String>, input: GatherInput, prompts: Vec<Prompt>) -> Self {
        Self {
            action: action.into(),
            input,
            timeout_seconds: 5,
            num_digits: None,
            finish_on_key: None,
            language: None,
            recognition: None,
            prompts,
        }
    }
}

/// `<Record>`: records the caller and posts the recording's URL to `action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `action` URL that receives the recording details.
    pub action: String,
    /// `maxLength` in seconds; Twilio's default is 3600.
    pub max_length_seconds: u32,
    /// `timeout`: seconds of silence that end the recording; Twilio's default is 5.
    pub timeout_seconds: u32,
    /// `finishOnKey`: keys that end the recording; Twilio's default is `1234567890*#`.
    pub finish_on_key: String,
    /// `playBeep`: beep before recording starts; Twilio's default is `true`.
    pub play_beep: bool,
}

impl Record {
    /// Records with Twilio's defaults and posts the result to `action`.
    pub fn new(action: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            max_length_seconds: 3600,
            timeout_seconds: 5,
            finish_on_key: "1234567890*#".to_owned(),
            play_beep: true,
        }
    }
}

/// `<Enqueue>`: puts the caller in a named queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enqueue {
    /// Queue name, written as the element's text.
    pub queue: String,
    /// `action` URL requested when the caller leaves the queue; without it
    /// Twilio continues with the verb after `<Enqueue>`.
    pub action: Option<String>,
    /// `waitUrl` whose TwiML plays while the caller waits; Twilio's default
    /// is its own hold music.
    pub wait_url: Option<String>,
}

impl Enqueue {
    /// Queues the caller in `queue` with Twilio's defaults.
    pub fn new(queue: impl Into<String>) -> Self {
        Self {
            queue: queue.into(),
            action: None,
            wait_url: None,
        }
    }
}

/// Who a [`Dial`] connects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialTarget {
    /// `<Number>`: a phone number, E.164 preferred.
    Number(String),
    /// `<Number url>`: a phone number whose answerer first hears the TwiML at `url` (which
    /// may hang up), before the two are connected.
    ScreenedNumber {
        /// The number, written as the element's text.
        number: String,
        /// The TwiML played to whoever answers.
        url: String,
        /// Where the provider reports the leg's progress (initiated, ringing, answered,
        /// completed), so its state is known even if the dial's own result never comes.
        status_callback: Option<String>,
    },
    /// `<Queue>`: the caller at the front of the named queue.
    Queue {
        /// The queue's name, written as the element's text.
        name: String,
        /// `url` whose TwiML is played to the dequeued caller before the two are connected;
        /// only Play, Say, Pause and Redirect may appear in it.
        url: Option<String>,
    },
}

/// `<Dial>`: connects the caller to another party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dial {
    /// The number or queue to connect to.
    pub target: DialTarget,
    /// `action` URL requested when the dialled call ends; without it Twilio
    /// continues with the verb after `<Dial>`.
    pub action: Option<String>,
    /// `timeout` in seconds to wait for an answer; Twilio's default is 30.
    pub timeout_seconds: Option<u32>,
    /// `callerId` shown to the dialled party; Twilio's default is the caller's number.
    pub caller_id: Option<String>,
}

impl Dial {
    /// Dials `target` with Twilio's defaults.
    pub fn new(target: DialTarget) -> Self {
        Self {
            target,
            action: None,
            timeout_seconds: None,
            caller_id: None,
        }
    }
}

/// `<Redirect>`: hands control to the TwiML at another URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// URL Twilio requests next (with Twilio's default method, `POST`).
    pub url: String,
}

impl Redirect {
    /// Redirects to `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }
}

/// `reason` attribute of [`Reject`]: what the caller hears.
/// Twilio's default is `rejected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectReason {
    /// `rejected`: a "not in service" tone.
    Rejected,
    /// `busy`: a busy signal.
    Busy,
}

impl RejectReason {
    /// The attribute value Twilio expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rejected => "rejected",
            Self::Busy => "busy",
        }
    }
}

/// `<Reject>`: refuses the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// What the caller hears.
    pub reason: RejectReason,
}
