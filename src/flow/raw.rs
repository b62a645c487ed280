//! The call-flow file as written: serde shapes of the TOML, with source spans, before any checking.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A value with the byte range it came from in the file.
pub type S<T> = Spanned<T>;

/// One prompt in every language: `prompt.en = "text"` or `prompt.en = { play = "https://..." }`.
pub type RawPrompt = S<BTreeMap<String, S<RawPromptPart>>>;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFlow {
    pub hotline: S<RawHotline>,
    #[serde(default)]
    pub languages: BTreeMap<String, S<RawLanguage>>,
    #[serde(default)]
    pub schedules: BTreeMap<String, S<RawSchedule>>,
    #[serde(default)]
    pub categories: BTreeMap<String, S<RawCategory>>,
    pub queue: Option<S<RawQueue>>,
    pub fallback: Option<S<RawFallback>>,
    /// Callers turned away before they reach anyone.
    pub abuse: Option<S<RawAbuse>>,
    /// How the line calls callers back.
    pub callbacks: Option<S<RawCallbacks>>,
    /// How spoken answers are heard and kept.
    pub speech: Option<S<RawSpeech>>,
    #[serde(default)]
    pub nodes: BTreeMap<String, S<RawNode>>,
    /// Scenarios staff wrote to test the flow: `[[tests]]`.
    #[serde(default)]
    pub tests: Vec<S<RawScenario>>,
}

/// `[hotline]`: who this file answers for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHotline {
    pub name: S<String>,
    #[serde(default)]
    pub numbers: Vec<S<String>>,
    #[serde(default)]
    pub default: bool,
    pub time_zone: S<String>,
    pub default_language: S<String>,
    pub start: S<String>,
    pub fallback_category: S<String>,
    /// By the hotline's convention, the key that reaches a person in every menu.
    pub operator_key: Option<S<String>>,
    /// In opening hours, a category with nobody available takes its closed path; each
    /// category may say otherwise.
    #[serde(default)]
    pub open_requires_staff: bool,
}

/// `[languages.xx]`: how one language is spoken.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    pub name: S<String>,
    pub voice: S<String>,
    pub code: S<String>,
}

/// `[schedules.x]`: opening hours.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchedule {
    pub monday: Option<S<Vec<S<String>>>>,
    pub tuesday: Option<S<Vec<S<String>>>>,
    pub wednesday: Option<S<Vec<S<String>>>>,
    pub thursday: Option<S<Vec<S<String>>>>,
    pub friday: Option<S<Vec<S<String>>>>,
    pub saturday: Option<S<Vec<S<String>>>>,
    pub sunday: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub closed_now: bool,
    pub closed_now_announcement: Option<RawPrompt>,
    pub after_hours_announcement: Option<RawPrompt>,
    pub closure_announcement: Option<RawPrompt>,
    /// Heard in opening hours by callers of a category that needs staff and has none.
    pub unstaffed_announcement: Option<RawPrompt>,
    #[serde(default)]
    pub closures: Vec<S<RawClosure>>,
}

/// One dated closure (a holiday, or several days).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClosure {
    pub date: S<String>,
    pub until: Option<S<String>>,
    pub name: S<String>,
    pub announcement: Option<RawPrompt>,
}

/// `[categories.x]`: a kind of help callers are triaged to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    /// The name staff read in the console and the reports; the label is what callers hear.
    pub title: Option<S<String>>,
    pub label: RawPrompt,
    pub priority: S<i64>,
    pub schedule: S<String>,
    pub queue: Option<S<String>>,
    pub when_closed: S<String>,
    pub max_hold_minutes: Option<S<i64>>,
    pub callback_within_hours: Option<S<i64>>,
    /// Overrides the hotline's `open_requires_staff` for this category.
    pub open_requires_staff: Option<bool>,
}

/// `[queue]`: what waiting callers hear.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    pub hold_prompt: RawPrompt,
    pub hold_audio: Option<S<String>>,
    pub hold_seconds: Option<S<i64>>,
    pub unavailable_prompt: RawPrompt,
    pub estimate_prompt: Option<RawPrompt>,
    pub offer_callback_prompt: Option<RawPrompt>,
    pub offer_callback_key: Option<S<String>>,
}

/// `[fallback]`: what callers hear when something fails inside the server.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFallback {
    pub apology: RawPrompt,
    pub give_up: RawPrompt,
}

/// `[abuse]`: numbers that are blocked, and how many calls an hour one number may make.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAbuse {
    #[serde(default)]
    pub blocked: Vec<S<String>>,
    pub max_calls_per_hour: Option<S<i64>>,
    pub message: RawPrompt,
}

/// `[callbacks]`: how the line calls callers back.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallbacks {
    /// Prefixes (`+44`, `+1876`) dialable beyond the United States and Canada.
    #[serde(default)]
    pub dialable: Vec<S<String>>,
    /// Local hours in which callers may be rung, e.g. "09:00-20:00".
    pub calling_hours: Option<S<String>>,
    /// Minutes between two attempts on one request.
    pub min_gap_minutes: Option<S<i64>>,
    /// What a caller who asks for mornings, afternoons or evenings means, e.g. "17:00-20:00".
    pub morning: Option<S<String>>,
    pub afternoon: Option<S<String>>,
    pub evening: Option<S<String>>,
    /// Calls back the line places to one number in a day, at most.
    pub max_calls_per_number_per_day: Option<S<i64>>,
    /// Calls back nobody answers before a request closes as unreachable.
    pub max_attempts: Option<S<i64>>,
    /// The number shown to the person called back; the first of `numbers` when left out.
    pub caller_id: Option<S<String>>,
    /// Heard by the person called back before they are connected; names nothing.
    pub screen: Option<RawPrompt>,
    /// Left as a message when nobody presses the key and the caller said a message is safe.
    pub voicemail: Option<RawPrompt>,
}

/// `[speech]`: how spoken answers to menus are heard and kept.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpeech {
    /// Answers the provider is less sure of than this (0 to 1) count as not understood.
    pub min_confidence: Option<S<f64>>,
    /// Store what callers said with the call's steps; off unless the flow says so.
    pub keep_speech: Option<S<bool>>,
    /// Seconds of silence that end a spoken answer.
    pub timeout: Option<S<i64>>,
}

/// `[nodes.x]`: one step of the call. The fields a node may use depend on its `type`;
/// they are all optional here so the checker can say which field a type needs or ignores.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    #[serde(rename = "type")]
    pub kind: S<String>,
    /// The name staff read for this step (a caller's path, the drop-off report).
    pub title: Option<S<String>>,
    #[serde(default)]
    pub all_languages: bool,
    pub prompt: Option<RawPrompt>,
    pub next: Option<S<String>>,
    pub options: Option<S<BTreeMap<String, S<RawChoice>>>>,
    pub default_key: Option<S<String>>,
    pub repeat_key: Option<S<String>>,
    pub invalid_prompt: Option<RawPrompt>,
    pub no_input_prompt: Option<RawPrompt>,
    pub confirm_prompt: Option<RawPrompt>,
    pub max_attempts: Option<S<i64>>,
    pub after_max_attempts: Option<S<String>>,
    pub timeout: Option<S<i64>>,
    pub format: Option<S<String>>,
    pub max_length: Option<S<i64>>,
    pub category: Option<S<String>>,
    pub number: Option<S<String>>,
    /// On a message node: what the message tells the caller about voice messages, recorded
    /// as their answer.
    pub safe_to_leave_message: Option<S<bool>>,
    /// On a menu: `"dtmf"` (keys, the default) or `"dtmf speech"` (keys or speech).
    pub input: Option<S<String>>,
    /// On a menu that listens for speech: heard after the prompt, while speech is listened for.
    pub speech_prompt: Option<RawPrompt>,
}

/// One prompt in one language.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawPromptPart {
    /// Text spoken by the provider's text-to-speech.
    Say(String),
    /// An audio file played instead.
    Play {
        /// The audio URL.
        play: String,
    },
}

/// What a menu key does: `"node"` or `{ goto = "node", language = "es", ... }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawChoice {
    /// Go to a node.
    Goto(String),
    /// Go to a node and remember something about the caller.
    Full(RawFullChoice),
}

/// The table form of a menu choice.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFullChoice {
    pub goto: String,
    pub language: Option<String>,
    pub callback_number: Option<String>,
    pub if_withheld: Option<String>,
    pub safe_to_leave_message: Option<bool>,
    pub call_time: Option<String>,
    /// Words and phrases that choose it, by language: `say.en = ["specialist"]`.
    pub say: Option<BTreeMap<String, Vec<String>>>,
}

/// `[[tests]]`: a scripted call and what it should lead to, run by `hotline flows check`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: S<String>,
    /// When the call is made: an RFC 3339 instant, or a local date and time in the hotline's
    /// time zone.
    pub at: S<String>,
    /// The caller's number, or `withheld`.
    pub caller: Option<S<String>>,
    /// What the caller does, one step each.
    #[serde(default)]
    pub inputs: Vec<S<String>>,
    /// Expected: the category the caller ends in.
    pub category: Option<S<String>>,
    /// Expected: the language the call ends in.
    pub language: Option<S<String>>,
    /// Expected: how the call turns out.
    pub outcome: Option<S<String>>,
    /// Expected: phrases the caller hears.
    #[serde(default)]
    pub hears: Vec<S<String>>,
    /// Expected: phrases the caller never hears.
    #[serde(default)]
    pub not_hears: Vec<S<String>>,
    /// Expected: the callback request's answer to "may we leave a message?".
    pub safe_to_leave_message: Option<S<bool>>,
    /// Expected: the callback request's number, or `caller`.
    pub callback_number: Option<S<String>>,
    /// Expected: when the caller said it is safe to call (`morning`, `afternoon`, `evening`,
    /// `any`).
    pub call_time: Option<S<String>>,
    /// Expected: the first time the line may call the request back (written like `at`), or
    /// `never`.
    pub first_call_back: Option<S<String>>,
    /// Expected: phrases whoever answers the call back hears (the check, and the message
    /// left when nobody presses the key).
    #[serde(default)]
    pub call_back_hears: Vec<S<String>>,
    /// Expected: phrases whoever answers the call back never hears.
    #[serde(default)]
    pub call_back_not_hears: Vec<S<String>>,
    /// The categories someone is available for during the call; without it, every one.
    pub staffed: Option<S<Vec<S<String>>>>,
}
