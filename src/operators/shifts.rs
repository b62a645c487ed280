//! An operator's recurring weekly shifts, written by staff as days and hours ("mon-fri
//! 09:00-17:00"), and whether they are due at work at an instant. The hours follow the flows'
//! rules for shifts (`triage::schedule`), with the same messages.

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::triage::schedule::{Availability, Schedule, ScheduleError, Shift};

/// The days as staff write them, Monday first; full names are accepted too.
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL_DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A mistake in how staff wrote a shift, said so that they can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShiftsError {
    /// Days without hours, or nothing at all.
    #[error(
        "\"{text}\" is not a shift; write the days, then the hours, like \"mon-fri 09:00-17:00\" or \"sat 10:00-14:00\""
    )]
    Shape {
        /// The shift as written.
        text: String,
    },
    /// A day that is not one.
    #[error(
        "\"{day}\" in \"{text}\" is not a day; write mon, tue, wed, thu, fri, sat or sun, a range such as mon-fri, or daily"
    )]
    Day {
        /// The shift as written.
        text: String,
        /// The word that is not a day.
        day: String,
    },
    /// Hours the flows' shifts would refuse too.
    #[error(transparent)]
    Hours(#[from] ScheduleError),
}

/// When one operator is due at work, week after week; empty when they have no shifts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyShifts {
    /// Per weekday, Monday first.
    week: [Vec<Shift>; 7],
}

impl WeeklyShifts {
    /// Reads shifts as staff write them ("mon-fri 09:00-17:00", "sat 10:00-14:00", "daily
    /// 08:00-12:00 13:00-17:00"); an item may hold several separated by commas, as the stored
    /// form does. The same shift twice counts once.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<WeeklyShifts, ShiftsError> {
        let mut shifts = WeeklyShifts::default();
        let parts = items.iter().flat_map(|i| i.as_ref().split(','));
        for text in parts.map(str::trim).filter(|t| !t.is_empty()) {
            let mut words = text.split_whitespace();
            let days = days(words.next().unwrap_or_default(), text)?;
            let hours: Vec<Shift> = words.map(Shift::parse).collect::<Result<_, _>>()?;
            if hours.is_empty() {
                return Err(ShiftsError::Shape { text: text.into() });
            }
            for day in days {
                for shift in &hours {
                    if !shifts.week[day].contains(shift) {
                        shifts.week[day].push(*shift);
                    }
                }
            }
        }
        for day in &mut shifts.week {
            day.sort_by_key(|s| (s.start_minute(), s.to_string()));
        }
        Ok(shifts)
    }

    /// Whether there is no shift at all.
    pub fn is_empty(&self) -> bool {
        self.week.iter().all(Vec::is_empty)
    }

    /// Whether `now` falls in one of the shifts, by the local time in `zone`.
    pub fn due_at(&self, now: Timestamp, zone: &TimeZone) -> bool {
        let schedule = Schedule {
            weekly: self.week.clone(),
            ..Schedule::default()
        };
        schedule.availability(now, zone) == Availability::Open
    }

    /// Each shift in the shortest form staff would write ("mon-fri 09:00-17:00"), Monday's
    /// first and each day's by when it starts: the items [`WeeklyShifts::parse`] reads back.
    pub fn items(&self) -> Vec<String> {
        // The days of each stretch of hours, ordered by when in the day it starts.
        let mut by_hours: BTreeMap<(u16, String), Vec<usize>> = BTreeMap::new();
        for (day, shifts) in self.week.iter().enumerate() {
            for shift in shifts {
                let key = (shift.start_minute(), shift.to_string());
                by_hours.entry(key).or_default().push(day);
            }
        }
        let mut items: Vec<(usize, u16, String)> = Vec::new();
        for ((start, hours), days) in by_hours {
            for (first, last) in runs(&days) {
                let days = match first == last {
                    true => DAYS[first].to_string(),
                    false => format!("{}-{}", DAYS[first], DAYS[last]),
                };
                items.push((first, start, format!("{days} {hours}")));
            }
        }
        items.sort();
        items.into_iter().map(|(_, _, item)| item).collect()
    }
}

/// The shifts in the shortest form staff would write, the stored form too: hours shared by
/// days in a row become one range ("mon-fri 09:00-17:00, sat 10:00-14:00").
impl fmt::Display for WeeklyShifts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.items().join(", "))
    }
}

/// The weekdays (0 is Monday) a word names: a day, a range that may run over the weekend
/// ("fri-mon"), or `daily`.
fn days(word: &str, text: &str) -> Result<Vec<usize>, ShiftsError> {
    let word = word.to_ascii_lowercase();
    if word.is_empty() || word.contains(':') {
        return Err(ShiftsError::Shape { text: text.into() });
    }
    if word == "daily" {
        return Ok((0..7).collect());
    }
    let day = |name: &str| {
        DAYS.iter()
            .chain(FULL_DAYS.iter())
            .position(|d| *d == name)
            .map(|i| i % 7)
            .ok_or_else(|| ShiftsError::Day {
                text: text.into(),
                day: name.into(),
            })
    };
    match word.split_once('-') {
        None => Ok(vec![day(&word)?]),
        Some((from, to)) => {
            let (from, to) = (day(from)?, day(to)?);
            let length = (to + 7 - from) % 7;
            Ok((0..=length).map(|i| (from + i) % 7).collect())
        }
    }
}

/// Days in a row, as `(first, last)`, from sorted weekdays.
fn runs(days: &[usize]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &day in days {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == day => *last = day,
            _ => runs.push((day, day)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(items: &[&str]) -> Result<WeeklyShifts, ShiftsError> {
        WeeklyShifts::parse(items)
    }

    #[test]
    fn days_and_hours_read_back_in_their_shortest_form() {
        let shifts = parse(&["Mon-Fri 09:00-17:00", "sat 10:00-14:00, sunday 10:00-14:00"]);
        assert_eq!(
            shifts.unwrap().to_string(),
            "mon-fri 09:00-17:00, sat-sun 10:00-14:00"
        );
        let split = parse(&["daily 8:00-12:00 13:00-17:00", "wed 08:00-12:00"]).unwrap();
        assert_eq!(
            split.to_string(),
            "mon-sun 08:00-12:00, mon-sun 13:00-17:00"
        );
        let weekend_nights = parse(&["fri-mon 22:00-24:00"]).unwrap();
        assert_eq!(
            weekend_nights.to_string(),
            "mon 22:00-24:00, fri-sun 22:00-24:00"
        );
        let again = parse(&[weekend_nights.to_string().as_str()]).unwrap();
        assert_eq!(again, weekend_nights, "the stored form reads back");
        let items = weekend_nights.items();
        assert_eq!(items, ["mon 22:00-24:00", "fri-sun 22:00-24:00"]);
        assert_eq!(
            parse(&items.iter().map(String::as_str).collect::<Vec<_>>()).unwrap(),
            weekend_nights
        );
        assert!(parse(&[]).unwrap().is_empty());
    }

    #[test]
    fn mistakes_are_explained() {
        let no_hours = parse(&["mon-fri"]).unwrap_err().to_string();
        assert!(
            no_hours.contains("write the days, then the hours"),
            "{no_hours}"
        );
        let hours_only = parse(&["09:00-17:00"]).unwrap_err().to_string();
        assert!(
            hours_only.contains("write the days, then the hours"),
            "{hours_only}"
        );
        let day = parse(&["mon-fry 09:00-17:00"]).unwrap_err().to_string();
        assert!(
            day.starts_with("\"fry\" in \"mon-fry 09:00-17:00\" is not a day"),
            "{day}"
        );
        let overnight = parse(&["fri 22:00-06:00"]).unwrap_err().to_string();
        assert!(
            overnight.contains("cannot run past midnight"),
            "{overnight}"
        );
    }

    #[test]
    fn an_operator_is_due_within_a_shift_in_the_hotlines_time_zone() {
        let zone = TimeZone::get("America/New_York").unwrap();
        let shifts = parse(&["tue 09:00-17:00"]).unwrap();
        // Tuesday 1 December 2026, 10:00 and 17:00 in New York.
        let morning: Timestamp = "2026-12-01T15:00:00Z".parse().unwrap();
        let evening: Timestamp = "2026-12-01T22:00:00Z".parse().unwrap();
        assert!(shifts.due_at(morning, &zone));
        assert!(!shifts.due_at(evening, &zone));
    }
}
