//! When a callback request may be called: inside the hotline's calling hours (nobody is rung
//! at night) and not sooner than the flow's gap after the last attempt. Pure: the desk passes
//! the time, the zone and the last attempt in.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::triage::schedule::Shift;

/// The flow's pacing of call backs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pacing {
    /// Local hours in which callers may be rung, e.g. 09:00-20:00.
    pub calling_hours: Shift,
    /// Minutes that must pass between two attempts on one request.
    pub min_gap_minutes: u32,
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing {
            // The literal is a valid shift; its test below parses it.
            calling_hours: Shift::parse(DEFAULT_CALLING_HOURS).unwrap_or_else(|_| unreachable!()),
            min_gap_minutes: DEFAULT_MIN_GAP_MINUTES,
        }
    }
}

/// Calling hours when the flow names none.
pub const DEFAULT_CALLING_HOURS: &str = "09:00-20:00";
/// The gap between attempts when the flow names none.
pub const DEFAULT_MIN_GAP_MINUTES: u32 = 60;

/// Whether a request may be called now, and if not, from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// It may be called now.
    Now,
    /// Not before this instant.
    After {
        /// The first instant it may be called.
        at: Timestamp,
        /// Why not sooner.
        why: Wait,
    },
}

/// Why a request must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The last attempt was too recent.
    Gap,
    /// It is outside the calling hours.
    CallingHours,
}

impl Pacing {
    /// When the request whose last attempt was at `last_attempt` may be called.
    pub fn due(&self, now: Timestamp, zone: &TimeZone, last_attempt: Option<Timestamp>) -> Due {
        let gap_ends = last_attempt.and_then(|t| {
            t.checked_add(i64::from(self.min_gap_minutes).minutes())
                .ok()
        });
        let earliest = gap_ends.filter(|t| *t > now).unwrap_or(now);
        let opening = self.next_opening(earliest, zone);
        match (opening == now, opening == earliest) {
            (true, _) => Due::Now,
            (false, true) => Due::After {
                at: opening,
                why: Wait::Gap,
            },
            (false, false) => Due::After {
                at: opening,
                why: Wait::CallingHours,
            },
        }
    }

    /// `at` if it falls inside the calling hours, else when they next begin.
    fn next_opening(&self, at: Timestamp, zone: &TimeZone) -> Timestamp {
        let local = at.to_zoned_datetime(zone.clone());
        let minute = u16::try_from(local.hour()).unwrap_or(0) * 60
            + u16::try_from(local.minute()).unwrap_or(0);
        if self.calling_hours.contains(minute) {
            return at;
        }
        let start = self.calling_hours.start_minute();
        let day = if minute < start {
            local.date()
        } else {
            local.date().tomorrow().unwrap_or(local.date())
        };
        // A shift starts before 24:00, so its hour and minute fit an i8.
        let (hour, min) = (i8::try_from(start / 60), i8::try_from(start % 60));
        let opening = match (hour, min) {
            (Ok(h), Ok(m)) => day.at(h, m, 0, 0).to_zoned_datetime(zone.clone()).ok(),
            _ => None,
        };
        // A date past the end of time cannot happen for a real clock; keep `at` then.
        opening.map_or(at, |z| z.timestamp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> TimeZone {
        TimeZone::get("America/New_York").expect("the zone")
    }

    fn at(text: &str) -> Timestamp {
        text.parse().expect("an instant")
    }

    #[test]
    fn the_default_calling_hours_are_nine_to_eight() {
        let pacing = Pacing::default();
        assert_eq!(pacing.calling_hours.to_string(), DEFAULT_CALLING_HOURS);
        assert_eq!(pacing.min_gap_minutes, 60);
    }

    #[test]
    fn inside_the_hours_and_past_the_gap_a_request_is_due_now() {
        let pacing = Pacing::default();
        // 10:00 in New York.
        let now = at("2026-12-01T15:00:00Z");
        assert_eq!(pacing.due(now, &zone(), None), Due::Now);
        assert_eq!(
            pacing.due(now, &zone(), Some(at("2026-12-01T13:59:00Z"))),
            Due::Now
        );
    }

    #[test]
    fn a_recent_attempt_makes_it_wait_for_the_gap() {
        let pacing = Pacing::default();
        let now = at("2026-12-01T15:00:00Z");
        let last = at("2026-12-01T14:30:00Z");
        assert_eq!(
            pacing.due(now, &zone(), Some(last)),
            Due::After {
                at: at("2026-12-01T15:30:00Z"),
                why: Wait::Gap
            }
        );
    }

    #[test]
    fn at_night_it_waits_for_the_morning_in_the_hotlines_zone() {
        let pacing = Pacing::default();
        // 03:00 in New York: wait until 09:00 the same day.
        assert_eq!(
            pacing.due(at("2026-12-01T08:00:00Z"), &zone(), None),
            Due::After {
                at: at("2026-12-01T14:00:00Z"),
                why: Wait::CallingHours
            }
        );
        // 21:00: wait until 09:00 the next day.
        assert_eq!(
            pacing.due(at("2026-12-02T02:00:00Z"), &zone(), None),
            Due::After {
                at: at("2026-12-02T14:00:00Z"),
                why: Wait::CallingHours
            }
        );
        // A gap that ends after 20:00 also waits for the morning.
        let last = at("2026-12-02T00:30:00Z");
        assert_eq!(
            pacing.due(at("2026-12-02T00:45:00Z"), &zone(), Some(last)),
            Due::After {
                at: at("2026-12-02T14:00:00Z"),
                why: Wait::CallingHours
            }
        );
    }

    #[test]
    fn the_morning_after_a_change_to_summer_time_is_still_nine_local() {
        let pacing = Pacing::default();
        // 2027-03-14 is the change in New York: 09:00 EDT is 13:00 UTC.
        assert_eq!(
            pacing.due(at("2027-03-14T06:00:00Z"), &zone(), None),
            Due::After {
                at: at("2027-03-14T13:00:00Z"),
                why: Wait::CallingHours
            }
        );
    }
}
