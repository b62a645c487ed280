//! What the provider refuses to play: a `<Say>` text longer than the voice accepts once its
//! placeholders are filled in, and an answer larger than the provider takes. Answers are
//! rendered by the real engine, so what is measured is what callers would get; `answers`
//! measures the answers on reaching each node, this module the rest.

use jiff::Timestamp;

use super::Lints;
use crate::engine::{self, CallContext, CallState, Hold, Links};
use crate::flow::raw::{RawFlow, RawPrompt, RawPromptPart};

/// The provider refuses larger answers (error 11750, "64 kB"); read as thousands, the
/// stricter reading.
pub(super) const MAX_TWIML_BYTES: usize = 64_000;

/// The provider refuses `<Say>` text longer than this once URL-encoded (error 13521).
const MAX_SAY_ENCODED: usize = 4_500;

/// A public address as long as a typical one; the state in each URL is what grows.
const BASE_URL: &str = "https://hotline.example.org";

/// The caller of every measured answer.
const CALLER: &str = "+12025550123";

/// Wednesday 2026-01-07, 12:00 UTC. Which answer a node gives depends only on whether its
/// category is open, and each rendering sets the hours itself, so any instant would do.
pub(super) const AT: Timestamp = Timestamp::constant(1_767_787_200, 0);

/// The longest number `{number}` can be read as: 15 digits in groups of three.
const LONGEST_SPOKEN_NUMBER: &str = "1 2 3, 4 5 6, 7 8 9, 0 1 2, 3 4 5";

impl Lints<'_> {
    pub(super) fn sizes(&mut self) {
        self.say_lengths();
        let links = Links::new(BASE_URL);
        // Nobody available: a category that needs staff closes, in the variant of the hours
        // that makes it open (the other variants leave staff out of it).
        let nobody = std::collections::BTreeSet::new();
        let ctx = CallContext {
            caller: Some(CALLER),
            now: AT,
            links: &links,
            staffed: Some(&nobody),
        };
        self.answer_sizes(&ctx);
        self.hold_sizes(&ctx);
    }

    fn say_lengths(&mut self) {
        for (prompt, category) in prompts(self.raw) {
            for (lang, part) in prompt.get_ref() {
                let RawPromptPart::Say(text) = part.get_ref() else {
                    continue;
                };
                let filled = self.worst_case(text, lang, category);
                let voice = self.flow.language(lang).voice.clone();
                let limit = say_limit(&voice);
                let chars = filled.chars().count();
                let encoded = encoded_len(&filled);
                let filled_note = if filled == *text {
                    ""
                } else {
                    " once its placeholders are filled in"
                };
                if chars > limit {
                    self.error(
                        part.span(),
                        "prompt-too-long",
                        format!(
                            "this prompt can be {chars} characters long{filled_note}; the voice \
                             `{voice}` reads at most {limit}"
                        ),
                        "shorten it (or the category labels it reads out), or split it across two \
                         message nodes"
                            .into(),
                    );
                } else if encoded > MAX_SAY_ENCODED {
                    self.error(
                        part.span(),
                        "prompt-too-long",
                        format!(
                            "this prompt is {encoded} characters long{filled_note} when sent to \
                             the provider, which counts each space, accented letter and sign as \
                             several; it accepts at most {MAX_SAY_ENCODED}"
                        ),
                        "shorten it, or split it across two message nodes".into(),
                    );
                }
            }
        }
    }

    /// The text with every placeholder at its longest; `category` is the one a triage
    /// prompt names.
    fn worst_case(&self, text: &str, language: &str, category: Option<&str>) -> String {
        let label = category
            .and_then(|c| self.flow.categories.get(c))
            .and_then(|c| c.label.text(language))
            .unwrap_or_default();
        text.replace("{position}", "9999")
            .replace("{minutes}", "999")
            .replace("{number}", LONGEST_SPOKEN_NUMBER)
            .replace("{category}", label)
    }

    fn hold_sizes(&mut self, ctx: &CallContext<'_>) {
        let flow = self.flow;
        let worst = Hold {
            position: Some(9999),
            wait_seconds: Some(u32::MAX / 2),
            estimate_seconds: Some(3600),
        };
        let largest = flow
            .categories
            .keys()
            .flat_map(|c| flow.languages.iter().map(move |l| (c, l)))
            .map(|(c, l)| {
                let mut state = CallState::new(&flow.id, &flow.start, &l.id);
                state.category = Some(c.clone());
                state.queue_seq = Some(0);
                engine::hold(flow, &state, worst, ctx)
                    .response
                    .render()
                    .len()
            })
            .max()
            .unwrap_or(0);
        if largest > MAX_TWIML_BYTES {
            let span = self.raw.queue.as_ref().map_or(0..0, |q| q.span());
            self.error(
                self.heading_span("[queue]", span),
                "response-too-large",
                format!(
                    "what a waiting caller gets at each announcement is up to {largest} bytes of \
                     TwiML; the provider refuses answers over {MAX_TWIML_BYTES} bytes"
                ),
                "shorten the hold, estimate and offer prompts".into(),
            );
        }
    }
}

/// The voice families' `<Say>` limits (error 13521): Amazon Polly 3000 characters, Google
/// 5000, the provider's basic voices 4096.
fn say_limit(voice: &str) -> usize {
    if voice.starts_with("Polly.") {
        3000
    } else if voice.starts_with("Google.") {
        5000
    } else {
        4096
    }
}

/// Length once percent-encoded: letters, digits and `-_.~` stay one character, every other
/// byte becomes three.
fn encoded_len(text: &str) -> usize {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                1
            } else {
                3
            }
        })
        .sum()
}

/// Every prompt of the file that is spoken as it is written, with the category a triage
/// prompt names (category labels are spoken inside those prompts, and measured there).
fn prompts(raw: &RawFlow) -> Vec<(&RawPrompt, Option<&str>)> {
    let mut out: Vec<&RawPrompt> = Vec::new();
    for s in raw.schedules.values().map(|s| s.get_ref()) {
        out.extend(&s.closed_now_announcement);
        out.extend(&s.after_hours_announcement);
        out.extend(&s.closure_announcement);
        out.extend(&s.unstaffed_announcement);
        out.extend(
            s.closures
                .iter()
                .filter_map(|c| c.get_ref().announcement.as_ref()),
        );
    }
    if let Some(q) = &raw.queue {
        let q = q.get_ref();
        out.extend([&q.hold_prompt, &q.unavailable_prompt]);
        out.extend(&q.estimate_prompt);
        out.extend(&q.offer_callback_prompt);
    }
    if let Some(f) = &raw.fallback {
        out.extend([&f.get_ref().apology, &f.get_ref().give_up]);
    }
    let mut out: Vec<(&RawPrompt, Option<&str>)> = out.into_iter().map(|p| (p, None)).collect();
    for n in raw.nodes.values().map(|n| n.get_ref()) {
        let category = n.category.as_ref().map(|c| c.get_ref().as_str());
        out.extend(n.prompt.iter().map(|p| (p, category)));
        for p in [&n.invalid_prompt, &n.no_input_prompt, &n.confirm_prompt] {
            out.extend(p.iter().map(|p| (p, None)));
        }
    }
    out
}
