//! Turns flow prompts into TwiML speech: the caller's language and voice, placeholders filled,
//! numbers read digit by digit.

use crate::flow::model::{Flow, Prompt, PromptPart};
use crate::twiml;

/// The TwiML for `prompt`, in `language`, or in every language of the flow (default first)
/// when `all_languages` is set.
pub fn prompt_verbs(
    flow: &Flow,
    prompt: &Prompt,
    language: &str,
    all_languages: bool,
    values: &[(&str, &str)],
) -> Vec<twiml::Prompt> {
    let languages: Vec<&str> = if all_languages {
        flow.languages.iter().map(|l| l.id.as_str()).collect()
    } else {
        vec![flow.language(language).id.as_str()]
    };
    languages
        .into_iter()
        .filter_map(|id| prompt.get(id).map(|part| (id, part)))
        .map(|(id, part)| part_verb(flow, part, id, values))
        .collect()
}

fn part_verb(
    flow: &Flow,
    part: &PromptPart,
    language: &str,
    values: &[(&str, &str)],
) -> twiml::Prompt {
    match part {
        PromptPart::Say(text) => {
            let lang = flow.language(language);
            twiml::Prompt::Say(twiml::Say {
                text: fill(text, values),
                voice: Some(lang.voice.clone()),
                language: Some(lang.code.clone()),
            })
        }
        PromptPart::Play(url) => twiml::Prompt::Play(twiml::Play { url: url.clone() }),
    }
}

/// A prompt used outside a gather.
pub fn to_verb(p: twiml::Prompt) -> twiml::Verb {
    match p {
        twiml::Prompt::Say(s) => twiml::Verb::Say(s),
        twiml::Prompt::Play(p) => twiml::Verb::Play(p),
        twiml::Prompt::Pause(p) => twiml::Verb::Pause(p),
    }
}

/// Fills `{name}` placeholders; the flow checker refuses names a prompt cannot use.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A number as text-to-speech should read it: digit by digit, grouped like people say
/// numbers (3-3-4 for North American numbers), commas giving short pauses.
pub fn spoken_digits(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    let national: &[char] = if digits.len() == 11 && digits[0] == '1' {
        &digits[1..]
    } else {
        &digits
    };
    let groups: Vec<&[char]> = if national.len() == 10 {
        vec![&national[..3], &national[3..6], &national[6..]]
    } else {
        national.chunks(3).collect()
    };
    groups
        .iter()
        .map(|g| g.iter().map(char::to_string).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_north_american_number_is_read_in_three_groups() {
        assert_eq!(spoken_digits("+12025550123"), "2 0 2, 5 5 5, 0 1 2 3");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("You are number {position}.", &[("position", "3")]),
            "You are number 3."
        );
    }
}
