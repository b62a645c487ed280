//! Checks of the flow's sections other than nodes and `[queue]`: hotline, languages, schedules,
//! categories and fallback settings.

use std::collections::BTreeMap;

use super::{Checker, HotlineSection};
use crate::flow::model::{Category, FallbackSettings, Language, Prompt, PromptPart, ScheduleSpec};
use crate::flow::raw::{RawCategory, RawFlow, RawSchedule, S};
use crate::triage::schedule::{self, Closure, Schedule, Shift};

/// Twilio refuses queue names longer than this.
const MAX_QUEUE_NAME: usize = 64;

/// The callbacks' own default, as the checker's numbers are read.
const DEFAULT_CALLBACK_WITHIN_HOURS: i64 = crate::callbacks::DEFAULT_CALLBACK_WITHIN_HOURS as i64;

impl Checker<'_> {
    pub(super) fn hotline(&mut self, raw: &RawFlow) -> Option<HotlineSection> {
        let h = raw.hotline.get_ref();
        let numbers = h
            .numbers
            .iter()
            .filter_map(|n| self.called_number(n))
            .collect();
        let tz_name = h.time_zone.get_ref();
        let time_zone = match jiff::tz::TimeZone::get(tz_name) {
            Ok(tz) => Some(tz),
            Err(_) => {
                self.error(
                    h.time_zone.span(),
                    "bad-time-zone",
                    format!("`{tz_name}` is not a time zone"),
                    "use an IANA time-zone name such as \"America/New_York\" or \"America/Chicago\"".into(),
                );
                None
            }
        };
        if !self.languages.contains(h.default_language.get_ref()) {
            let known = self.languages.join(", ");
            self.error(
                h.default_language.span(),
                "unknown-language",
                format!(
                    "default language `{}` is not declared",
                    h.default_language.get_ref()
                ),
                format!(
                    "add a [languages.{}] section, or use one of: {known}",
                    h.default_language.get_ref()
                ),
            );
        }
        self.node_ref(h.start.get_ref(), h.start.span(), "the hotline's `start`");
        self.category_ref(
            h.fallback_category.get_ref(),
            h.fallback_category.span(),
            "the hotline's `fallback_category`",
        );
        Some(HotlineSection {
            name: h.name.get_ref().clone(),
            numbers,
            is_default: h.default,
            time_zone: time_zone?,
            start: h.start.get_ref().clone(),
            fallback_category: h.fallback_category.get_ref().clone(),
        })
    }

    fn called_number(&mut self, n: &S<String>) -> Option<String> {
        let text = n.get_ref().trim();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let only_digits_and_plus = text
            .chars()
            .all(|c| c.is_ascii_digit() || "+-() .".contains(c));
        if !text.starts_with('+') || !only_digits_and_plus || !(8..=15).contains(&digits.len()) {
            self.error(
                n.span(),
                "bad-number",
                format!("`{text}` is not a phone number in international form"),
                "write the number the hotline answers as it is dialled from abroad, e.g. \"+18005550100\"".into(),
            );
            return None;
        }
        Some(format!("+{digits}"))
    }

    pub(super) fn languages_section(&mut self, raw: &RawFlow) -> Vec<Language> {
        if raw.languages.is_empty() {
            self.error(
                raw.hotline.span(),
                "no-languages",
                "the flow declares no language".into(),
                "add a [languages.en] section with `name`, `voice` and `code`".into(),
            );
        }
        let mut out: Vec<Language> = Vec::new();
        for id in self.languages.clone() {
            let l = raw.languages[&id].get_ref();
            for field in [&l.name, &l.voice, &l.code] {
                if field.get_ref().trim().is_empty() {
                    self.error(
                        field.span(),
                        "empty-setting",
                        format!("language `{id}` has an empty setting"),
                        "give every language a name, a voice (e.g. \"Polly.Joanna-Neural\") and a code (e.g. \"en-US\")".into(),
                    );
                }
            }
            out.push(Language {
                id: id.clone(),
                name: l.name.get_ref().clone(),
                voice: l.voice.get_ref().clone(),
                code: l.code.get_ref().clone(),
            });
        }
        out
    }

    pub(super) fn schedules(&mut self, raw: &RawFlow) -> BTreeMap<String, ScheduleSpec> {
        let mut out = BTreeMap::new();
        for (id, s) in &raw.schedules {
            let spec = self.schedule(s.get_ref());
            out.insert(id.clone(), spec);
        }
        out
    }

    fn schedule(&mut self, s: &RawSchedule) -> ScheduleSpec {
        let (closures, closure_announcements) = self.closures(s);
        ScheduleSpec {
            hours: Schedule {
                weekly: self.weekly(s),
                closures,
                closed_now: s.closed_now,
            },
            after_hours: s
                .after_hours_announcement
                .as_ref()
                .map(|p| self.prompt(p, &[])),
            closure_default: s.closure_announcement.as_ref().map(|p| self.prompt(p, &[])),
            closure_announcements,
            closed_now: s
                .closed_now_announcement
                .as_ref()
                .map(|p| self.prompt(p, &[])),
            unstaffed: s
                .unstaffed_announcement
                .as_ref()
                .map(|p| self.prompt(p, &[])),
        }
    }

    fn weekly(&mut self, s: &RawSchedule) -> [Vec<Shift>; 7] {
        let days = [
            &s.monday,
            &s.tuesday,
            &s.wednesday,
            &s.thursday,
            &s.friday,
            &s.saturday,
            &s.sunday,
        ];
        let mut weekly: [Vec<Shift>; 7] = Default::default();
        for (day, shifts) in days.iter().enumerate() {
            for shift in shifts.iter().flat_map(|list| list.get_ref()) {
                match Shift::parse(shift.get_ref()) {
                    Ok(parsed) => weekly[day].push(parsed),
                    Err(e) => self.error(
                        shift.span(),
                        "bad-hours",
                        format!("`{}` is not a shift", shift.get_ref()),
                        e.to_string(),
                    ),
                }
            }
        }
        weekly
    }

    /// Closures and, for each, its own announcement if it has one.
    fn closures(&mut self, s: &RawSchedule) -> (Vec<Closure>, Vec<Option<Prompt>>) {
        let mut closures = Vec::new();
        let mut announcements = Vec::new();
        for c in &s.closures {
            let c = c.get_ref();
            let first = self.date(&c.date);
            let last = c.until.as_ref().map_or(first, |u| self.date(u));
            let (Some(first_day), Some(last_day)) = (first, last) else {
                continue;
            };
            if last_day < first_day {
                self.error(
                    c.until.as_ref().map_or(c.date.span(), S::span),
                    "bad-date",
                    "this closure ends before it starts".into(),
                    "`until` is the last closed day and must not be before `date`".into(),
                );
            }
            closures.push(Closure {
                first_day,
                last_day,
                name: c.name.get_ref().clone(),
            });
            announcements.push(c.announcement.as_ref().map(|p| self.prompt(p, &[])));
        }
        (closures, announcements)
    }

    fn date(&mut self, d: &S<String>) -> Option<jiff::civil::Date> {
        match schedule::parse_date(d.get_ref()) {
            Ok(date) => Some(date),
            Err(e) => {
                self.error(
                    d.span(),
                    "bad-date",
                    format!("`{}` is not a date", d.get_ref()),
                    e.to_string(),
                );
                None
            }
        }
    }

    pub(super) fn categories(&mut self, raw: &RawFlow) -> BTreeMap<String, Category> {
        let staff_by_default = raw.hotline.get_ref().open_requires_staff;
        raw.categories
            .iter()
            .map(|(id, c)| (id.clone(), self.category(id, c.get_ref(), staff_by_default)))
            .collect()
    }

    fn category(&mut self, id: &str, c: &RawCategory, staff_by_default: bool) -> Category {
        let priority = *c.priority.get_ref();
        if !(1..=9).contains(&priority) {
            self.error(
                c.priority.span(),
                "bad-priority",
                format!("priority {priority} is out of range"),
                "use 1 (least urgent) to 9 (most urgent); higher is served first".into(),
            );
        }
        let schedule = c.schedule.get_ref();
        if !self.schedule_ids.contains(schedule) {
            let known = self.schedule_ids.join(", ");
            self.error(
                c.schedule.span(),
                "unknown-schedule",
                format!("category `{id}` uses schedule `{schedule}`, which is not defined"),
                format!("add a [schedules.{schedule}] section, or use one of: {known}"),
            );
        }
        let queue = c
            .queue
            .as_ref()
            .map_or_else(|| id.to_string(), |q| q.get_ref().clone());
        self.queue_name(&queue, c.queue.as_ref().map_or(c.label.span(), S::span));
        let what = format!("category `{id}`'s `when_closed`");
        self.node_ref(c.when_closed.get_ref(), c.when_closed.span(), &what);
        let label = self.prompt(&c.label, &[]);
        if label
            .parts
            .values()
            .any(|p| matches!(p, PromptPart::Play(_)))
        {
            self.error(
                c.label.span(),
                "audio-label",
                format!("category `{id}` has an audio label"),
                "a label is read out inside other prompts ({category}), so write it as text".into(),
            );
        }
        let max_hold_minutes = c
            .max_hold_minutes
            .as_ref()
            .and_then(|_| self.number(&c.max_hold_minutes, 0, 1..=120, "max_hold_minutes"));
        let callback_within_hours = self
            .number(
                &c.callback_within_hours,
                DEFAULT_CALLBACK_WITHIN_HOURS,
                1..=720,
                "callback_within_hours",
            )
            // Out of range was reported above, and a flow with errors is never used.
            .unwrap_or_default();
        Category {
            id: id.to_string(),
            title: self.title(c.title.as_ref(), "category", id),
            label,
            priority: u8::try_from(priority.clamp(1, 9)).unwrap_or(1),
            schedule: schedule.clone(),
            queue,
            when_closed: c.when_closed.get_ref().clone(),
            max_hold_minutes,
            callback_within_hours,
            open_requires_staff: c.open_requires_staff.unwrap_or(staff_by_default),
        }
    }

    fn queue_name(&mut self, queue: &str, span: std::ops::Range<usize>) {
        let ok_chars = queue
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
        if queue.is_empty() || queue.len() > MAX_QUEUE_NAME || !ok_chars {
            self.error(
                span,
                "bad-queue",
                format!("`{queue}` cannot be a queue name"),
                format!("use 1 to {MAX_QUEUE_NAME} letters, digits, `_`, `-` or `.`"),
            );
        }
    }

    pub(super) fn fallback_section(&mut self, raw: &RawFlow) -> Option<FallbackSettings> {
        let Some(f) = &raw.fallback else {
            self.missing_section(
                "fallback",
                "[fallback] with an `apology` and a `give_up` prompt",
            );
            return None;
        };
        let f = f.get_ref();
        Some(FallbackSettings {
            apology: self.prompt(&f.apology, &[]),
            give_up: self.prompt(&f.give_up, &[]),
        })
    }

    pub(super) fn missing_section(&mut self, name: &str, what: &str) {
        self.error(
            0..0,
            "missing-section",
            format!("the flow has no [{name}] section"),
            format!("add {what}, in every language"),
        );
    }
}
