//! What a caller hears when something inside the server fails: an apology, then the fallback
//! category's queue when it is open and staffed, else its callback path, else a way out.

use super::CallContext;
use super::speech::{prompt_verbs, to_verb};
use super::state::CallState;
use crate::flow::model::Flow;
use crate::triage::schedule::Availability;
use crate::twiml::{self, Response, Verb};

/// The fallback TwiML. `storage_ok` is false when the failure was the database, so the caller
/// is not sent to a callback request that cannot be saved.
pub fn fallback(
    flow: &Flow,
    state: Option<&CallState>,
    ctx: &CallContext<'_>,
    storage_ok: bool,
) -> Response {
    let language = language(flow, state);
    let speak = |prompt| {
        prompt_verbs(flow, prompt, &language, false, &[])
            .into_iter()
            .map(to_verb)
    };
    let mut verbs: Vec<Verb> = speak(&flow.fallback.apology).collect();
    let category = flow.categories.get(&flow.fallback_category);
    let open = category.is_some_and(|c| {
        ctx.staffs(c)
            && flow.schedules.get(&c.schedule).is_some_and(|s| {
                s.hours.availability(ctx.now, &flow.time_zone) == Availability::Open
            })
    });
    let mut next = state
        .cloned()
        .unwrap_or_else(|| CallState::new(&flow.id, &flow.start, &language));
    next.category = Some(flow.fallback_category.clone());
    // The fallback's queue has no entry of its own and no Enqueue action to come back to: its
    // polls must neither update another queue entry nor offer to leave.
    next.queue_seq = None;
    match category {
        Some(c) if open => {
            verbs.push(Verb::Enqueue(twiml::Enqueue {
                queue: c.queue.clone(),
                action: None,
                wait_url: Some(ctx.links.wait(&next)),
            }));
            // Reached only if the queue lets the caller go without an operator.
            verbs.extend(speak(&flow.fallback.give_up));
            verbs.push(Verb::Hangup);
        }
        Some(c) if storage_ok => {
            next.node = c.when_closed.clone();
            next.attempts = 0;
            next.callback_path = true;
            verbs.push(Verb::Redirect(twiml::Redirect {
                url: ctx.links.resume(&next),
            }));
        }
        _ => {
            verbs.extend(speak(&flow.fallback.give_up));
            verbs.push(Verb::Hangup);
        }
    }
    Response { verbs }
}

/// The fallback for a caller waiting in a queue (a failed wait poll or key press there). The
/// provider plays it inside the queue, where redirects to other menus and queues are refused,
/// so the caller hears the apology and keeps their place; the next poll comes as usual.
pub fn fallback_while_waiting(flow: &Flow, state: Option<&CallState>) -> Response {
    let language = language(flow, state);
    let verbs = prompt_verbs(flow, &flow.fallback.apology, &language, false, &[])
        .into_iter()
        .map(to_verb)
        .collect();
    Response { verbs }
}

/// The call's language when its state could be read, else the flow's default.
fn language(flow: &Flow, state: Option<&CallState>) -> String {
    state.map_or_else(
        || flow.default_language().id.clone(),
        |s| s.language.clone(),
    )
}
