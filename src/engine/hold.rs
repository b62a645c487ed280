//! What a caller waiting in a queue hears on each poll (place in line, likely wait, and past
//! the category's limit an offer to be called back instead), and what a key pressed while
//! waiting does.

use super::Effect;
use super::run::Run;
use super::speech::{prompt_verbs, to_verb};
use crate::flow::model::Prompt;
use crate::twiml::{self, Verb};

/// Seconds the offer keeps listening once the hold audio or silence has ended. Short: the next
/// announcement only comes when this document runs out and the provider polls again.
const OFFER_LISTEN_SECONDS: u32 = 3;

/// The answer to a key that does not take the offer. The document then runs out and the
/// provider polls the wait URL again, so the caller keeps waiting where they were.
const STAY_PAUSE_SECONDS: u32 = 1;

/// What is known about a waiting caller at one poll.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hold {
    /// The caller's place in line as the provider reports it (1 is next).
    pub position: Option<u32>,
    /// Seconds the caller has waited so far, as the provider reports it.
    pub wait_seconds: Option<u32>,
    /// How many more seconds the caller is likely to wait, when recent waits allow a guess.
    pub estimate_seconds: Option<u32>,
}

impl<'a> Run<'a> {
    /// What a waiting caller hears on one hold poll. Only the verbs the provider allows in a
    /// wait document are used (Say, Play, Pause, Gather).
    pub fn hold(&mut self, hold: Hold) {
        let queue = &self.flow.queue;
        if let Some(position) = hold.position {
            let position = position.to_string();
            self.say(&queue.hold_prompt, false, &[("position", &position)]);
        }
        if let (Some(prompt), Some(seconds)) = (&queue.estimate_prompt, hold.estimate_seconds) {
            let minutes = whole_minutes(seconds).to_string();
            self.say(prompt, false, &[("minutes", &minutes)]);
        }
        let between = match &queue.hold_audio {
            Some(url) => twiml::Prompt::Play(twiml::Play { url: url.clone() }),
            None => twiml::Prompt::Pause(twiml::Pause {
                seconds: queue.hold_seconds,
            }),
        };
        match self.offer_due(hold.wait_seconds) {
            Some(offer) => self.offer(offer, between),
            None => self.verbs.push(to_verb(between)),
        }
        if let Some(seq) = self.state.queue_seq {
            self.effects.push(Effect::QueueWaited {
                seq,
                position: hold.position,
                wait_seconds: hold.wait_seconds,
            });
        }
    }

    /// The offer prompt, once the caller has waited as long as their category allows.
    ///
    /// Only a queue entered at a triage node (which sets `queue_seq`) has an Enqueue action to
    /// come back to. The fallback's queue has none, so leaving it would drop the caller into the
    /// give-up message instead of the callback path; its callers are never offered to leave.
    fn offer_due(&self, wait_seconds: Option<u32>) -> Option<&'a Prompt> {
        self.state.queue_seq?;
        let category = self.flow.categories.get(self.state.category.as_deref()?)?;
        let limit_seconds = u64::from(category.max_hold_minutes?) * 60;
        if u64::from(wait_seconds?) < limit_seconds {
            return None;
        }
        self.flow.queue.offer_callback_prompt.as_ref()
    }

    /// The offer and the hold audio in one gather, so a key pressed at any time is heard. No
    /// redirect follows: when the document runs out the provider polls the wait URL again.
    fn offer(&mut self, offer: &Prompt, between: twiml::Prompt) {
        let mut prompts = prompt_verbs(self.flow, offer, &self.state.language, false, &[]);
        prompts.push(between);
        self.verbs.push(Verb::Gather(twiml::Gather {
            action: self.ctx.links.hold_choice(&self.state),
            input: twiml::GatherInput::Dtmf,
            timeout_seconds: OFFER_LISTEN_SECONDS,
            num_digits: Some(1),
            // The offer key may be `#`, which must not merely end the input.
            finish_on_key: Some(String::new()),
            language: None,
            recognition: None,
            prompts,
        }));
    }

    /// A key pressed during the offer. The offer key takes the caller out of the queue; the
    /// provider then reports `leave` to the Enqueue action, which leads to the callback path.
    pub fn hold_choice(&mut self, node: &str, digits: &str) {
        let key = digits.chars().next().map(String::from);
        let offer_key = &self.flow.queue.offer_callback_key;
        if key.as_ref() == Some(offer_key) && self.state.queue_seq.is_some() {
            self.log(node, key, "left the queue for a callback");
            self.verbs.push(Verb::Leave);
        } else {
            // Not logged: this poll's URL shares its step number with the Enqueue action, and
            // a step logged here would take the number the end of the wait is recorded under.
            self.verbs.push(Verb::Pause(twiml::Pause {
                seconds: STAY_PAUSE_SECONDS,
            }));
        }
    }
}

/// An estimate as callers hear it: whole minutes, rounded up (a promise of "about 2 minutes"
/// that takes 2 and a half disappoints more than the reverse), and never "0 minutes".
pub(super) fn whole_minutes(seconds: u32) -> u32 {
    seconds.div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::whole_minutes;

    #[test]
    fn estimates_are_rounded_up_to_whole_minutes_and_never_zero() {
        let cases = [(0, 1), (1, 1), (60, 1), (61, 2), (150, 3), (600, 10)];
        for (seconds, minutes) in cases {
            assert_eq!(whole_minutes(seconds), minutes, "{seconds} s");
        }
    }
}
