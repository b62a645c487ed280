//! What a scenario expects of its call, compared with what happened, in words staff can act
//! on.

use std::ops::Range;

use super::call::Call;
use crate::engine::CallbackRequest;
use crate::flow::model::Flow;
use crate::flow::raw::RawScenario;

/// The ways a call can turn out, as scenarios name them in `outcome`.
pub(super) const OUTCOMES: &[(&str, &str)] = &[
    ("queued", "the caller waits in a queue"),
    ("answered", "an operator took the call from the queue"),
    ("callback", "a callback request was saved"),
    ("transfer", "the call was transferred"),
    ("hangup", "the line ended the call"),
    ("caller-hung-up", "the caller hung up"),
    (
        "unfinished",
        "the line was still asking something when the inputs ran out",
    ),
    (
        "fallback",
        "the flow could not be followed and the caller got the fallback",
    ),
];

/// One expectation that was not met.
pub(super) struct Failure {
    /// The expectation in the file.
    pub span: Range<usize>,
    /// Expected and happened, in a sentence.
    pub what: String,
}

/// Every expectation of `raw` that the call did not meet, in the order they are written.
pub(super) fn failures(call: &Call<'_>, raw: &RawScenario, flow: &Flow) -> Vec<Failure> {
    let mut out = Vec::new();
    let mut fail = |span: Range<usize>, what: String| out.push(Failure { span, what });
    if let Some(expected) = &raw.category {
        let actual = call.state.category.as_deref();
        if actual != Some(expected.get_ref().as_str()) {
            let got = actual.map_or("was never sent to a category".to_string(), |c| {
                format!("was sent to `{c}`")
            });
            fail(
                expected.span(),
                format!(
                    "expected category `{}`, but the caller {got}",
                    expected.get_ref()
                ),
            );
        }
    }
    if let Some(expected) = &raw.language {
        let actual = &call.state.language;
        if actual != expected.get_ref() {
            fail(
                expected.span(),
                format!(
                    "expected the call to end in {}, but it is in {}",
                    flow.language(expected.get_ref()).name,
                    flow.language(actual).name
                ),
            );
        }
    }
    if let Some(expected) = &raw.outcome {
        let actual = call.outcome();
        if actual != expected.get_ref() {
            fail(
                expected.span(),
                format!(
                    "expected outcome `{}`, but the outcome is `{actual}`: {}",
                    expected.get_ref(),
                    describe(actual)
                ),
            );
        }
    }
    heard(call, raw, &mut fail);
    callback(call, raw, &mut fail);
    super::call_back::expectations(call, raw, flow, &mut fail);
    out
}

fn heard(call: &Call<'_>, raw: &RawScenario, fail: &mut impl FnMut(Range<usize>, String)) {
    for phrase in &raw.hears {
        let wanted = phrase.get_ref().to_lowercase();
        if !call.heard().any(|t| t.to_lowercase().contains(&wanted)) {
            fail(
                phrase.span(),
                format!(
                    "expected to hear \"{}\", but no prompt said it",
                    phrase.get_ref()
                ),
            );
        }
    }
    for phrase in &raw.not_hears {
        let unwanted = phrase.get_ref().to_lowercase();
        if let Some(said) = call.heard().find(|t| t.to_lowercase().contains(&unwanted)) {
            fail(
                phrase.span(),
                format!(
                    "expected not to hear \"{}\", but the line said \"{said}\"",
                    phrase.get_ref()
                ),
            );
        }
    }
}

fn callback(call: &Call<'_>, raw: &RawScenario, fail: &mut impl FnMut(Range<usize>, String)) {
    let request = call.callback.as_ref();
    if let Some(expected) = &raw.safe_to_leave_message {
        let want = *expected.get_ref();
        let problem = match request.map(|r| r.safe_to_leave_message) {
            None => Some("no request was saved".to_string()),
            Some(actual) if actual != Some(want) => Some(format!(
                "the request has {}",
                actual.map_or("no answer".to_string(), |a| a.to_string())
            )),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            fail(
                expected.span(),
                format!(
                    "expected a callback request with safe_to_leave_message = {want}, but {problem}"
                ),
            );
        }
    }
    if let Some(expected) = &raw.callback_number
        && let Some(problem) = number_problem(expected.get_ref(), request)
    {
        fail(
            expected.span(),
            format!(
                "expected the callback request to go to {}, but {problem}",
                expected.get_ref()
            ),
        );
    }
}

/// What is wrong with the callback request's number, if anything.
fn number_problem(want: &str, request: Option<&CallbackRequest>) -> Option<String> {
    let Some(request) = request else {
        return Some("no request was saved".into());
    };
    let matches = if want.eq_ignore_ascii_case("caller") {
        !request.entered
    } else {
        same_number(want, &request.number)
    };
    let whose = if request.entered {
        "a number the caller entered"
    } else {
        "the caller's own number"
    };
    (!matches).then(|| format!("it goes to {} ({whose})", request.number))
}

/// Whether two ways of writing a number mean the same one (`2025550123`, `+12025550123`).
fn same_number(written: &str, stored: &str) -> bool {
    let digits = |s: &str| -> String { s.chars().filter(char::is_ascii_digit).collect() };
    let (w, s) = (digits(written), digits(stored));
    w == s || format!("1{w}") == s
}

/// An outcome in words.
pub(super) fn describe(outcome: &str) -> &'static str {
    OUTCOMES
        .iter()
        .find(|(name, _)| *name == outcome)
        .map_or("", |(_, words)| words)
}
