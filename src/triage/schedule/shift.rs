//! How staff write shifts and dates in flow files, and the messages that tell them how to fix a
//! mistake.

use jiff::civil::Date;

/// Minutes in a day; also the minute value of "24:00", the end of the day.
const END_OF_DAY: u16 = 24 * 60;

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

impl std::fmt::Display for Shift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (start, end) = (self.start, self.end);
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            start / 60,
            start % 60,
            end / 60,
            end % 60
        )
    }
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

    /// Whether the given minute since local midnight falls within the shift.
    pub fn contains(&self, minute: u16) -> bool {
        self.start <= minute && minute < self.end
    }

    /// The minute since local midnight the shift starts at.
    pub fn start_minute(&self) -> u16 {
        self.start
    }

    /// The part of the day both shifts cover, if any.
    pub fn overlap(&self, other: &Shift) -> Option<Shift> {
        let (start, end) = (self.start.max(other.start), self.end.min(other.end));
        (start < end).then_some(Shift { start, end })
    }
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

    fn parse_error(text: &str) -> String {
        Shift::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn overlapping_shifts_share_the_middle_and_touching_ones_nothing() {
        let day = Shift::parse("09:00-20:00").unwrap();
        let evening = Shift::parse("17:00-22:00").unwrap();
        assert_eq!(day.overlap(&evening).unwrap().to_string(), "17:00-20:00");
        let night = Shift::parse("20:00-24:00").unwrap();
        assert_eq!(day.overlap(&night), None);
    }

    #[test]
    fn shifts_parse_with_and_without_leading_zeros_and_spaces() {
        let full = Shift::parse("08:00-20:00").unwrap();
        assert_eq!((full.start, full.end), (480, 1200));
        let morning = Shift::parse("8:00-12:30").unwrap();
        assert_eq!((morning.start, morning.end), (480, 750));
        let whole_day = Shift::parse("00:00-24:00").unwrap();
        assert_eq!((whole_day.start, whole_day.end), (0, 1440));
        assert_eq!(Shift::parse("  08:00 - 20:00 ").unwrap(), full);
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
