//! How each node answers what the caller did: keys, silence, recordings, and the ends of
//! queue waits and transfers.

use super::run::Run;
use super::speech::{prompt_verbs, spoken_digits};
use super::state::CallbackNumber;
use super::{Effect, Event};
use crate::flow::model::{CollectPhone, Node, NodeKind, PhoneFormat, Prompt};
use crate::twiml::Verb;

/// Queue results after which the caller has been with an operator (or is being connected).
const SERVED: &[&str] = &["bridged", "bridging-in-process", "redirected-from-bridged"];

/// The queue result after `<Leave/>`, which the server sends only when a waiting caller takes
/// the offer of a callback.
const LEFT_FOR_CALLBACK: &str = "leave";

impl<'a> Run<'a> {
    /// Applies an event at the state's node.
    pub fn handle(&mut self, event: Event) {
        // The answer to a key pressed while waiting is played inside the queue, whatever the
        // node, even one a changed flow no longer has: the fallback's `<Enqueue>` there would
        // be refused, and the caller would lose their place in line.
        if let Event::HoldChoice(digits) = &event {
            let node = self.state.node.clone();
            self.hold_choice(&node, digits);
            return;
        }
        let Some(node) = self.flow.nodes.get(&self.state.node) else {
            let node = self.state.node.clone();
            self.fail(&format!("node `{node}` from the URL is not in the flow"));
            return;
        };
        match (&node.kind, event) {
            (_, Event::Speech { words, .. }) if words.trim().is_empty() => {
                self.handle(Event::NoInput)
            }
            (NodeKind::Menu(menu), Event::Digits(d)) if d.is_empty() => {
                self.menu_no_input(node, menu)
            }
            (NodeKind::Menu(menu), Event::Digits(d)) => self.menu_key(node, menu, &d, None),
            (NodeKind::Menu(menu), Event::Speech { words, confidence }) => {
                self.menu_speech(node, menu, &words, confidence)
            }
            (NodeKind::Menu(menu), Event::NoInput) => self.menu_no_input(node, menu),
            (NodeKind::CollectPhone(c), Event::Digits(d)) if !d.is_empty() => {
                self.phone_digits(node, c, &d)
            }
            (NodeKind::CollectPhone(c), Event::Digits(_) | Event::NoInput) => {
                match self.state.pending_number.clone() {
                    Some(pending) => self.confirm_again(node, c, pending),
                    None => self.phone_retry(node, c, "no input"),
                }
            }
            (NodeKind::Record { next, .. }, Event::Recording { url, seconds }) => {
                self.recorded(node, next, Some((url, seconds)));
            }
            (NodeKind::Record { next, .. }, Event::NoRecording) => self.recorded(node, next, None),
            (
                NodeKind::Triage { category, .. },
                Event::QueueResult {
                    result,
                    wait_seconds,
                },
            ) => {
                self.queue_ended(&node.id, category, &result, wait_seconds);
            }
            (NodeKind::Transfer { next, .. }, Event::DialResult(status)) => {
                self.transfer_ended(node, next, &status);
            }
            (_, event) => {
                // A late or repeated webhook for a node that no longer expects it: carry on
                // from the node rather than fail the call.
                self.log(&node.id, None, format!("unexpected {}", event_name(&event)));
                let id = node.id.clone();
                self.enter(&id);
            }
        }
    }

    /// The recording (if any) waits in the run for the callback node to attach it.
    fn recorded(&mut self, node: &Node, next: &str, recording: Option<(String, Option<u32>)>) {
        let outcome = match &recording {
            Some((_, seconds)) => format!("recorded {} s", seconds.unwrap_or(0)),
            None => "no recording".to_string(),
        };
        self.log(&node.id, None, outcome);
        self.recording = recording;
        self.enter(next);
    }

    fn transfer_ended(&mut self, node: &Node, next: &str, status: &str) {
        self.log(&node.id, None, format!("transfer ended: {status}"));
        if status == "completed" || status == "answered" {
            self.verbs.push(Verb::Hangup);
        } else {
            self.enter(next);
        }
    }

    fn phone_digits(&mut self, node: &'a Node, c: &'a CollectPhone, digits: &str) {
        let Some(pending) = self.state.pending_number.clone() else {
            return match normalise_phone(digits, c.format) {
                // A number the line will not call is refused here, while the caller can still
                // give another: a request nobody may call back helps no one.
                Some(number) => match self.flow.callbacks.dialable(&number) {
                    Ok(()) => self.confirm_phone(node, c, number),
                    Err(why) => {
                        self.phone_retry(node, c, &format!("not dialable: {}", why.reason()))
                    }
                },
                None => self.phone_retry(node, c, "invalid number"),
            };
        };
        match digits {
            "1" => {
                self.log(&node.id, Some("1".into()), "number confirmed");
                self.state.callback = Some(CallbackNumber::Entered(pending));
                self.state.pending_number = None;
                self.enter(&c.next);
            }
            "2" => {
                self.state.pending_number = None;
                self.log(&node.id, Some("2".into()), "number to be entered again");
                self.phone_ask(node, c, None);
            }
            _ => self.confirm_again(node, c, pending),
        }
    }

    /// Neither 1 nor 2 after the read-back: ask again, within the attempt limit.
    fn confirm_again(&mut self, node: &'a Node, c: &'a CollectPhone, pending: String) {
        self.state.attempts += 1;
        if self.state.attempts >= c.max_attempts {
            self.log(&node.id, None, "number not confirmed: giving up");
            self.enter(&c.after_max_attempts);
        } else {
            self.confirm_phone(node, c, pending);
        }
    }

    /// Reads the number back and asks for confirmation (1 yes, 2 enter again).
    fn confirm_phone(&mut self, node: &Node, c: &CollectPhone, number: String) {
        let spoken = spoken_digits(&number);
        let prompts = prompt_verbs(
            self.flow,
            &c.confirm_prompt,
            &self.state.language,
            node.all_languages,
            &[("number", &spoken)],
        );
        // Only the digit count is logged: the number itself is the caller's private data.
        let count = number.chars().filter(char::is_ascii_digit).count();
        self.state.pending_number = Some(number);
        self.log(
            &node.id,
            Some(format!("{count} digits")),
            "read back for confirmation",
        );
        self.gather(prompts, Some(1), "", c.timeout_seconds);
    }

    fn phone_retry(&mut self, node: &'a Node, c: &'a CollectPhone, what: &str) {
        self.state.attempts += 1;
        self.state.pending_number = None;
        let tries = format!("attempt {} of {}", self.state.attempts, c.max_attempts);
        if self.state.attempts >= c.max_attempts {
            self.log(&node.id, None, format!("{what}, {tries}: giving up"));
            self.enter(&c.after_max_attempts);
        } else {
            self.log(&node.id, None, format!("{what}, {tries}"));
            self.phone_ask(node, c, Some(&c.invalid_prompt));
        }
    }

    fn phone_ask(&mut self, node: &Node, c: &CollectPhone, preface: Option<&Prompt>) {
        self.ask(node, preface, &c.prompt, None, "#", c.timeout_seconds);
    }

    fn queue_ended(&mut self, node: &str, category: &str, result: &str, wait_seconds: Option<u32>) {
        let seq = self.state.queue_seq.unwrap_or(self.state.seq);
        self.effects.push(Effect::QueueLeft {
            seq,
            result: result.to_string(),
            wait_seconds,
        });
        if result == LEFT_FOR_CALLBACK {
            // The hold choice that sent `<Leave/>` logged its step under the number this URL
            // carries (both URLs come from the same state), so the exit takes the next one.
            self.state.seq += 1;
        }
        self.log(node, None, format!("left queue: {result}"));
        if SERVED.contains(&result) {
            self.verbs.push(Verb::Hangup);
            return;
        }
        if result == "hangup" {
            return;
        }
        let flow = self.flow;
        // A caller who chose a callback is not told that no one could take the call.
        if result != LEFT_FOR_CALLBACK {
            self.say(&flow.queue.unavailable_prompt, false, &[]);
        }
        match flow.categories.get(category) {
            Some(c) => self.send_to_callback_path(&c.when_closed),
            None => self.fail("queue category vanished"),
        }
    }
}

/// Whether the provider's `From` is a number someone can call back (not withheld, not a
/// client or SIP address).
pub(super) fn callable(caller: Option<&str>) -> bool {
    caller.is_some_and(|c| {
        let digits = c.chars().filter(char::is_ascii_digit).count();
        c.starts_with('+')
            && c[1..].chars().all(|ch| ch.is_ascii_digit())
            && (8..=15).contains(&digits)
    })
}

/// A valid callback number in the form it is stored, or `None`.
pub fn normalise_phone(digits: &str, format: PhoneFormat) -> Option<String> {
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match format {
        PhoneFormat::Nanp => {
            let national = match digits.len() {
                10 => digits,
                11 if digits.starts_with('1') => &digits[1..],
                _ => return None,
            };
            let b = national.as_bytes();
            // Area codes and exchanges never start with 0 or 1 in the North American plan.
            (b[0] >= b'2' && b[3] >= b'2').then(|| format!("+1{national}"))
        }
        PhoneFormat::Any => (8..=15)
            .contains(&digits.len())
            .then(|| format!("+{digits}")),
    }
}

fn event_name(event: &Event) -> &'static str {
    match event {
        Event::Start => "start",
        Event::Enter => "redirect",
        Event::Digits(_) => "keys",
        Event::Speech { .. } => "speech",
        Event::NoInput => "silence",
        Event::Recording { .. } => "recording",
        Event::NoRecording => "empty recording",
        Event::QueueResult { .. } => "queue result",
        Event::DialResult(_) => "transfer result",
        Event::HoldChoice(_) => "key while waiting",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{CallContext, CallState, Links, step};
    use crate::flow::Flow;

    /// The shipped flow, checked as a file format: the engine's tests sit below the
    /// whole-flow checks of `catalog`, which play calls through the engine.
    fn shipped_flow() -> Flow {
        let text = include_str!("../../call_flows/victim_hotline.toml");
        crate::flow::check::check("victim_hotline", "victim_hotline.toml", text)
            .into_flow()
            .expect("the shipped flow")
    }

    #[test]
    fn a_key_pressed_while_waiting_at_a_node_the_flow_no_longer_has_keeps_the_caller_in_line() {
        let flow = shipped_flow();
        let links = Links::new("https://hotline.example.org");
        let ctx = CallContext {
            caller: Some("+12025550123"),
            // A Tuesday morning in New York: the fallback category is open, so the fallback
            // would enqueue the caller.
            now: "2026-12-01T15:00:00Z".parse().expect("an instant"),
            links: &links,
            staffed: None,
        };
        let mut state = CallState::new(&flow.id, "renamed_since", "en");
        state.category = Some("general".into());
        state.queue_seq = Some(5);
        for key in ["1", "9", ""] {
            let outcome = step(&flow, &state, Event::HoldChoice(key.into()), &ctx);
            assert!(
                outcome
                    .response
                    .verbs
                    .iter()
                    .all(|v| matches!(v, Verb::Pause(_) | Verb::Leave)),
                "key {key:?}: {:?}",
                outcome.response
            );
        }
    }

    #[test]
    fn north_american_numbers_are_accepted_with_or_without_the_leading_one() {
        assert_eq!(
            normalise_phone("2025550123", PhoneFormat::Nanp).as_deref(),
            Some("+12025550123")
        );
        assert_eq!(
            normalise_phone("12025550123", PhoneFormat::Nanp).as_deref(),
            Some("+12025550123")
        );
    }

    #[test]
    fn impossible_north_american_numbers_are_refused() {
        for bad in [
            "202555012",
            "0025550123",
            "2021550123",
            "22025550123",
            "20255501a3",
            "",
        ] {
            assert_eq!(normalise_phone(bad, PhoneFormat::Nanp), None, "{bad}");
        }
    }
}
