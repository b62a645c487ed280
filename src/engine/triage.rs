//! A triage node: the caller joins their category's queue when it can take them, or hears why
//! not and goes to its callback path (closed hours, a closure, the switch, or nobody there).

use super::Effect;
use super::run::Run;
use super::unfinished::Unfinished;
use crate::flow::model::{Category, Node, Prompt, ScheduleSpec};
use crate::triage::closed::Closed;
use crate::triage::schedule::Availability;
use crate::twiml::{self, Verb};

impl<'a> Run<'a> {
    pub(super) fn triage(&mut self, node: &Node, category_id: &str, prompt: Option<&Prompt>) {
        let flow = self.flow;
        let Some(category) = flow.categories.get(category_id) else {
            self.fail(&format!("category `{category_id}` is not defined"));
            return;
        };
        self.leave_callback_path(Unfinished::Left);
        self.state.category = Some(category.id.clone());
        self.effects.push(Effect::Category(category.id.clone()));
        let Some(schedule) = flow.schedules.get(&category.schedule) else {
            self.fail(&format!("schedule `{}` is not defined", category.schedule));
            return;
        };
        let Some((closed_prompt, why)) = self.closed(category, schedule) else {
            return self.enqueue(node, category, prompt);
        };
        if let Some(p) = closed_prompt {
            self.say(p, node.all_languages, &[]);
        }
        self.log(&node.id, None, why.outcome());
        self.send_to_callback_path(&category.when_closed);
    }

    /// Why `category` cannot take the caller now, with what they hear about it; `None` when
    /// it can.
    fn closed(
        &self,
        category: &Category,
        schedule: &'a ScheduleSpec,
    ) -> Option<(Option<&'a Prompt>, Closed<'a>)> {
        let flow = self.flow;
        Some(
            match schedule.hours.availability(self.ctx.now, &flow.time_zone) {
                Availability::Open if self.ctx.staffs(category) => return None,
                // The queue's own words for "nobody can take your call" fit, where the after-hours
                // announcement would tell a caller in opening hours that the line is closed.
                Availability::Open => (
                    Some(
                        schedule
                            .unstaffed
                            .as_ref()
                            .unwrap_or(&flow.queue.unavailable_prompt),
                    ),
                    Closed::Unstaffed,
                ),
                Availability::AfterHours => (schedule.after_hours.as_ref(), Closed::AfterHours),
                Availability::Closure(i) => (
                    schedule
                        .closure_announcements
                        .get(i)
                        .and_then(Option::as_ref)
                        .or(schedule.closure_default.as_ref()),
                    Closed::Closure(
                        schedule
                            .hours
                            .closures
                            .get(i)
                            .map_or("closure", |c| c.name.as_str()),
                    ),
                ),
                Availability::ClosedNow => (schedule.closed_now.as_ref(), Closed::ClosedNow),
            },
        )
    }

    fn enqueue(&mut self, node: &Node, category: &Category, prompt: Option<&Prompt>) {
        if let Some(p) = prompt {
            let label = category
                .label
                .text(&self.state.language)
                .unwrap_or_default();
            self.say(p, node.all_languages, &[("category", label)]);
        }
        let seq = self.state.seq;
        self.log(&node.id, None, format!("queued in {}", category.queue));
        self.state.queue_seq = Some(seq);
        self.effects.push(Effect::Enqueued {
            seq,
            category: category.id.clone(),
            queue: category.queue.clone(),
        });
        self.verbs.push(Verb::Enqueue(twiml::Enqueue {
            queue: category.queue.clone(),
            action: Some(self.ctx.links.queue_result(&self.state)),
            wait_url: Some(self.ctx.links.wait(&self.state)),
        }));
    }
}
