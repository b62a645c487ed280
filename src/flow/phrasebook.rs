//! The words and phrases each menu choice answers to, per language, and which choice a spoken
//! answer names. Matching ignores case, accents and punctuation; phrases are tried before
//! single words, and numbers ("two", "dos", "2") name the key they stand for.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Number words by language (the part of a language code before `-`), for keys 0 to 9.
const NUMBER_WORDS: &[(&str, [&str; 10])] = &[
    (
        "en",
        [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        ],
    ),
    (
        "es",
        [
            "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
        ],
    ),
];

/// Text as matching sees it: lower case, accents and punctuation removed, split into words.
pub fn tokens(text: &str) -> Vec<String> {
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().map(str::to_string).collect()
}

/// Where an entry of the phrasebook came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Written by staff in the choice's `say.<language>`.
    Written,
    /// The key's number, spoken or as a digit.
    Number,
}

/// One word or phrase a key answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The language it belongs to; `None` for digits, which every language shares.
    pub language: Option<String>,
    /// As written in the file, for hints and graphs.
    pub text: String,
    /// As matching sees it.
    pub tokens: Vec<String>,
    /// The key it names.
    pub key: String,
    pub source: Source,
}

/// What a spoken answer named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// One key, unambiguously.
    Key(String),
    /// Nothing the menu knows, or words of more than one key.
    Nothing,
}

/// Every word and phrase of one menu.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Phrasebook {
    pub entries: Vec<Entry>,
}

impl Phrasebook {
    /// The phrasebook of a menu: `written` holds each key's words by language id; `languages`
    /// pairs each language id with its code (`en-US`) to find its number words; `keys` are
    /// every key the menu answers, options and the repeat key alike.
    pub fn new(
        written: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
        languages: &[(String, String)],
        keys: &[String],
    ) -> Phrasebook {
        let mut entries = Vec::new();
        for (key, by_language) in written {
            for (language, words) in by_language {
                for word in words {
                    entries.push(Entry {
                        language: Some(language.clone()),
                        text: word.clone(),
                        tokens: tokens(word),
                        key: key.clone(),
                        source: Source::Written,
                    });
                }
            }
        }
        for key in keys {
            entries.extend(number_entries(key, languages));
        }
        Phrasebook { entries }
    }

    /// The key `said` names, hearing only the words of `languages` (and digits).
    pub fn hear(&self, said: &str, languages: &[&str]) -> Heard {
        let said = tokens(said);
        let usable = |e: &&Entry| {
            e.language.as_deref().is_none_or(|l| languages.contains(&l))
                && !e.tokens.is_empty()
                && contains(&said, &e.tokens)
        };
        let found: Vec<&Entry> = self.entries.iter().filter(usable).collect();
        // The most specific answer wins: the longest phrase, then words staff wrote, then
        // numbers. Two keys at the same level are a guess this server does not make.
        let best = found
            .iter()
            .map(|e| (e.tokens.len(), e.source == Source::Written))
            .max();
        let Some(best) = best else {
            return Heard::Nothing;
        };
        let mut keys: Vec<&str> = found
            .iter()
            .filter(|e| (e.tokens.len(), e.source == Source::Written) == best)
            .map(|e| e.key.as_str())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        match keys.as_slice() {
            [key] => Heard::Key((*key).to_string()),
            _ => Heard::Nothing,
        }
    }

    /// The words staff wrote for `languages`, for the provider's recognition hints.
    pub fn hints<'a>(&'a self, languages: &'a [&str]) -> impl Iterator<Item = &'a str> + 'a {
        self.entries
            .iter()
            .filter(|e| e.source == Source::Written)
            .filter(move |e| {
                e.language
                    .as_deref()
                    .is_some_and(|l| languages.contains(&l))
            })
            .map(|e| e.text.as_str())
    }

    /// The words staff wrote for `key`, by language, for pictures of the flow.
    pub fn written_for(&self, key: &str) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| e.key == key && e.source == Source::Written)
            .collect()
    }
}

/// Whether `phrase` occurs in `said` as consecutive words.
fn contains(said: &[String], phrase: &[String]) -> bool {
    said.windows(phrase.len()).any(|w| w == phrase)
}

fn number_entries(key: &str, languages: &[(String, String)]) -> Vec<Entry> {
    let Some(digit) = key.chars().next().and_then(|c| c.to_digit(10)) else {
        return Vec::new();
    };
    let entry = |language: Option<&str>, text: &str| Entry {
        language: language.map(str::to_string),
        text: text.to_string(),
        tokens: vec![text.to_string()],
        key: key.to_string(),
        source: Source::Number,
    };
    let mut out = vec![entry(None, key)];
    for (id, code) in languages {
        let family = code.split('-').next().unwrap_or_default().to_lowercase();
        if let Some((_, words)) = NUMBER_WORDS.iter().find(|(f, _)| *f == family) {
            // The digit is 0 to 9, so it indexes the ten number words.
            out.push(entry(Some(id), words[digit as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Phrasebook {
        let mut written = BTreeMap::new();
        let words = |en: &[&str], es: &[&str]| {
            BTreeMap::from([
                ("en".to_string(), en.iter().map(|w| w.to_string()).collect()),
                ("es".to_string(), es.iter().map(|w| w.to_string()).collect()),
            ])
        };
        written.insert("1".to_string(), words(&["custody"], &["custodia"]));
        written.insert(
            "2".to_string(),
            words(&["specialist", "victim assistance"], &["especialista"]),
        );
        written.insert("5".to_string(), words(&["case"], &["caso"]));
        let languages = [
            ("en".to_string(), "en-US".to_string()),
            ("es".to_string(), "es-US".to_string()),
        ];
        let keys = ["1", "2", "5"].map(String::from);
        Phrasebook::new(&written, &languages, &keys)
    }

    fn heard(said: &str, language: &str) -> Heard {
        book().hear(said, &[language])
    }

    #[test]
    fn case_accents_and_punctuation_do_not_matter() {
        assert_eq!(
            heard("Victim Assistance, please!", "en"),
            Heard::Key("2".into())
        );
        assert_eq!(heard("ESPECIALÍSTA.", "es"), Heard::Key("2".into()));
        assert_eq!(heard("custodia", "es"), Heard::Key("1".into()));
    }

    #[test]
    fn numbers_spoken_as_words_or_digits_name_the_key() {
        assert_eq!(heard("two", "en"), Heard::Key("2".into()));
        assert_eq!(heard("dos", "es"), Heard::Key("2".into()));
        assert_eq!(heard("option 2", "en"), Heard::Key("2".into()));
    }

    #[test]
    fn only_the_callers_language_is_heard() {
        assert_eq!(heard("custodia", "en"), Heard::Nothing);
        assert_eq!(heard("dos", "en"), Heard::Nothing);
    }

    #[test]
    fn a_phrase_comes_before_a_single_word() {
        // "case" alone is key 5, but the phrase names key 2.
        assert_eq!(
            heard("victim assistance for my case", "en"),
            Heard::Key("2".into())
        );
    }

    #[test]
    fn words_are_whole_words_and_two_keys_at_once_are_nothing() {
        assert_eq!(heard("showcase", "en"), Heard::Nothing);
        assert_eq!(heard("custody of my case", "en"), Heard::Nothing);
        assert_eq!(heard("I need a lawyer", "en"), Heard::Nothing);
        assert_eq!(heard("", "en"), Heard::Nothing);
    }

    #[test]
    fn written_words_come_before_numbers() {
        assert_eq!(heard("one specialist", "en"), Heard::Key("2".into()));
    }
}
