//! The call back a scripted call's request would get, played without a phone: when the line
//! may first ring it (calling hours, the caller's time of day), and what whoever answers hears
//! at the neutral check and, with no key pressed, the message left or nothing. It asks the
//! same rules the server does (`callbacks::pacing`, the operator line's documents).

use std::ops::Range;

use jiff::Timestamp;

use super::call::Call;
use crate::callbacks::pacing::{Due, Wait};
use crate::engine::{CallbackRequest, prompt_verbs};
use crate::flow::model::{Flow, Prompt};
use crate::flow::raw::{RawScenario, S};
use crate::twiml;

/// The line's call back of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallBack {
    /// The line cannot place it; why, for staff.
    Never(&'static str),
    /// It can.
    Placed {
        /// The first instant the line may ring.
        first: Timestamp,
        /// Why not at once, when it must wait.
        wait: Option<Wait>,
        /// What whoever answers hears before pressing a key.
        check: Vec<String>,
        /// What they hear when nobody presses it: the neutral message where it is safe.
        without_key: Vec<String>,
    },
}

impl CallBack {
    /// The call back of `request`, saved at `saved`.
    pub fn of(flow: &Flow, request: &CallbackRequest, saved: Timestamp) -> CallBack {
        let settings = &flow.callbacks;
        let Some(screen) = &settings.screen else {
            return CallBack::Never("the flow has no [callbacks] screen");
        };
        if settings.caller_id.is_none() {
            return CallBack::Never("the flow has no number to show ([callbacks] caller_id)");
        }
        if !request.dialable {
            return CallBack::Never("the number is not one the line calls back");
        }
        let due = settings
            .pacing
            .due(saved, &flow.time_zone, None, request.call_time);
        let (first, wait) = match due {
            Due::Now => (saved, None),
            Due::After { at, why } => (at, Some(why)),
        };
        let voicemail = settings
            .voicemail
            .as_ref()
            .filter(|_| request.safe_to_leave_message == Some(true));
        CallBack::Placed {
            first,
            wait,
            check: words(flow, screen, &request.language),
            without_key: voicemail.map_or_else(Vec::new, |v| words(flow, v, &request.language)),
        }
    }

    /// Everything whoever answers may hear, in order.
    pub fn heard(&self) -> impl Iterator<Item = &str> {
        let (check, without_key): (&[String], &[String]) = match self {
            CallBack::Never(_) => (&[], &[]),
            CallBack::Placed {
                check, without_key, ..
            } => (check, without_key),
        };
        check.iter().chain(without_key).map(String::as_str)
    }
}

/// A prompt as the transcript shows it: its text, or the address of its audio.
fn words(flow: &Flow, prompt: &Prompt, language: &str) -> Vec<String> {
    prompt_verbs(flow, prompt, language, false, &[])
        .into_iter()
        .filter_map(|p| match p {
            twiml::Prompt::Say(s) => Some(s.text),
            twiml::Prompt::Play(p) => Some(format!("[audio {}]", p.url)),
            twiml::Prompt::Pause(_) => None,
        })
        .collect()
}

/// Checks the scenario's expectations of the call back against the request the call saved.
pub(super) fn expectations(
    call: &Call<'_>,
    raw: &RawScenario,
    flow: &Flow,
    fail: &mut impl FnMut(Range<usize>, String),
) {
    let request = call.callback.as_ref();
    if let Some(expected) = &raw.call_time {
        let actual = request.map(|r| r.call_time.map_or("not asked", |t| t.as_str()));
        if actual != Some(expected.get_ref().as_str()) {
            let got = actual.map_or("no request was saved".to_string(), |a| {
                format!("the request has {a}")
            });
            let what = format!("expected call_time = \"{}\", but {got}", expected.get_ref());
            fail(expected.span(), what);
        }
    }
    let wants_call_back = raw.first_call_back.is_some()
        || !raw.call_back_hears.is_empty()
        || !raw.call_back_not_hears.is_empty();
    if !wants_call_back {
        return;
    }
    let Some(request) = request else {
        let span = raw.first_call_back.as_ref().map_or_else(
            || {
                raw.call_back_hears
                    .iter()
                    .chain(&raw.call_back_not_hears)
                    .next()
                    .map(S::span)
            },
            |f| Some(f.span()),
        );
        fail(
            span.unwrap_or_default(),
            "expected a call back, but no request was saved".into(),
        );
        return;
    };
    let back = CallBack::of(flow, request, call.ctx.now);
    if let Some(expected) = &raw.first_call_back {
        first_problem(&back, expected, flow, fail);
    }
    heard_problems(&back, raw, fail);
}

fn first_problem(
    back: &CallBack,
    expected: &S<String>,
    flow: &Flow,
    fail: &mut impl FnMut(Range<usize>, String),
) {
    let written = expected.get_ref();
    let actual = match back {
        CallBack::Never(why) => Err(*why),
        CallBack::Placed { first, .. } => Ok(*first),
    };
    let problem = match (written.trim().eq_ignore_ascii_case("never"), actual) {
        (true, Err(_)) => None,
        (true, Ok(first)) => Some(format!("it may be called {}", local(first, flow))),
        (false, Err(why)) => Some(format!("it is never called back: {why}")),
        (false, Ok(first)) => match super::parse_at(written, &flow.time_zone) {
            Ok(want) if want == first => None,
            Ok(_) => Some(format!("it may first be called {}", local(first, flow))),
            Err(help) => Some(format!("`first_call_back` is not understood: {help}")),
        },
    };
    if let Some(problem) = problem {
        fail(
            expected.span(),
            format!("expected the first call back at {written}, but {problem}"),
        );
    }
}

fn heard_problems(back: &CallBack, raw: &RawScenario, fail: &mut impl FnMut(Range<usize>, String)) {
    let heard = |phrase: &str| {
        let phrase = phrase.to_lowercase();
        back.heard()
            .find(|t| t.to_lowercase().contains(&phrase))
            .map(str::to_string)
    };
    for phrase in &raw.call_back_hears {
        if heard(phrase.get_ref()).is_none() {
            let what = format!(
                "expected the call back to say \"{}\", but it did not",
                phrase.get_ref()
            );
            fail(phrase.span(), what);
        }
    }
    for phrase in &raw.call_back_not_hears {
        if let Some(said) = heard(phrase.get_ref()) {
            let what = format!(
                "expected the call back never to say \"{}\", but it said \"{said}\"",
                phrase.get_ref()
            );
            fail(phrase.span(), what);
        }
    }
}

/// An instant in the hotline's own time, as `at` is written.
pub fn local(at: Timestamp, flow: &Flow) -> String {
    at.to_zoned_datetime(flow.time_zone.clone())
        .strftime("%Y-%m-%dT%H:%M (%A)")
        .to_string()
}
