//! Why a category could not take a caller, in the words a call's step records (`closed: after
//! hours`), and read back from them, so the reports count what the engine wrote.

/// What kept a category from queueing a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed<'a> {
    /// Outside the weekly shifts.
    AfterHours,
    /// A dated closure, by the name staff gave it.
    Closure(&'a str),
    /// The schedule's manual switch.
    ClosedNow,
    /// In opening hours, but nobody who works the category was available.
    Unstaffed,
}

const PREFIX: &str = "closed: ";
const AFTER_HOURS: &str = "after hours";
const CLOSED_NOW: &str = "closed now";
const UNSTAFFED: &str = "open but unstaffed";

impl<'a> Closed<'a> {
    /// The step's outcome, e.g. `closed: open but unstaffed`.
    pub fn outcome(self) -> String {
        let why = match self {
            Closed::AfterHours => AFTER_HOURS,
            Closed::Closure(name) => name,
            Closed::ClosedNow => CLOSED_NOW,
            Closed::Unstaffed => UNSTAFFED,
        };
        format!("{PREFIX}{why}")
    }

    /// Reads a step's outcome back; `None` for any step that is not a closed category. A
    /// closure that staff named like one of the other reasons reads as that reason.
    pub fn of_outcome(outcome: &'a str) -> Option<Closed<'a>> {
        Some(match outcome.strip_prefix(PREFIX)? {
            AFTER_HOURS => Closed::AfterHours,
            CLOSED_NOW => Closed::ClosedNow,
            UNSTAFFED => Closed::Unstaffed,
            name => Closed::Closure(name),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_from_its_outcome() {
        for closed in [
            Closed::AfterHours,
            Closed::Closure("Christmas Day"),
            Closed::ClosedNow,
            Closed::Unstaffed,
        ] {
            let outcome = closed.outcome();
            assert_eq!(Closed::of_outcome(&outcome), Some(closed), "{outcome}");
        }
        assert_eq!(Closed::Unstaffed.outcome(), "closed: open but unstaffed");
        assert_eq!(Closed::of_outcome("queued in general"), None);
    }
}
