//! What a `<Gather>` tells the provider's speech recognition: the words to expect, how long a
//! pause ends an answer, the model, and that an empty answer still reaches the action URL.

/// Twilio reads at most this many `hints`.
pub const MAX_HINTS: usize = 500;
/// Twilio reads at most this many characters of one hint.
pub const MAX_HINT_CHARS: usize = 100;

/// The speech settings of a gather that listens for speech as well as keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    /// `hints`: words and phrases the caller is likely to say.
    pub hints: Hints,
    /// `speechTimeout`: seconds of silence that end an answer. Always a number: Twilio
    /// refuses `auto` once a `speechModel` is set (warning 13335), so the type has no `auto`.
    pub speech_timeout_seconds: u32,
    /// `speechModel`.
    pub model: SpeechModel,
    /// `actionOnEmptyResult`: post to the action URL even when nothing was heard.
    pub action_on_empty_result: bool,
}

/// `speechModel` values this server asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeechModel {
    /// `phone_call`: tuned for telephone audio.
    PhoneCall,
}

impl SpeechModel {
    /// The attribute value Twilio expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PhoneCall => "phone_call",
        }
    }
}

/// A `hints` list within Twilio's limits: at most [`MAX_HINTS`] entries of at most
/// [`MAX_HINT_CHARS`] characters, none empty, none repeated, and no commas, which would split
/// an entry in two.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hints {
    /// Shared, so the flow draws a menu's hints once and each answer only counts a reference.
    entries: std::sync::Arc<[String]>,
    /// The attribute value, joined once.
    attribute: std::sync::Arc<str>,
}

impl Hints {
    /// The hints from `words`, in order, cut to the provider's limits.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Hints {
        let mut out: Vec<String> = Vec::new();
        for word in words {
            let clean: String = word
                .chars()
                .map(|c| if c == ',' { ' ' } else { c })
                .take(MAX_HINT_CHARS)
                .collect();
            let clean = clean.trim();
            if !clean.is_empty() && !out.iter().any(|h| h == clean) {
                out.push(clean.to_string());
            }
            if out.len() == MAX_HINTS {
                break;
            }
        }
        Hints {
            attribute: out.join(",").into(),
            entries: out.into(),
        }
    }

    /// The entries.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The attribute value: entries separated by commas.
    pub fn attribute(&self) -> &str {
        &self.attribute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_keep_within_the_providers_limits() {
        let long = "a".repeat(150);
        let many: Vec<String> = (0..600).map(|i| format!("word{i}")).collect();
        let words = [
            "victim, assistance",
            "",
            "  ",
            "custody",
            "custody",
            long.as_str(),
        ]
        .into_iter()
        .chain(many.iter().map(String::as_str));
        let hints = Hints::new(words);
        assert_eq!(hints.entries().len(), MAX_HINTS);
        assert_eq!(hints.entries()[0], "victim  assistance");
        assert_eq!(hints.entries()[1], "custody");
        assert_eq!(hints.entries()[2].chars().count(), MAX_HINT_CHARS);
        assert!(hints.entries().iter().all(|h| !h.contains(',')));
    }
}
