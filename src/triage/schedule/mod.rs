//! Opening hours of a triage category: weekly shifts, dated closures and a manual closed switch,
//! evaluated at a given instant in the hotline's time zone.

mod shift;

pub use shift::{ScheduleError, Shift, parse_date};

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

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
    /// Shifts per weekday: index 0 is Monday, 6 is Sunday.
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

    fn shifts_on(&self, day: Date) -> &[Shift] {
        &self.weekly[weekday_slot(day.weekday())]
    }
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
    fn schedule_slots_follow_jiff_weekdays() {
        assert_eq!(weekday_slot(date(2026, 11, 30).weekday()), 0);
        assert_eq!(weekday_slot(date(2026, 12, 6).weekday()), 6);
    }
}
