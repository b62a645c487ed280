//! How callers answered menus by voice: per menu and language, the spoken answers that chose
//! something and those that matched nothing, so staff can add the words callers use.

use std::collections::BTreeMap;

use super::StepFact;

/// Spoken answers at one menu in one language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VoiceAnswers {
    pub node: String,
    pub node_title: String,
    pub language: String,
    /// Spoken answers that chose one of the menu's keys.
    pub chosen: u64,
    /// Spoken answers that matched nothing, or that the provider was not sure of.
    pub not_understood: u64,
}

/// Reads the step outcomes the engine writes for speech: `speech (en) matched key 2, …` or
/// `speech (en) matched nothing, …`.
pub(super) fn voice_answers(steps: &[StepFact]) -> Vec<VoiceAnswers> {
    let mut counts: BTreeMap<(&str, &str), (u64, u64)> = BTreeMap::new();
    for step in steps {
        let Some(rest) = step.outcome.strip_prefix("speech (") else {
            continue;
        };
        let Some((language, matched)) = rest.split_once(") matched ") else {
            continue;
        };
        let entry = counts.entry((&step.node, language)).or_default();
        if matched.starts_with("nothing") {
            entry.1 += 1;
        } else {
            entry.0 += 1;
        }
    }
    counts
        .into_iter()
        .map(
            |((node, language), (chosen, not_understood))| VoiceAnswers {
                node: node.to_string(),
                node_title: String::new(),
                language: language.to_string(),
                chosen,
                not_understood,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(node: &str, outcome: &str) -> StepFact {
        StepFact {
            call_sid: "CA1".into(),
            seq: 1,
            node: node.into(),
            outcome: outcome.into(),
        }
    }

    #[test]
    fn spoken_answers_are_counted_per_menu_and_language() {
        let steps = [
            step(
                "main_menu",
                "speech (en) matched key 2, confidence 0.80: chose to_va",
            ),
            step(
                "main_menu",
                "speech (en) matched nothing, confidence 0.30: not understood, attempt 1 of 3",
            ),
            step(
                "main_menu",
                "speech (es) matched key 1, confidence 0.90: chose to_cs",
            ),
            step("main_menu", "chose to_va"),
        ];
        assert_eq!(
            voice_answers(&steps),
            vec![
                VoiceAnswers {
                    node: "main_menu".into(),
                    node_title: String::new(),
                    language: "en".into(),
                    chosen: 1,
                    not_understood: 1,
                },
                VoiceAnswers {
                    node: "main_menu".into(),
                    node_title: String::new(),
                    language: "es".into(),
                    chosen: 1,
                    not_understood: 0,
                },
            ]
        );
    }
}
