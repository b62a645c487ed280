//! The one-time messages a page shows after an action's redirect, told from a code in the
//! address (`done=…`, `problem=…`) and, for problems, from the request as it is now.

use super::pages::Flash;
use crate::callbacks::Status;
use crate::desk::RequestDetail;

/// The message of a `done` code; unknown codes show nothing.
pub fn done(code: &str) -> Option<Flash> {
    let text = match code {
        "claimed" => {
            "You have claimed this request. Call the number below, then record what happened."
        }
        "released" => "Released: the request is back in the queue for anyone to claim.",
        "reassigned" => "Reassigned: the request is held by the operator you chose.",
        "completed" => "Call back recorded. The request is closed.",
        "ringing" => {
            "Your phone is ringing. Answer it to hear the request and call the caller back."
        }
        "returned" => "Recorded: no answer. The request is back in the queue for another try.",
        "unreachable" => {
            "Recorded: no answer. That was the last try, so the request is closed as unreachable."
        }
        _ => return None,
    };
    Some(Flash {
        text: text.to_string(),
        problem: false,
    })
}

/// The message of a `problem` code, told from the request as it is now. The text is never
/// taken from the address, which anyone can write.
pub fn problem(code: &str, detail: &RequestDetail) -> Flash {
    let request = &detail.request;
    let text = match code {
        "already_claimed" => match (&request.claimed_by_name, request.status) {
            (Some(who), Status::Claimed) => format!("{who} has already claimed this request."),
            _ => "Another operator claimed this request first.".to_string(),
        },
        "closed" => format!("This request is already {}.", request.status),
        "not_due" => "It is not time to call this request yet; the page says when.".to_string(),
        "no_phone" => {
            "Register your phone first (hotline operators edit NAME --phone).".to_string()
        }
        "not_configured" => "Calling from the console is not set up on this server.".to_string(),
        "provider_error" => {
            "The telephone provider did not place the call. Nothing was changed; try again."
                .to_string()
        }
        "not_claimed_by_you" => {
            "Claim this request before recording a call back or releasing it.".to_string()
        }
        "message_not_safe" => {
            "The caller said it is not safe to leave a message. Choose another outcome.".to_string()
        }
        "no_outcome" => "Choose what happened on the call.".to_string(),
        "not_claimed" => "Nobody holds this request now; nothing was changed.".to_string(),
        "call_in_progress" => {
            "The line is calling this caller back now. Wait until the call ends.".to_string()
        }
        "invalid" => "That operator cannot hold this request. Choose another.".to_string(),
        _ => "That did not work. Check the request below and try again.".to_string(),
    };
    Flash {
        text,
        problem: true,
    }
}
