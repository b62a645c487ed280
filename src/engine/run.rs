//! One engine step in progress: the verbs and effects gathered so far, and entering nodes.

use super::speech::{prompt_verbs, to_verb};
use super::state::{CallState, CallbackNumber};
use super::unfinished::{self, Unfinished, UnfinishedRequest};
use super::{CallContext, CallbackRequest, Effect, Outcome};
use crate::flow::model::{Flow, Menu, Node, NodeKind, Prompt};
use crate::twiml::{self, Response, Verb};

/// Nodes one webhook may pass through; the checker refuses loops, this is the backstop.
const MAX_HOPS: u32 = 32;

/// Seconds of silence that end a recording.
const RECORD_SILENCE_SECONDS: u32 = 5;

pub(super) struct Run<'a> {
    pub flow: &'a Flow,
    pub ctx: &'a CallContext<'a>,
    pub state: CallState,
    pub verbs: Vec<Verb>,
    pub effects: Vec<Effect>,
    /// A recording made in this step, waiting for the callback node to attach it.
    pub recording: Option<(String, Option<u32>)>,
    /// The unfinished request as the step found it; `None` rewrites it whatever it is.
    pub unfinished: Option<UnfinishedRequest>,
    /// How this step left the callback path without saving a request, if it did.
    path_end: Option<Unfinished>,
    hops: u32,
}

impl<'a> Run<'a> {
    pub fn new(flow: &'a Flow, state: CallState, ctx: &'a CallContext<'a>) -> Run<'a> {
        Run {
            unfinished: unfinished::of(flow, &state, ctx.caller),
            flow,
            ctx,
            state,
            verbs: Vec::new(),
            effects: Vec::new(),
            recording: None,
            path_end: None,
            hops: 0,
        }
    }

    pub fn finish(mut self) -> Outcome {
        let after = unfinished::of(self.flow, &self.state, self.ctx.caller);
        if let Some(change) = unfinished::change(self.unfinished.as_ref(), after, self.path_end) {
            self.effects.push(Effect::Unfinished(change));
        }
        Outcome {
            response: Response { verbs: self.verbs },
            effects: self.effects,
            state: self.state,
        }
    }

    /// Speaks `prompt` outside any gather.
    pub fn say(&mut self, prompt: &Prompt, all_languages: bool, values: &[(&str, &str)]) {
        let verbs = prompt_verbs(
            self.flow,
            prompt,
            &self.state.language,
            all_languages,
            values,
        );
        self.verbs.extend(verbs.into_iter().map(to_verb));
    }

    /// Records that the caller passed through `node`.
    pub fn log(&mut self, node: &str, input: Option<String>, outcome: impl Into<String>) {
        self.effects.push(Effect::Step {
            seq: self.state.seq,
            node: node.to_string(),
            input,
            outcome: outcome.into(),
        });
        self.state.seq += 1;
    }

    /// Moves the caller to `id` and does what that node does.
    pub fn enter(&mut self, id: &str) {
        self.hops += 1;
        let Some(node) = self.flow.nodes.get(id).filter(|_| self.hops <= MAX_HOPS) else {
            self.fail(&format!("node `{id}` cannot be entered"));
            return;
        };
        if self.state.node != id {
            self.state.attempts = 0;
            self.state.pending_number = None;
            self.state.keys_only = false;
        }
        self.state.node = id.to_string();
        self.enter_node(node);
    }

    fn enter_node(&mut self, node: &'a Node) {
        let all = node.all_languages;
        match &node.kind {
            NodeKind::Message {
                prompt,
                next,
                safe_to_leave_message,
            } => {
                self.say(prompt, all, &[]);
                if let Some(safe) = safe_to_leave_message {
                    self.state.safe_to_leave_message = Some(*safe);
                }
                self.log(&node.id, None, "played");
                self.enter(next);
            }
            NodeKind::Menu(menu) => self.ask_menu(node, menu, None),
            NodeKind::CollectPhone(c) => {
                if !matches!(self.state.callback, Some(CallbackNumber::Entered(_))) {
                    self.state.declined_caller_id = true;
                }
                self.log(&node.id, None, "asked for a phone number");
                self.ask(node, None, &c.prompt, None, "#", c.timeout_seconds);
            }
            NodeKind::Record {
                prompt,
                max_seconds,
                ..
            } => self.record(node, prompt, *max_seconds),
            NodeKind::Triage { category, prompt } => self.triage(node, category, prompt.as_ref()),
            NodeKind::Callback { prompt, next } => {
                self.request_callback(&node.id);
                self.say(prompt, all, &[]);
                self.enter(next);
            }
            NodeKind::Transfer {
                number,
                prompt,
                timeout_seconds,
                ..
            } => {
                if let Some(p) = prompt {
                    self.say(p, all, &[]);
                }
                self.log(&node.id, None, "transferred");
                let action = self.ctx.links.dial_result(&self.state);
                self.verbs.push(Verb::Dial(twiml::Dial {
                    target: twiml::DialTarget::Number(number.clone()),
                    action: Some(action),
                    timeout_seconds: Some(*timeout_seconds),
                    caller_id: None,
                }));
            }
            NodeKind::Hangup { prompt } => {
                self.leave_callback_path(Unfinished::Abandoned);
                if let Some(p) = prompt {
                    self.say(p, all, &[]);
                }
                self.log(&node.id, None, "hung up");
                self.verbs.push(Verb::Hangup);
            }
        }
    }

    /// Asks a menu question; `preface` (an apology for a wrong key) is heard first.
    pub fn ask_menu(&mut self, node: &Node, menu: &Menu, preface: Option<&Prompt>) {
        // Logged first: the step number in the gather's URL must be the next free one.
        self.log(&node.id, None, "asked");
        // One key decides, so `#` and `*` can be options rather than "finish" keys.
        self.ask(
            node,
            preface,
            &menu.prompt,
            Some(1),
            "",
            menu.timeout_seconds,
        );
        self.listen_for_speech(node, menu);
    }

    /// A gather speaking `preface` (if any) then `prompt`, both interruptible by a key.
    pub fn ask(
        &mut self,
        node: &Node,
        preface: Option<&Prompt>,
        prompt: &Prompt,
        digits: Option<u32>,
        finish: &str,
        timeout: u32,
    ) {
        let lang = &self.state.language;
        let prompts = preface
            .into_iter()
            .chain([prompt])
            .flat_map(|p| prompt_verbs(self.flow, p, lang, node.all_languages, &[]))
            .collect();
        self.gather(prompts, digits, finish, timeout);
    }

    /// A gather with its no-input fall-through.
    pub fn gather(
        &mut self,
        prompts: Vec<twiml::Prompt>,
        digits: Option<u32>,
        finish: &str,
        timeout: u32,
    ) {
        self.verbs.push(Verb::Gather(twiml::Gather {
            action: self.ctx.links.gather(&self.state),
            input: twiml::GatherInput::Dtmf,
            timeout_seconds: timeout,
            num_digits: digits,
            finish_on_key: Some(finish.to_string()),
            language: None,
            recognition: None,
            prompts,
        }));
        let no_input = self.ctx.links.no_input(&self.state);
        self.verbs
            .push(Verb::Redirect(twiml::Redirect { url: no_input }));
    }

    fn record(&mut self, node: &Node, prompt: &Prompt, max_seconds: u32) {
        self.say(prompt, node.all_languages, &[]);
        self.log(&node.id, None, "asked for a recording");
        self.verbs.push(Verb::Record(twiml::Record {
            action: self.ctx.links.record(&self.state),
            max_length_seconds: max_seconds,
            timeout_seconds: RECORD_SILENCE_SECONDS,
            finish_on_key: "#".into(),
            play_beep: true,
        }));
        let url = self.ctx.links.no_recording(&self.state);
        self.verbs.push(Verb::Redirect(twiml::Redirect { url }));
    }

    /// Sends the caller to a category's callback path: from here on, a hang-up leaves an
    /// unfinished request behind.
    pub fn send_to_callback_path(&mut self, when_closed: &str) {
        self.state.callback_path = true;
        self.path_end = None;
        self.enter(when_closed);
    }

    pub fn leave_callback_path(&mut self, how: Unfinished) {
        if self.state.callback_path {
            self.state.callback_path = false;
            self.path_end = Some(how);
        }
    }

    fn request_callback(&mut self, node: &str) {
        self.state.callback_path = false;
        let category = self
            .state
            .category
            .clone()
            .unwrap_or_else(|| self.flow.fallback_category.clone());
        let caller = self.ctx.caller.unwrap_or("unknown").to_string();
        let (number, entered) = match &self.state.callback {
            Some(CallbackNumber::Entered(n)) => (n.clone(), true),
            Some(CallbackNumber::Caller) | None => (caller, false),
        };
        // A caller ID can be forged: one the line may not dial is kept, marked, for a
        // supervisor to look at, and never dialled.
        let dialable = self.flow.callbacks.dialable(&number).is_ok();
        let (recording_url, recording_seconds) = self
            .recording
            .take()
            .map_or((None, None), |(u, s)| (Some(u), s));
        let priority = self
            .flow
            .categories
            .get(&category)
            .map_or(1, |c| c.priority);
        self.effects
            .push(Effect::CallbackRequested(CallbackRequest {
                priority,
                category: category.clone(),
                language: self.state.language.clone(),
                number,
                entered,
                dialable,
                safe_to_leave_message: self.state.safe_to_leave_message,
                call_time: self.state.call_time,
                recording_url,
                recording_seconds,
            }));
        self.log(node, None, format!("callback requested ({category})"));
    }

    /// Turns the caller away with the flow's abuse message.
    pub fn turn_away(&mut self, why: crate::engine::abuse::TurnAway) {
        let flow = self.flow;
        if let Some(abuse) = &flow.abuse {
            self.say(&abuse.message, true, &[]);
        }
        let node = self.state.node.clone();
        self.log(&node, None, why.reason());
        self.verbs.push(Verb::Hangup);
    }

    /// Something in the flow or the URL cannot be followed: route the caller to help.
    pub fn fail(&mut self, why: &str) {
        let node = self.state.node.clone();
        self.log(&node, None, format!("fallback: {why}"));
        let response = super::fallback(self.flow, Some(&self.state), self.ctx, true);
        self.verbs.extend(response.verbs);
    }
}
