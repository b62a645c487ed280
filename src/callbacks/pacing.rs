//! When a callback request may be called: inside the hotline's calling hours (nobody is rung
//! at night), inside the part of the day the caller said is safe, and not sooner than the
//! flow's gap after the last attempt. Pure: the desk passes the time, the zone, the last
//! attempt and the caller's answer in.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::triage::schedule::Shift;

/// When the caller said it is safe to call them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallTime {
    /// Whenever the line calls.
    Any,
    Morning,
    Afternoon,
    Evening,
}

impl CallTime {
    /// Every answer, in the order of the day.
    pub const ALL: [CallTime; 4] = [
        CallTime::Morning,
        CallTime::Afternoon,
        CallTime::Evening,
        CallTime::Any,
    ];

    /// The stored form, also the flow file's.
    pub fn as_str(self) -> &'static str {
        match self {
            CallTime::Any => "any",
            CallTime::Morning => "morning",
            CallTime::Afternoon => "afternoon",
            CallTime::Evening => "evening",
        }
    }

    /// Reads the stored form back.
    pub fn parse(text: &str) -> Option<CallTime> {
        CallTime::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// Words for operators: "in the evening".
    pub fn words(self) -> &'static str {
        match self {
            CallTime::Any => "at any time",
            CallTime::Morning => "in the morning",
            CallTime::Afternoon => "in the afternoon",
            CallTime::Evening => "in the evening",
        }
    }
}

/// The flow's pacing of call backs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pacing {
    /// Local hours in which callers may be rung, e.g. 09:00-20:00.
    pub calling_hours: Shift,
    /// Minutes that must pass between two attempts on one request.
    pub min_gap_minutes: u32,
    /// What "morning", "afternoon" and "evening" mean, in that order.
    pub parts_of_day: [Shift; 3],
}

impl Default for Pacing {
    fn default() -> Self {
        // The literals are valid shifts; the tests below parse them.
        let shift = |text| Shift::parse(text).unwrap_or_else(|_| unreachable!());
        Pacing {
            calling_hours: shift(DEFAULT_CALLING_HOURS),
            min_gap_minutes: DEFAULT_MIN_GAP_MINUTES,
            parts_of_day: DEFAULT_PARTS_OF_DAY.map(shift),
        }
    }
}

/// Calling hours when the flow names none.
pub const DEFAULT_CALLING_HOURS: &str = "09:00-20:00";
/// Morning, afternoon and evening when the flow names none; together the default calling hours.
pub const DEFAULT_PARTS_OF_DAY: [&str; 3] = ["09:00-12:00", "12:00-17:00", "17:00-20:00"];
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
    /// It is outside the part of the day the caller asked for.
    CallerTime,
}

impl Pacing {
    /// When the request whose last attempt was at `last_attempt`, and whose caller asked to
    /// be called `when`, may be called.
    pub fn due(
        &self,
        now: Timestamp,
        zone: &TimeZone,
        last_attempt: Option<Timestamp>,
        when: Option<CallTime>,
    ) -> Due {
        let gap_ends = last_attempt.and_then(|t| {
            t.checked_add(i64::from(self.min_gap_minutes).minutes())
                .ok()
        });
        let earliest = gap_ends.filter(|t| *t > now).unwrap_or(now);
        let window = self.window(when);
        let opening = next_opening(&window, earliest, zone);
        let outside = if window == self.calling_hours {
            Wait::CallingHours
        } else {
            Wait::CallerTime
        };
        match (opening == now, opening == earliest) {
            (true, _) => Due::Now,
            (false, true) => Due::After {
                at: opening,
                why: Wait::Gap,
            },
            (false, false) => Due::After {
                at: opening,
                why: outside,
            },
        }
    }

    /// The hours in which a caller who asked for `when` may be rung: the calling hours, or the
    /// part of them the caller chose. A chosen part outside the calling hours still wins, since
    /// ringing at another time may not be safe for that caller.
    pub fn window(&self, when: Option<CallTime>) -> Shift {
        let part = match when {
            None | Some(CallTime::Any) => return self.calling_hours,
            Some(CallTime::Morning) => self.parts_of_day[0],
            Some(CallTime::Afternoon) => self.parts_of_day[1],
            Some(CallTime::Evening) => self.parts_of_day[2],
        };
        self.calling_hours.overlap(&part).unwrap_or(part)
    }
}

/// `at` if it falls inside `window`, else when it next begins.
fn next_opening(window: &Shift, at: Timestamp, zone: &TimeZone) -> Timestamp {
    let local = at.to_zoned_datetime(zone.clone());
    let minute =
        u16::try_from(local.hour()).unwrap_or(0) * 60 + u16::try_from(local.minute()).unwrap_or(0);
    if window.contains(minute) {
        return at;
    }
    let start = window.start_minute();
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
        assert_eq!(pacing.due(now, &zone(), None, None), Due::Now);
        assert_eq!(
            pacing.due(now, &zone(), Some(at("2026-12-01T13:59:00Z")), None),
            Due::Now
        );
    }

    #[test]
    fn a_recent_attempt_makes_it_wait_for_the_gap() {
        let pacing = Pacing::default();
        let now = at("2026-12-01T15:00:00Z");
        let last = at("2026-12-01T14:30:00Z");
        assert_eq!(
            pacing.due(now, &zone(), Some(last), None),
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
            pacing.due(at("2026-12-01T08:00:00Z"), &zone(), None, None),
            Due::After {
                at: at("2026-12-01T14:00:00Z"),
                why: Wait::CallingHours
            }
        );
        // 21:00: wait until 09:00 the next day.
        assert_eq!(
            pacing.due(at("2026-12-02T02:00:00Z"), &zone(), None, None),
            Due::After {
                at: at("2026-12-02T14:00:00Z"),
                why: Wait::CallingHours
            }
        );
        // A gap that ends after 20:00 also waits for the morning.
        let last = at("2026-12-02T00:30:00Z");
        assert_eq!(
            pacing.due(at("2026-12-02T00:45:00Z"), &zone(), Some(last), None),
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
            pacing.due(at("2027-03-14T06:00:00Z"), &zone(), None, None),
            Due::After {
                at: at("2027-03-14T13:00:00Z"),
                why: Wait::CallingHours
            }
        );
    }

    #[test]
    fn a_caller_who_asked_for_evenings_is_rung_only_in_the_evening() {
        let pacing = Pacing::default();
        let evening = Some(CallTime::Evening);
        // 10:00 in New York: wait until 17:00, and say it is the caller's wish.
        assert_eq!(
            pacing.due(at("2026-12-01T15:00:00Z"), &zone(), None, evening),
            Due::After {
                at: at("2026-12-01T22:00:00Z"),
                why: Wait::CallerTime
            }
        );
        assert_eq!(
            pacing.due(at("2026-12-01T22:30:00Z"), &zone(), None, evening),
            Due::Now
        );
        // 20:00 is past both the evening and the calling hours: tomorrow at 17:00.
        assert_eq!(
            pacing.due(at("2026-12-02T01:00:00Z"), &zone(), None, evening),
            Due::After {
                at: at("2026-12-02T22:00:00Z"),
                why: Wait::CallerTime
            }
        );
        let any = pacing.due(
            at("2026-12-01T15:00:00Z"),
            &zone(),
            None,
            Some(CallTime::Any),
        );
        assert_eq!(any, Due::Now);
    }

    #[test]
    fn a_part_of_the_day_is_cut_to_the_calling_hours_but_never_widened() {
        let pacing = Pacing {
            calling_hours: Shift::parse("10:00-18:00").unwrap(),
            ..Pacing::default()
        };
        assert_eq!(
            pacing.window(Some(CallTime::Morning)).to_string(),
            "10:00-12:00"
        );
        assert_eq!(
            pacing.window(Some(CallTime::Evening)).to_string(),
            "17:00-18:00"
        );
        assert_eq!(pacing.window(None).to_string(), "10:00-18:00");
        let early = Pacing {
            calling_hours: Shift::parse("13:00-16:00").unwrap(),
            ..Pacing::default()
        };
        assert_eq!(
            early.window(Some(CallTime::Morning)).to_string(),
            "09:00-12:00"
        );
    }

    #[test]
    fn stored_answers_round_trip() {
        for when in CallTime::ALL {
            assert_eq!(CallTime::parse(when.as_str()), Some(when));
        }
        assert_eq!(CallTime::parse("night"), None);
    }
}
