//! Opening hours of a triage category: weekly shifts, dated closures and a manual closed switch, evaluated at a given instant in the hotline's time zone.

use std::fmt;
use std::iter;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;

/// Lower-case weekday names in schedule order: index 0 is Monday, 6 is Sunday.
pub const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Minutes in a day; also the minute value of "24:00", the end of the day.
const END_OF_DAY: u16 = 24 * 60;

/// How many days after today `Schedule::next_opening` looks at.
const SEARCH_DAYS: usize = 60;

/// A mistake in how staff wrote a shift or a date in a call-flow file.
///
/// Messages are meant to be shown to the person who edits the file, so they
/// say what is wrong and how to write it instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The shift text is empty.
    #[error("a shift is empty; write when it starts and ends, like \"08:00-20:00\"")]
    EmptyShift,
    /// The shift is not written as two clock times joined by a hyphen.
    #[error(
        "\"{text}\" is not a shift; write the start and end in 24-hour time with minutes, like \"{example}\""
    )]
    ShiftFormat {
        /// The shift as written.
        text: String,
        /// A correctly written shift, as close to the input as can be guessed.
        example: String,
    },
    /// One of the two clock times does not exist.
    #[error(
        "\"{time}\" in shift \"{text}\" is not a time of day; hours go from 00 to 23 and minutes from 00 to 59 (use 24:00 only to end a shift at midnight)"
    )]
    BadTime {
        /// The shift as written.
        text: String,
        /// The clock time that is wrong.
        time: String,
    },
    /// The shift starts and ends at the same time.
    #[error(
        "shift \"{text}\" starts and ends at the same time; write when it starts and when it ends, like \"08:00-20:00\""
    )]
    ZeroLength {
        /// The shift as written.
        text: String,
    },
    /// The shift starts at 24:00, which is the end of the day.
    #[error(
        "shift \"{text}\" starts at 24:00, which is the end of the day; start it at 00:00 instead"
    )]
    StartsAtEndOfDay {
        /// The shift as written.
        text: String,
    },
    /// The shift ends at 00:00; midnight at the end of a day is written 24:00.
    #[error("shift \"{text}\" ends at 00:00; to stay open until midnight write \"{start}-24:00\"")]
    EndsAtMidnight {
        /// The shift as written.
        text: String,
        /// The start time, written as "HH:MM".
        start: String,
    },
    /// The shift ends before it starts, i.e. it was meant to run overnight.
    #[error(
        "shift \"{text}\" ends before it starts; a shift cannot run past midnight, so split it into \"{start}-24:00\" on this day and \"00:00-{end}\" on the next day"
    )]
    Overnight {
        /// The shift as written.
        text: String,
        /// The start time, written as "HH:MM".
        start: String,
        /// The end time, written as "HH:MM".
        end: String,
    },
    /// The date is not written as year-month-day.
    #[error("\"{text}\" is not a date; write it as year-month-day, like \"2026-12-25\"")]
    DateFormat {
        /// The date as written.
        text: String,
    },
    /// The date is written correctly but does not exist, like February 30.
    #[error("\"{text}\" is not a day in the calendar; check the month and the day")]
    NoSuchDate {
        /// The date as written.
        text: String,
    },
}

/// A stretch of opening time within one day, in minutes since local midnight.
///
/// The range is half-open, `[start, end)`, with `start < end <= 1440`, so
/// "08:00-20:00" is open at 19:59 and closed at 20:00, and "24:00" is the
/// end of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shift {
    start: u16,
    end: u16,
}

impl Shift {
    /// Parses a shift written as "HH:MM-HH:MM", e.g. "08:00-20:00",
    /// "8:00-12:30" or "00:00-24:00"; spaces around the text are ignored.
    ///
    /// # Errors
    ///
    /// Returns a [`ScheduleError`] explaining how to fix the text when it is
    /// empty, not two clock times, names a time that does not exist, or does
    /// not end after it starts (overnight shifts must be split at midnight).
    pub fn parse(s: &str) -> Result<Shift, ScheduleError> {
        let text = s.trim();
        if text.is_empty() {
            return Err(ScheduleError::EmptyShift);
        }
        let Some((from, to)) = text.split_once('-') else {
            return Err(shift_format_error(text));
        };
        let start = parse_clock(from.trim(), text)?;
        let end = parse_clock(to.trim(), text)?;
        check_order(text, start, end)?;
        Ok(Shift { start, end })
    }

    /// First open minute since local midnight (0..=1439).
    pub fn start_minute(&self) -> u16 {
        self.start
    }

    /// First closed minute after the shift (1..=1440, where 1440 is "24:00").
    pub fn end_minute(&self) -> u16 {
        self.end
    }

    /// Whether the given minute since local midnight falls within the shift.
    pub fn contains(&self, minute: u16) -> bool {
        self.start <= minute && minute < self.end
    }

    /// Whether this shift and `other` share at least one minute.
    fn overlaps(&self, other: &Shift) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl fmt::Display for Shift {
    /// Writes the shift the way staff write it, e.g. "08:00-20:00".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", clock(self.start), clock(self.end))
    }
}

/// A closure over an inclusive range of local dates, e.g. a public holiday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// First closed day.
    pub first_day: Date,
    /// Last closed day; equal to `first_day` for a single-day closure.
    pub last_day: Date,
    /// Name staff gave the closure, e.g. "Thanksgiving".
    pub name: String,
}

impl Closure {
    /// Whether `day` lies within `first_day..=last_day`.
    pub fn covers(&self, day: Date) -> bool {
        self.first_day <= day && day <= self.last_day
    }
}

/// The opening hours of one triage category.
///
/// The default schedule has no shifts and is therefore never open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Shifts per weekday: index 0 is Monday, 6 is Sunday (see [`WEEKDAY_NAMES`]).
    pub weekly: [Vec<Shift>; 7],
    /// Dated closures; the first one covering a day wins.
    pub closures: Vec<Closure>,
    /// Manual switch that closes the category regardless of anything else.
    pub closed_now: bool,
}

/// Whether a category takes calls at a given instant, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Availability {
    /// Within a shift of today's weekday.
    Open,
    /// Outside every shift of today's weekday.
    AfterHours,
    /// Today is covered by a closure; the value indexes `Schedule::closures`.
    Closure(usize),
    /// The manual closed switch is on.
    ClosedNow,
}

impl Schedule {
    /// Evaluates the schedule at `now`, using the local date and time in `tz`.
    ///
    /// The manual switch beats everything, then the first closure covering
    /// today's local date, then today's shifts.
    pub fn availability(&self, now: Timestamp, tz: &TimeZone) -> Availability {
        if self.closed_now {
            return Availability::ClosedNow;
        }
        let local = tz.to_datetime(now);
        let today = local.date();
        if let Some(index) = self.closures.iter().position(|c| c.covers(today)) {
            return Availability::Closure(index);
        }
        let minute = minute_of_day(local.time());
        let open = self.shifts_on(today).iter().any(|s| s.contains(minute));
        if open {
            Availability::Open
        } else {
            Availability::AfterHours
        }
    }

    /// The next instant at or after `now` when the schedule is open (skipping closures), searching at most 60 days ahead; `None` if never / `closed_now`.
    ///
    /// Returns `now` itself when the schedule is open at `now`. Daylight
    /// saving changes are honoured: a shift whose start falls into a skipped
    /// hour opens when the clocks jump, and a repeated hour can reopen a shift.
    pub fn next_opening(&self, now: Timestamp, tz: &TimeZone) -> Option<Timestamp> {
        if self.closed_now {
            return None;
        }
        let today = tz.to_datetime(now).date();
        let days: Vec<Date> = iter::successors(Some(today), |d| d.tomorrow().ok())
            .take(SEARCH_DAYS + 1)
            .collect();
        let last_day = *days.last()?;
        let shift_starts = days.iter().flat_map(|&day| self.shift_starts(day, tz));
        // Between offset changes the local clock only moves forward, so the
        // schedule can open only at a shift start or at an offset change
        // (which may jump the clock into a shift or back into one).
        let offset_changes = tz
            .following(now)
            .map(|transition| transition.timestamp())
            .take_while(|&t| tz.to_datetime(t).date() <= last_day);
        iter::once(now)
            .chain(shift_starts)
            .chain(offset_changes)
            .filter(|&t| t >= now && self.availability(t, tz) == Availability::Open)
            .min()
    }

    /// Shifts of one weekday that overlap each other: (weekday index, i, j) for each overlapping pair — for the flow validator.
    ///
    /// Each pair is reported once, with `i < j`. Shifts that merely touch,
    /// like "08:00-12:00" and "12:00-13:00", do not overlap.
    pub fn overlapping_shifts(&self) -> Vec<(usize, usize, usize)> {
        let mut pairs = Vec::new();
        for (day, shifts) in self.weekly.iter().enumerate() {
            for (i, a) in shifts.iter().enumerate() {
                for (j, b) in shifts.iter().enumerate().skip(i + 1) {
                    if a.overlaps(b) {
                        pairs.push((day, i, j));
                    }
                }
            }
        }
        pairs
    }

    fn shifts_on(&self, day: Date) -> &[Shift] {
        &self.weekly[weekday_slot(day.weekday())]
    }

    /// Every instant at which a shift of `day` starts by the local clock.
    ///
    /// In a repeated hour both instants are returned; in a skipped hour the
    /// returned instants are not open and the offset change covers it.
    fn shift_starts(&self, day: Date, tz: &TimeZone) -> Vec<Timestamp> {
        self.shifts_on(day)
            .iter()
            .filter_map(|shift| local_clock(day, shift.start))
            .flat_map(|dt| {
                let ambiguous = tz.to_ambiguous_timestamp(dt);
                [ambiguous.earlier().ok(), ambiguous.later().ok()]
            })
            .flatten()
            .collect()
    }
}

/// Index into [`WEEKDAY_NAMES`] / `Schedule::weekly` for a weekday name.
///
/// Accepts full names ("monday") and three-letter abbreviations ("mon"), in
/// any letter case.
pub fn weekday_index(name: &str) -> Option<usize> {
    let name = name.trim().to_ascii_lowercase();
    WEEKDAY_NAMES
        .iter()
        .position(|full| *full == name || full.get(..3) == Some(name.as_str()))
}

/// Parses a calendar date written as year-month-day, e.g. "2026-12-25".
///
/// # Errors
///
/// Returns [`ScheduleError::DateFormat`] when the text is not written as
/// "YYYY-MM-DD", and [`ScheduleError::NoSuchDate`] for days that do not
/// exist, such as "2026-02-30".
pub fn parse_date(s: &str) -> Result<Date, ScheduleError> {
    let text = s.trim();
    let format_error = || ScheduleError::DateFormat {
        text: text.to_string(),
    };
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return Err(format_error());
    };
    let widths_ok = year.len() == 4 && month.len() == 2 && day.len() == 2;
    if !widths_ok || !parts.iter().all(|p| is_digits(p)) {
        return Err(format_error());
    }
    let (Ok(year), Ok(month), Ok(day)) = (year.parse(), month.parse(), day.parse()) else {
        return Err(format_error());
    };
    Date::new(year, month, day).map_err(|_| ScheduleError::NoSuchDate {
        text: text.to_string(),
    })
}

fn weekday_slot(weekday: Weekday) -> usize {
    // Monday-zero offsets are 0..=6, so the absolute value is the offset.
    usize::from(weekday.to_monday_zero_offset().unsigned_abs())
}

fn minute_of_day(time: Time) -> u16 {
    let hour = u16::from(time.hour().unsigned_abs());
    let minute = u16::from(time.minute().unsigned_abs());
    hour * 60 + minute
}

/// The local date-time at `minute` since midnight of `day`; None for 24:00,
/// which is not a clock reading of `day` itself.
fn local_clock(day: Date, minute: u16) -> Option<DateTime> {
    let hour = i8::try_from(minute / 60).ok()?;
    let minute = i8::try_from(minute % 60).ok()?;
    let time = Time::new(hour, minute, 0, 0).ok()?;
    Some(day.to_datetime(time))
}

/// Formats minutes since midnight as "HH:MM".
fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses one side of a shift ("8:00", "08:00", "24:00") into minutes.
fn parse_clock(time: &str, text: &str) -> Result<u16, ScheduleError> {
    let Some((hours, minutes)) = time.split_once(':') else {
        return Err(shift_format_error(text));
    };
    let shaped = is_digits(hours) && hours.len() <= 2 && is_digits(minutes) && minutes.len() == 2;
    let (true, Ok(h), Ok(m)) = (shaped, hours.parse::<u16>(), minutes.parse::<u16>()) else {
        return Err(shift_format_error(text));
    };
    if h > 24 || m > 59 || (h == 24 && m != 0) {
        return Err(ScheduleError::BadTime {
            text: text.to_string(),
            time: time.to_string(),
        });
    }
    Ok(h * 60 + m)
}

fn check_order(text: &str, start: u16, end: u16) -> Result<(), ScheduleError> {
    let text = text.to_string();
    if start == END_OF_DAY {
        Err(ScheduleError::StartsAtEndOfDay { text })
    } else if start == end {
        Err(ScheduleError::ZeroLength { text })
    } else if end == 0 {
        let start = clock(start);
        Err(ScheduleError::EndsAtMidnight { text, start })
    } else if start > end {
        let (start, end) = (clock(start), clock(end));
        Err(ScheduleError::Overnight { text, start, end })
    } else {
        Ok(())
    }
}

/// Builds the "not a shift" error, guessing the intended shift when staff
/// wrote bare hours such as "8-20".
fn shift_format_error(text: &str) -> ScheduleError {
    let bare_hour = |s: &str| {
        let s = s.trim();
        let hour = s.parse::<u16>().ok().filter(|h| *h <= 24);
        hour.filter(|_| is_digits(s) && s.len() <= 2)
    };
    let guessed = text
        .split_once('-')
        .and_then(|(from, to)| Some((bare_hour(from)?, bare_hour(to)?)));
    let example = match guessed {
        Some((from, to)) if from < to => format!("{from:02}:00-{to:02}:00"),
        _ => "08:00-20:00".to_string(),
    };
    ScheduleError::ShiftFormat {
        text: text.to_string(),
        example,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn new_york() -> TimeZone {
        TimeZone::get("America/New_York").unwrap()
    }

    /// The instant when the New York wall clock shows the given time.
    fn local(y: i16, mo: i8, d: i8, h: i8, mi: i8) -> Timestamp {
        new_york()
            .to_timestamp(date(y, mo, d).at(h, mi, 0, 0))
            .unwrap()
    }

    fn utc(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn shifts(list: &[&str]) -> Vec<Shift> {
        list.iter().map(|s| Shift::parse(s).unwrap()).collect()
    }

    fn weekdays_8_to_20() -> Schedule {
        let mut schedule = Schedule::default();
        for day in 0..5 {
            schedule.weekly[day] = shifts(&["08:00-20:00"]);
        }
        schedule
    }

    fn closure(first: Date, last: Date, name: &str) -> Closure {
        Closure {
            first_day: first,
            last_day: last,
            name: name.to_string(),
        }
    }

    fn at(schedule: &Schedule, when: Timestamp) -> Availability {
        schedule.availability(when, &new_york())
    }

    fn parse_error(text: &str) -> String {
        Shift::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn monday_noon_is_open() {
        let schedule = weekdays_8_to_20();
        assert_eq!(
            at(&schedule, local(2026, 11, 30, 12, 0)),
            Availability::Open
        );
    }

    #[test]
    fn one_minute_before_the_shift_is_after_hours() {
        let schedule = weekdays_8_to_20();
        let when = local(2026, 11, 30, 7, 59);
        assert_eq!(at(&schedule, when), Availability::AfterHours);
    }

    #[test]
    fn the_first_minute_of_the_shift_is_open() {
        let schedule = weekdays_8_to_20();
        assert_eq!(at(&schedule, local(2026, 11, 30, 8, 0)), Availability::Open);
    }

    #[test]
    fn the_last_minute_of_the_shift_is_open() {
        let schedule = weekdays_8_to_20();
        let when = local(2026, 11, 30, 19, 59);
        assert_eq!(at(&schedule, when), Availability::Open);
    }

    #[test]
    fn the_end_of_the_shift_is_after_hours() {
        let schedule = weekdays_8_to_20();
        let when = local(2026, 11, 30, 20, 0);
        assert_eq!(at(&schedule, when), Availability::AfterHours);
    }

    #[test]
    fn saturday_without_shifts_is_after_hours() {
        let schedule = weekdays_8_to_20();
        let when = local(2026, 11, 28, 12, 0);
        assert_eq!(at(&schedule, when), Availability::AfterHours);
    }

    #[test]
    fn a_closure_on_thanksgiving_reports_its_index() {
        let mut schedule = weekdays_8_to_20();
        let thanksgiving = date(2026, 11, 26);
        assert_eq!(thanksgiving.weekday(), Weekday::Thursday);
        schedule
            .closures
            .push(closure(thanksgiving, thanksgiving, "Thanksgiving"));
        let when = local(2026, 11, 26, 12, 0);
        assert_eq!(at(&schedule, when), Availability::Closure(0));
    }

    #[test]
    fn the_closed_switch_beats_an_open_shift() {
        let mut schedule = weekdays_8_to_20();
        schedule.closed_now = true;
        let when = local(2026, 11, 30, 12, 0);
        assert_eq!(at(&schedule, when), Availability::ClosedNow);
    }

    #[test]
    fn the_closed_switch_beats_a_closure() {
        let mut schedule = weekdays_8_to_20();
        let day = date(2026, 11, 30);
        schedule.closures.push(closure(day, day, "Staff training"));
        schedule.closed_now = true;
        let when = local(2026, 11, 30, 12, 0);
        assert_eq!(at(&schedule, when), Availability::ClosedNow);
    }

    #[test]
    fn the_lunch_break_between_split_shifts_is_after_hours() {
        let mut schedule = Schedule::default();
        schedule.weekly[0] = shifts(&["08:00-12:00", "13:00-17:00"]);
        let lunch = local(2026, 11, 30, 12, 30);
        assert_eq!(at(&schedule, lunch), Availability::AfterHours);
        let afternoon = local(2026, 11, 30, 13, 0);
        assert_eq!(at(&schedule, afternoon), Availability::Open);
    }

    #[test]
    fn the_monday_after_spring_forward_opens_on_daylight_time() {
        let schedule = weekdays_8_to_20();
        let when = local(2026, 3, 9, 8, 30);
        assert_eq!(when, utc("2026-03-09T12:30:00Z"));
        assert_eq!(at(&schedule, when), Availability::Open);
        let before = utc("2026-03-09T11:59:00Z");
        assert_eq!(at(&schedule, before), Availability::AfterHours);
    }

    #[test]
    fn the_monday_after_fall_back_opens_on_standard_time() {
        let schedule = weekdays_8_to_20();
        let when = local(2026, 11, 2, 8, 30);
        assert_eq!(when, utc("2026-11-02T13:30:00Z"));
        assert_eq!(at(&schedule, when), Availability::Open);
        let before = utc("2026-11-02T12:59:00Z");
        assert_eq!(at(&schedule, before), Availability::AfterHours);
    }

    #[test]
    fn a_multi_day_closure_covers_every_day_of_its_range() {
        let mut schedule = weekdays_8_to_20();
        let range = closure(date(2026, 12, 24), date(2026, 12, 26), "Christmas");
        schedule.closures.push(range);
        for day in 24..=26 {
            let when = local(2026, 12, day, 12, 0);
            assert_eq!(at(&schedule, when), Availability::Closure(0));
        }
        assert_eq!(
            at(&schedule, local(2026, 12, 23, 12, 0)),
            Availability::Open
        );
        assert_eq!(
            at(&schedule, local(2026, 12, 28, 12, 0)),
            Availability::Open
        );
    }

    #[test]
    fn the_first_matching_closure_wins() {
        let mut schedule = weekdays_8_to_20();
        let day = date(2026, 12, 25);
        schedule
            .closures
            .push(closure(date(2026, 1, 1), date(2026, 1, 1), "New Year"));
        schedule
            .closures
            .push(closure(date(2026, 12, 24), day, "Christmas"));
        schedule.closures.push(closure(day, day, "Christmas Day"));
        let when = local(2026, 12, 25, 12, 0);
        assert_eq!(at(&schedule, when), Availability::Closure(1));
    }

    #[test]
    fn a_full_day_shift_is_open_at_one_minute_before_midnight() {
        let mut schedule = Schedule::default();
        schedule.weekly[0] = shifts(&["00:00-24:00"]);
        assert_eq!(
            at(&schedule, local(2026, 11, 30, 23, 59)),
            Availability::Open
        );
        assert_eq!(at(&schedule, local(2026, 11, 30, 0, 0)), Availability::Open);
    }

    #[test]
    fn next_opening_from_friday_evening_is_monday_morning() {
        let schedule = weekdays_8_to_20();
        let friday_evening = local(2026, 11, 27, 21, 0);
        let next = schedule.next_opening(friday_evening, &new_york());
        assert_eq!(next, Some(local(2026, 11, 30, 8, 0)));
    }

    #[test]
    fn next_opening_skips_a_monday_closure_to_tuesday_morning() {
        let mut schedule = weekdays_8_to_20();
        let monday = date(2026, 11, 30);
        schedule.closures.push(closure(monday, monday, "Inventory"));
        let friday_evening = local(2026, 11, 27, 21, 0);
        let next = schedule.next_opening(friday_evening, &new_york());
        assert_eq!(next, Some(local(2026, 12, 1, 8, 0)));
    }

    #[test]
    fn next_opening_while_open_is_now() {
        let schedule = weekdays_8_to_20();
        let now = local(2026, 11, 30, 12, 0);
        assert_eq!(schedule.next_opening(now, &new_york()), Some(now));
    }

    #[test]
    fn next_opening_before_the_shift_is_later_the_same_day() {
        let schedule = weekdays_8_to_20();
        let now = local(2026, 11, 30, 6, 15);
        let next = schedule.next_opening(now, &new_york());
        assert_eq!(next, Some(local(2026, 11, 30, 8, 0)));
    }

    #[test]
    fn next_opening_is_none_when_the_closed_switch_is_on() {
        let mut schedule = weekdays_8_to_20();
        schedule.closed_now = true;
        let now = local(2026, 11, 30, 6, 0);
        assert_eq!(schedule.next_opening(now, &new_york()), None);
    }

    #[test]
    fn next_opening_is_none_without_any_shifts() {
        let schedule = Schedule::default();
        let now = local(2026, 11, 30, 6, 0);
        assert_eq!(schedule.next_opening(now, &new_york()), None);
    }

    #[test]
    fn next_opening_gives_up_after_sixty_days_of_closures() {
        let mut schedule = weekdays_8_to_20();
        let long = closure(date(2026, 11, 30), date(2027, 3, 1), "Renovation");
        schedule.closures.push(long);
        let now = local(2026, 11, 30, 6, 0);
        assert_eq!(schedule.next_opening(now, &new_york()), None);
    }

    #[test]
    fn a_shift_starting_in_the_skipped_hour_opens_when_the_clocks_jump() {
        let mut schedule = Schedule::default();
        schedule.weekly[6] = shifts(&["02:30-04:00"]);
        let saturday_night = local(2026, 3, 7, 23, 0);
        let next = schedule.next_opening(saturday_night, &new_york());
        // 03:00 EDT, the first clock reading after 01:59:59 EST.
        assert_eq!(next, Some(utc("2026-03-08T07:00:00Z")));
    }

    #[test]
    fn the_repeated_hour_reopens_a_shift_that_already_ended() {
        let mut schedule = Schedule::default();
        schedule.weekly[6] = shifts(&["00:30-01:30"]);
        let first_one_forty_five = utc("2026-11-01T05:45:00Z");
        assert_eq!(
            at(&schedule, first_one_forty_five),
            Availability::AfterHours
        );
        let next = schedule.next_opening(first_one_forty_five, &new_york());
        // 01:00 EST, when the clocks fall back into the shift.
        assert_eq!(next, Some(utc("2026-11-01T06:00:00Z")));
    }

    #[test]
    fn shifts_parse_with_and_without_leading_zeros_and_spaces() {
        let full = Shift::parse("08:00-20:00").unwrap();
        assert_eq!((full.start_minute(), full.end_minute()), (480, 1200));
        let morning = Shift::parse("8:00-12:30").unwrap();
        assert_eq!((morning.start_minute(), morning.end_minute()), (480, 750));
        let whole_day = Shift::parse("00:00-24:00").unwrap();
        assert_eq!(
            (whole_day.start_minute(), whole_day.end_minute()),
            (0, 1440)
        );
        assert_eq!(Shift::parse("  08:00 - 20:00 ").unwrap(), full);
    }

    #[test]
    fn a_shift_displays_the_way_staff_write_it() {
        assert_eq!(
            Shift::parse("8:00-12:30").unwrap().to_string(),
            "08:00-12:30"
        );
        assert_eq!(
            Shift::parse("00:00-24:00").unwrap().to_string(),
            "00:00-24:00"
        );
    }

    #[test]
    fn a_shift_contains_its_start_but_not_its_end() {
        let shift = Shift::parse("08:00-20:00").unwrap();
        assert!(!shift.contains(479));
        assert!(shift.contains(480));
        assert!(shift.contains(1199));
        assert!(!shift.contains(1200));
    }

    #[test]
    fn an_overnight_shift_is_rejected_with_advice_to_split_it() {
        assert_eq!(
            parse_error("20:00-08:00"),
            "shift \"20:00-08:00\" ends before it starts; a shift cannot run past midnight, \
             so split it into \"20:00-24:00\" on this day and \"00:00-08:00\" on the next day"
        );
    }

    #[test]
    fn an_hour_past_24_is_rejected() {
        let message = parse_error("25:00-26:00");
        assert!(message.starts_with("\"25:00\" in shift \"25:00-26:00\" is not a time of day"));
        assert!(message.contains("hours go from 00 to 23"));
    }

    #[test]
    fn sixty_minutes_is_rejected() {
        let message = parse_error("08:60-09:00");
        assert!(message.starts_with("\"08:60\" in shift \"08:60-09:00\" is not a time of day"));
        assert!(message.contains("minutes from 00 to 59"));
    }

    #[test]
    fn a_time_past_24_00_is_rejected() {
        assert!(parse_error("08:00-24:30").starts_with("\"24:30\" in shift"));
    }

    #[test]
    fn bare_hours_are_rejected_with_the_intended_shift_as_example() {
        assert_eq!(
            parse_error("8-20"),
            "\"8-20\" is not a shift; write the start and end in 24-hour time with minutes, \
             like \"08:00-20:00\""
        );
        assert!(parse_error("9-17").ends_with("like \"09:00-17:00\""));
    }

    #[test]
    fn text_that_is_no_shift_at_all_is_rejected_with_an_example() {
        assert!(parse_error("morning").ends_with("like \"08:00-20:00\""));
        assert!(parse_error("8.00-20.00").starts_with("\"8.00-20.00\" is not a shift"));
        assert!(parse_error("08:00-20:00-21:00").starts_with("\"08:00-20:00-21:00\""));
        assert!(parse_error("008:00-20:00").contains("is not a shift"));
        assert!(parse_error("08:0-20:00").contains("is not a shift"));
    }

    #[test]
    fn an_empty_shift_is_rejected() {
        assert_eq!(Shift::parse("  "), Err(ScheduleError::EmptyShift));
        assert!(parse_error("").starts_with("a shift is empty"));
    }

    #[test]
    fn a_shift_without_length_is_rejected() {
        assert!(parse_error("08:00-08:00").contains("starts and ends at the same time"));
    }

    #[test]
    fn a_shift_ending_at_00_00_is_told_to_end_at_24_00() {
        assert_eq!(
            parse_error("20:00-00:00"),
            "shift \"20:00-00:00\" ends at 00:00; to stay open until midnight write \"20:00-24:00\""
        );
    }

    #[test]
    fn a_shift_starting_at_24_00_is_told_to_start_at_00_00() {
        assert!(parse_error("24:00-08:00").contains("start it at 00:00 instead"));
    }

    #[test]
    fn overlapping_shifts_are_reported_but_touching_ones_are_not() {
        let mut schedule = Schedule::default();
        schedule.weekly[0] = shifts(&["08:00-12:00", "11:00-13:00"]);
        schedule.weekly[2] = shifts(&["08:00-12:00", "12:00-13:00"]);
        schedule.weekly[4] = shifts(&["12:00-13:00", "14:00-15:00", "08:00-12:30"]);
        assert_eq!(schedule.overlapping_shifts(), vec![(0, 0, 1), (4, 0, 2)]);
    }

    #[test]
    fn weekday_names_and_abbreviations_are_recognised_in_any_case() {
        assert_eq!(weekday_index("monday"), Some(0));
        assert_eq!(weekday_index("Sunday"), Some(6));
        assert_eq!(weekday_index("WED"), Some(2));
        assert_eq!(weekday_index("sat"), Some(5));
        assert_eq!(weekday_index("funday"), None);
        assert_eq!(weekday_index("mo"), None);
        assert_eq!(weekday_index(""), None);
        for (index, name) in WEEKDAY_NAMES.iter().enumerate() {
            assert_eq!(weekday_index(name), Some(index));
        }
    }

    #[test]
    fn schedule_slots_follow_jiff_weekdays() {
        assert_eq!(weekday_slot(date(2026, 11, 30).weekday()), 0);
        assert_eq!(weekday_slot(date(2026, 12, 6).weekday()), 6);
    }

    #[test]
    fn dates_parse_as_year_month_day() {
        assert_eq!(parse_date("2026-12-25"), Ok(date(2026, 12, 25)));
        assert_eq!(parse_date(" 2026-11-26 "), Ok(date(2026, 11, 26)));
    }

    #[test]
    fn dates_in_other_forms_are_rejected_with_an_example() {
        for text in [
            "25.12.2026",
            "12/25/2026",
            "2026-12-5",
            "2026-12-25T10:00",
            "",
            "+2026-12-25",
        ] {
            let message = parse_date(text).unwrap_err().to_string();
            assert!(
                message.ends_with("like \"2026-12-25\""),
                "{text}: {message}"
            );
        }
    }

    #[test]
    fn dates_that_do_not_exist_are_rejected() {
        let message = parse_date("2026-02-30").unwrap_err().to_string();
        assert_eq!(
            message,
            "\"2026-02-30\" is not a day in the calendar; check the month and the day"
        );
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("2026-00-10").is_err());
    }
}
