//! Opening hours that are probably not what staff meant: shifts of one day that overlap,
//! schedules with no shift at all, so their categories never open, and an announcement for
//! unstaffed hours that no category of the schedule can play.

use std::ops::Range;

use super::{Lints, list};
use crate::flow::raw::{RawSchedule, S};
use crate::triage::schedule::Shift;

const MINUTES_PER_DAY: u16 = 24 * 60;

impl Lints<'_> {
    pub(super) fn hours(&mut self) {
        for (id, raw) in &self.raw.schedules {
            let mut has_shifts = false;
            for (day, list) in days(raw.get_ref()) {
                let shifts: Vec<(Shift, Range<usize>)> = list
                    .iter()
                    .flat_map(|l| l.get_ref())
                    .filter_map(|s| Shift::parse(s.get_ref()).ok().map(|p| (p, s.span())))
                    .collect();
                has_shifts |= !shifts.is_empty();
                self.overlaps(day, &shifts);
            }
            if !has_shifts {
                self.never_open(id, raw.span());
            }
            if let Some(announcement) = &raw.get_ref().unstaffed_announcement {
                self.unheard_unstaffed(id, announcement.span());
            }
        }
    }

    /// An `unstaffed_announcement` is heard only by callers of a category of its schedule
    /// that opens only while staffed.
    fn unheard_unstaffed(&mut self, id: &str, span: Range<usize>) {
        let heard = self
            .flow
            .categories
            .values()
            .any(|c| c.schedule == id && c.open_requires_staff);
        if heard {
            return;
        }
        self.warning(
            span,
            "unheard-announcement",
            format!(
                "schedule `{id}` has an `unstaffed_announcement`, but none of its categories                  opens only while someone is available, so no caller hears it"
            ),
            "set `open_requires_staff = true` in [hotline] or in a category that uses this              schedule, or remove the announcement"
                .into(),
        );
    }

    fn overlaps(&mut self, day: &str, shifts: &[(Shift, Range<usize>)]) {
        for (j, (later, span)) in shifts.iter().enumerate() {
            if let Some((earlier, _)) = shifts[..j].iter().find(|(s, _)| overlap(s, later)) {
                self.warning(
                    span.clone(),
                    "overlapping-shifts",
                    format!("on {day}, shift `{later}` overlaps shift `{earlier}`"),
                    "check the times: overlapping shifts are usually a typo (such as 11:00 for \
                     13:00); if they are meant to run together, join them into one shift"
                        .into(),
                );
            }
        }
    }

    fn never_open(&mut self, id: &str, span: Range<usize>) {
        let users: Vec<&str> = self
            .flow
            .categories
            .values()
            .filter(|c| c.schedule == id)
            .map(|c| c.id.as_str())
            .collect();
        if users.is_empty() {
            return;
        }
        let span = self.heading_span(&format!("[schedules.{id}]"), span);
        self.warning(
            span,
            "never-open",
            format!(
                "schedule `{id}` has no shift on any day, so {} never open: callers always go to \
                 `when_closed`",
                if users.len() == 1 {
                    format!("{} is", list(&users))
                } else {
                    format!("{} are", list(&users))
                }
            ),
            "add shifts, for example `monday = [\"09:00-17:00\"]`; to close for a while, set \
             `closed_now = true` instead of removing the shifts"
                .into(),
        );
    }
}

type Day<'a> = (&'static str, &'a Option<S<Vec<S<String>>>>);

fn days(s: &RawSchedule) -> [Day<'_>; 7] {
    [
        ("monday", &s.monday),
        ("tuesday", &s.tuesday),
        ("wednesday", &s.wednesday),
        ("thursday", &s.thursday),
        ("friday", &s.friday),
        ("saturday", &s.saturday),
        ("sunday", &s.sunday),
    ]
}

fn overlap(a: &Shift, b: &Shift) -> bool {
    (0..MINUTES_PER_DAY).any(|m| a.contains(m) && b.contains(m))
}
