//! How many wrong operator-line PINs are allowed before the line stops listening: per number
//! calling in and for the whole line, over a quarter of an hour and over a day. A PIN is eight
//! digits; these limits keep a guesser (who can forge caller IDs, so the line's total counts)
//! to a few hundred guesses a day, against a hundred million PINs.

/// Minutes over which the short limits count.
pub const SHORT_WINDOW_MINUTES: i64 = 15;
/// Wrong PINs from one number in the short window that lock that number.
pub const NUMBER_SHORT_LIMIT: i64 = 5;
/// Wrong PINs from one number in a day that lock that number.
pub const NUMBER_DAY_LIMIT: i64 = 20;
/// Wrong PINs from all numbers in the short window that lock the line for every number.
pub const LINE_SHORT_LIMIT: i64 = 50;
/// Wrong PINs from all numbers in a day that lock the line for every number.
pub const LINE_DAY_LIMIT: i64 = 200;
/// Seconds of silence added after each recent wrong PIN from a number, up to [`MAX_PAUSE_SECONDS`].
const PAUSE_PER_FAILURE_SECONDS: i64 = 2;
/// The longest pause after a wrong PIN.
const MAX_PAUSE_SECONDS: i64 = 10;

/// The wrong PINs counted at one instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PinFailures {
    /// From this number in the short window.
    pub number_short: i64,
    /// From this number in the last day.
    pub number_day: i64,
    /// From every number in the short window.
    pub line_short: i64,
    /// From every number in the last day.
    pub line_day: i64,
}

/// Why PINs are not being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinLock {
    /// Too many wrong PINs came from this number.
    Number,
    /// Too many wrong PINs came in all, from any number.
    Line,
}

impl PinLock {
    /// The metric and log label.
    pub fn as_str(self) -> &'static str {
        match self {
            PinLock::Number => "number_locked",
            PinLock::Line => "line_locked",
        }
    }
}

impl PinFailures {
    /// The same counts with one more wrong PIN from this number.
    pub fn plus_one(self) -> PinFailures {
        PinFailures {
            number_short: self.number_short + 1,
            number_day: self.number_day + 1,
            line_short: self.line_short + 1,
            line_day: self.line_day + 1,
        }
    }

    /// Whether PINs from this number are refused unchecked. The line's own lock comes first:
    /// it says more to supervisors.
    pub fn lock(&self) -> Option<PinLock> {
        if self.line_short >= LINE_SHORT_LIMIT || self.line_day >= LINE_DAY_LIMIT {
            Some(PinLock::Line)
        } else if self.number_short >= NUMBER_SHORT_LIMIT || self.number_day >= NUMBER_DAY_LIMIT {
            Some(PinLock::Number)
        } else {
            None
        }
    }

    /// Seconds the line waits before asking again, growing with this number's recent wrong
    /// PINs, so guessing even within the limits is slow.
    pub fn pause_seconds(&self) -> u32 {
        let seconds = (self.number_short * PAUSE_PER_FAILURE_SECONDS).clamp(0, MAX_PAUSE_SECONDS);
        u32::try_from(seconds).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_number(short: i64) -> PinFailures {
        PinFailures {
            number_short: short,
            number_day: short,
            line_short: short,
            line_day: short,
        }
    }

    #[test]
    fn a_number_is_locked_at_its_fifth_recent_wrong_pin() {
        assert_eq!(from_number(4).lock(), None);
        assert_eq!(from_number(4).plus_one().lock(), Some(PinLock::Number));
        let spread_over_the_day = PinFailures {
            number_day: NUMBER_DAY_LIMIT,
            ..PinFailures::default()
        };
        assert_eq!(spread_over_the_day.lock(), Some(PinLock::Number));
    }

    #[test]
    fn many_numbers_together_lock_the_whole_line() {
        let forged_numbers = PinFailures {
            number_short: 0,
            number_day: 0,
            line_short: LINE_SHORT_LIMIT,
            line_day: LINE_SHORT_LIMIT,
        };
        assert_eq!(forged_numbers.lock(), Some(PinLock::Line));
        let over_a_day = PinFailures {
            line_day: LINE_DAY_LIMIT,
            ..PinFailures::default()
        };
        assert_eq!(over_a_day.lock(), Some(PinLock::Line));
        assert_eq!(PinFailures::default().lock(), None);
    }

    #[test]
    fn the_pause_grows_with_recent_failures_and_is_capped() {
        assert_eq!(from_number(0).pause_seconds(), 0);
        assert_eq!(from_number(1).pause_seconds(), 2);
        assert_eq!(from_number(3).pause_seconds(), 6);
        assert_eq!(from_number(40).pause_seconds(), 10);
    }

    #[test]
    fn a_guesser_forging_a_new_number_each_time_gets_at_most_the_day_limit() {
        let mut line_day = 0;
        let mut checked = 0;
        for _quarter in 0..(24 * 60 / SHORT_WINDOW_MINUTES) {
            let mut line_short = 0;
            loop {
                let now = PinFailures {
                    number_short: 0,
                    number_day: 0,
                    line_short,
                    line_day,
                };
                if now.lock().is_some() {
                    break;
                }
                checked += 1;
                line_short += 1;
                line_day += 1;
            }
        }
        assert_eq!(checked, LINE_DAY_LIMIT);
    }
}
