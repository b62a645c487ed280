//! The checked call flow: every reference resolved, every prompt present in every language.
//! Only `flow::check` builds these values, so the engine can trust them.

use std::collections::BTreeMap;

use crate::triage::schedule::Schedule;

/// One hotline, as loaded from one file of `call_flows/`.
#[derive(Debug, Clone)]
pub struct Flow {
    /// The file stem, e.g. `victim_hotline`; carried in every URL of a call.
    pub id: String,
    /// Content hash of the file, recorded with every call.
    pub version: String,
    /// The hotline's name, for people.
    pub name: String,
    /// Called numbers (`To`) this hotline answers, normalised to digits with a leading `+`.
    pub numbers: Vec<String>,
    /// Answers calls to numbers no hotline lists.
    pub is_default: bool,
    /// The hotline's IANA time zone.
    pub time_zone: jiff::tz::TimeZone,
    /// The languages, the default one first.
    pub languages: Vec<Language>,
    /// The node every call starts at.
    pub start: String,
    /// Where callers go when the menus cannot place them or something fails.
    pub fallback_category: String,
    /// Opening hours by schedule id.
    pub schedules: BTreeMap<String, ScheduleSpec>,
    /// Triage categories by id.
    pub categories: BTreeMap<String, Category>,
    /// What waiting callers hear.
    pub queue: QueueSettings,
    /// What callers hear when the server fails.
    pub fallback: FallbackSettings,
    /// Callers turned away before they reach anyone, when the flow says so.
    pub abuse: Option<AbuseSettings>,
    /// How callers are called back.
    pub callbacks: CallbackSettings,
    /// How spoken answers are heard and kept.
    pub speech: SpeechSettings,
    /// The call's steps by id.
    pub nodes: BTreeMap<String, Node>,
}

impl Flow {
    /// The language with this id, or the default one.
    pub fn language(&self, id: &str) -> &Language {
        self.languages
            .iter()
            .find(|l| l.id == id)
            .unwrap_or(&self.languages[0])
    }

    /// The default language (checked flows have at least one).
    pub fn default_language(&self) -> &Language {
        &self.languages[0]
    }

    /// Whether any category opens only while someone is available for it, so the line must
    /// know who is.
    pub fn requires_staff(&self) -> bool {
        self.categories.values().any(|c| c.open_requires_staff)
    }
}

/// How one language is spoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// Short id used in prompts and URLs, e.g. `en`.
    pub id: String,
    /// Name for people, e.g. `Español`.
    pub name: String,
    /// Text-to-speech voice, e.g. `Polly.Lupe-Neural`.
    pub voice: String,
    /// Language code for the voice, e.g. `es-US`.
    pub code: String,
}

/// One prompt in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptPart {
    /// Spoken by text-to-speech; may contain `{placeholders}`.
    Say(String),
    /// An audio file.
    Play(String),
}

/// A prompt in every language of the flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Prompt {
    /// By language id; checked flows have every language.
    pub parts: BTreeMap<String, PromptPart>,
}

impl Prompt {
    /// The prompt in `language`, if present.
    pub fn get(&self, language: &str) -> Option<&PromptPart> {
        self.parts.get(language)
    }

    /// The text in `language`, when it is spoken text rather than audio.
    pub fn text(&self, language: &str) -> Option<&str> {
        match self.parts.get(language)? {
            PromptPart::Say(text) => Some(text),
            PromptPart::Play(_) => None,
        }
    }
}

/// A schedule with what callers hear when it is closed.
#[derive(Debug, Clone)]
pub struct ScheduleSpec {
    /// The hours themselves.
    pub hours: Schedule,
    /// Heard outside the weekly hours.
    pub after_hours: Option<Prompt>,
    /// Heard on a closure day without its own announcement.
    pub closure_default: Option<Prompt>,
    /// Per closure (same order as `hours.closures`), its own announcement.
    pub closure_announcements: Vec<Option<Prompt>>,
    /// Heard while the manual switch is on.
    pub closed_now: Option<Prompt>,
    /// Heard in opening hours by callers of a category that needs staff and has none; without
    /// it they hear the queue's `unavailable_prompt`.
    pub unstaffed: Option<Prompt>,
}

/// A kind of help callers are triaged to.
#[derive(Debug, Clone)]
pub struct Category {
    /// Stable id, e.g. `victim_assistance`.
    pub id: String,
    /// Its name for staff ("Victim assistance"): as written, or made from the id.
    pub title: String,
    /// Name per language, as callers hear it.
    pub label: Prompt,
    /// Higher is served first.
    pub priority: u8,
    /// The schedule that staffs it.
    pub schedule: String,
    /// The provider queue callers wait in.
    pub queue: String,
    /// Node callers go to when no one is on duty, or when they leave the queue for a callback.
    pub when_closed: String,
    /// After this long in the queue, callers are offered to leave it for a callback request.
    pub max_hold_minutes: Option<u32>,
    /// How soon a callback request of this category should be returned.
    pub callback_within_hours: u32,
    /// In opening hours, callers take the `when_closed` path at once while nobody who works
    /// the category is available, rather than wait in a queue nobody answers.
    pub open_requires_staff: bool,
}

/// What waiting callers hear, and what happens when a queue fails.
#[derive(Debug, Clone)]
pub struct QueueSettings {
    /// Heard on every hold poll; `{position}` is the caller's place in line.
    pub hold_prompt: Prompt,
    /// Optional music between announcements.
    pub hold_audio: Option<String>,
    /// Silence between announcements when there is no music.
    pub hold_seconds: u32,
    /// Heard when the queue could not take or keep the caller.
    pub unavailable_prompt: Prompt,
    /// Heard after the position when a wait estimate is known; `{minutes}` is the estimate.
    pub estimate_prompt: Option<Prompt>,
    /// Offers a callback to callers past their category's `max_hold_minutes`. Checked flows
    /// have it whenever a category sets `max_hold_minutes`.
    pub offer_callback_prompt: Option<Prompt>,
    /// The key that takes the offer.
    pub offer_callback_key: String,
}

/// Callers turned away at the start of a call, before any menu or queue: they hear a short
/// message and the line hangs up, so they never reach an operator's queue.
#[derive(Debug, Clone)]
pub struct AbuseSettings {
    /// Caller numbers (E.164) that are always turned away.
    pub blocked: std::collections::BTreeSet<String>,
    /// Calls one number may make in an hour; the next ones are turned away.
    pub max_calls_per_hour: Option<u32>,
    /// What a turned-away caller hears.
    pub message: Prompt,
}

/// How the line calls callers back (`[callbacks]`; every setting has a default).
#[derive(Debug, Clone)]
pub struct CallbackSettings {
    /// Prefixes (`+44`, `+1876`) dialable beyond the United States and Canada; see
    /// [`crate::callbacks::dialable`].
    pub dialable: Vec<String>,
    /// When a request may be called: calling hours and the gap between attempts.
    pub pacing: crate::callbacks::pacing::Pacing,
    /// Calls back the line places to one number in 24 hours, at most.
    pub max_calls_per_number_per_day: u32,
    /// Calls back nobody answers before a request closes as unreachable; without it, the
    /// server's `--callback-max-attempts`.
    pub max_attempts: Option<u32>,
    /// The number shown to the person called back (never an operator's own).
    pub caller_id: Option<String>,
    /// The neutral check the person called back hears before they are connected; without
    /// it the operator line does not place call backs.
    pub screen: Option<Prompt>,
    /// The neutral message left when nobody presses the key and a message is safe; without
    /// it no message is ever left.
    pub voicemail: Option<Prompt>,
}

/// Calls back the line places to one number in a day when the flow names no limit.
pub const DEFAULT_CALLS_PER_NUMBER_PER_DAY: u32 = 3;

impl Default for CallbackSettings {
    fn default() -> Self {
        CallbackSettings {
            dialable: Vec::new(),
            pacing: Default::default(),
            max_calls_per_number_per_day: DEFAULT_CALLS_PER_NUMBER_PER_DAY,
            max_attempts: None,
            caller_id: None,
            screen: None,
            voicemail: None,
        }
    }
}

impl CallbackSettings {
    /// Whether `number` may be called back.
    pub fn dialable(&self, number: &str) -> Result<(), crate::callbacks::dialable::NotDialable> {
        crate::callbacks::dialable::check(number, &self.dialable)
    }
}

/// How spoken answers to menus are heard and kept (`[speech]`; every setting has a default).
#[derive(Debug, Clone, PartialEq)]
pub struct SpeechSettings {
    /// Answers the provider is less sure of (0 to 1) count as not understood.
    pub min_confidence: f64,
    /// Whether the words callers say are stored with the call's steps.
    pub keep_speech: bool,
    /// Seconds of silence that end a spoken answer.
    pub timeout_seconds: u32,
}

impl Default for SpeechSettings {
    fn default() -> Self {
        SpeechSettings {
            min_confidence: 0.5,
            keep_speech: false,
            timeout_seconds: 2,
        }
    }
}

/// What callers hear when the server fails.
#[derive(Debug, Clone)]
pub struct FallbackSettings {
    /// An apology before routing the caller to help.
    pub apology: Prompt,
    /// When even the callback request cannot be saved.
    pub give_up: Prompt,
}

/// One step of a call.
#[derive(Debug, Clone)]
pub struct Node {
    /// Its id in the file.
    pub id: String,
    /// Its name for staff ("Main menu"): as written, or made from the id.
    pub title: String,
    /// Speak its prompts in every language (used before a language is chosen).
    pub all_languages: bool,
    /// What it does.
    pub kind: NodeKind,
}

/// What a node does.
#[derive(Debug, Clone)]
pub enum NodeKind {
    /// Speak, then go on. `safe_to_leave_message` records what the message promised the
    /// caller about voice messages, as if they had answered so.
    Message {
        prompt: Prompt,
        next: String,
        safe_to_leave_message: Option<bool>,
    },
    /// Ask for one key.
    Menu(Menu),
    /// Ask for a phone number, read it back and confirm it.
    CollectPhone(CollectPhone),
    /// Record a short message.
    Record {
        prompt: Prompt,
        max_seconds: u32,
        next: String,
    },
    /// Send the caller to a category: its queue when open, its `when_closed` node otherwise.
    Triage {
        category: String,
        prompt: Option<Prompt>,
    },
    /// Save a callback request, then confirm it.
    Callback { prompt: Prompt, next: String },
    /// Connect the caller to a phone number.
    Transfer {
        number: String,
        prompt: Option<Prompt>,
        timeout_seconds: u32,
        next: String,
    },
    /// Say goodbye and end the call.
    Hangup { prompt: Option<Prompt> },
}

/// A key menu.
#[derive(Debug, Clone)]
pub struct Menu {
    /// Asked each time.
    pub prompt: Prompt,
    /// Key to choice.
    pub options: BTreeMap<String, Choice>,
    /// Silence counts as this key.
    pub default_key: Option<String>,
    /// Replays the menu without counting an attempt.
    pub repeat_key: Option<String>,
    /// Heard after a key that means nothing here.
    pub invalid_prompt: Option<Prompt>,
    /// Heard after silence.
    pub no_input_prompt: Option<Prompt>,
    /// Failed tries before giving up.
    pub max_attempts: u8,
    /// Where callers go after `max_attempts` failed tries.
    pub after_max_attempts: String,
    /// Seconds of silence that count as no input.
    pub timeout_seconds: u32,
    /// Whether, and how, the menu also listens for speech.
    pub speech: Option<MenuSpeech>,
}

/// A menu that listens for speech as well as keys.
#[derive(Debug, Clone)]
pub struct MenuSpeech {
    /// The words and numbers each key answers to.
    pub phrasebook: crate::flow::phrasebook::Phrasebook,
    /// Heard after the menu's prompt while speech is listened for.
    pub prompt: Option<Prompt>,
    /// The recognition hints of a caller heard in one language, by language id, drawn once
    /// when the flow is checked rather than at every answer.
    pub hints: BTreeMap<String, crate::twiml::Hints>,
    /// The same for a menu heard in every language (`all_languages`).
    pub hints_all_languages: crate::twiml::Hints,
}

impl MenuSpeech {
    /// The hints for a caller heard in `languages`: one of the flow's, or all of them.
    pub fn hints_for(&self, languages: &[&str]) -> crate::twiml::Hints {
        let one = match languages {
            [language] => self.hints.get(*language),
            _ => None,
        };
        one.unwrap_or(&self.hints_all_languages).clone()
    }
}

/// What a menu key does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Next node.
    pub goto: String,
    /// Switches the call to this language.
    pub language: Option<String>,
    /// Uses the number the caller is calling from for the callback.
    pub callback_to_caller: bool,
    /// With `callback_to_caller`: where to go instead when the caller's number is withheld.
    pub if_withheld: Option<String>,
    /// Records the caller's answer to "may we leave a message?".
    pub safe_to_leave_message: Option<bool>,
    /// Records when the caller said it is safe to call them back.
    pub call_time: Option<crate::callbacks::pacing::CallTime>,
    /// Words and phrases that choose it, by language id, as written.
    pub say: BTreeMap<String, Vec<String>>,
}

/// Which phone numbers a collect node accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneFormat {
    /// 10 digits (or 11 starting with 1): US, Canada and the rest of the North American plan.
    Nanp,
    /// Any 8 to 15 digits: an international number with its country code, typed without `+`.
    Any,
}

/// A phone-number question.
#[derive(Debug, Clone)]
pub struct CollectPhone {
    /// Asks for the number.
    pub prompt: Prompt,
    /// Heard after a number that is not valid.
    pub invalid_prompt: Prompt,
    /// Reads the number back; `{number}` is the number.
    pub confirm_prompt: Prompt,
    /// Which numbers are valid.
    pub format: PhoneFormat,
    /// Failed tries before giving up.
    pub max_attempts: u8,
    /// Where callers go after `max_attempts` failed tries.
    pub after_max_attempts: String,
    /// Where callers go with a confirmed number.
    pub next: String,
    /// Seconds of silence that count as no input.
    pub timeout_seconds: u32,
}
