//! The wallboard as its page shows it: the whole line's figures, then one card per category
//! with its title, in words and times read from across a room.

use jiff::tz::TimeZone;

use super::when;
use crate::desk::Wallboard;
use crate::desk::wallboard::CategoryBoard;

/// The board as the templates show it.
pub struct WallboardView {
    pub as_of: String,
    pub as_of_iso: String,
    pub totals: Figures,
    pub categories: Vec<CardView>,
}

/// One category's card.
pub struct CardView {
    pub id: String,
    pub heading: String,
    pub figures: Figures,
    /// The callback target, in words.
    pub target: String,
    /// Who is due on shift, and who of them is missing, in words; `None` when nobody is due.
    pub shift: Option<String>,
    pub missing: bool,
}

/// The figures of a card, or of the whole line.
pub struct Figures {
    pub waiting: usize,
    /// The longest wait as a number and its unit (`("4", "min")`, `("1:05", "h")`), while
    /// anybody waits.
    pub longest: Option<(String, &'static str)>,
    pub open: usize,
    pub due: usize,
    pub overdue: usize,
    pub available: usize,
    pub on_the_line: usize,
}

pub fn shape(board: &Wallboard, zone: &TimeZone) -> WallboardView {
    let t = &board.totals;
    WallboardView {
        as_of: when::instant(board.at, zone),
        as_of_iso: when::machine(board.at),
        totals: Figures {
            waiting: t.waiting,
            longest: longest(t.longest_wait_seconds),
            open: t.open_requests,
            due: t.due_now,
            overdue: t.overdue,
            available: t.available,
            on_the_line: t.on_the_line,
        },
        categories: board.categories.iter().map(card).collect(),
    }
}

fn card(c: &CategoryBoard) -> CardView {
    CardView {
        id: c.id.clone(),
        heading: c.title.clone(),
        figures: Figures {
            waiting: c.waiting,
            longest: longest(c.longest_wait_seconds),
            open: c.open_requests,
            due: c.due_now,
            overdue: c.overdue,
            available: c.available,
            on_the_line: c.on_the_line,
        },
        target: when::wait(c.callback_target_seconds),
        shift: shift(c),
        missing: !c.missing.is_empty(),
    }
}

/// "On shift: ana, sam; missing: sam".
fn shift(c: &CategoryBoard) -> Option<String> {
    if c.due_on_shift.is_empty() {
        return None;
    }
    let mut words = format!("On shift: {}", c.due_on_shift.join(", "));
    if !c.missing.is_empty() {
        words.push_str(&format!("; missing: {}", c.missing.join(", ")));
    }
    Some(words)
}

/// The longest wait to the minute, short enough to stand in large type: the board changes
/// when a minute passes, not every second.
fn longest(seconds: Option<i64>) -> Option<(String, &'static str)> {
    let minutes = seconds?.max(0) / 60;
    Some(match minutes {
        0 => ("<1".to_string(), "min"),
        1..60 => (minutes.to_string(), "min"),
        _ => (format!("{}:{:02}", minutes / 60, minutes % 60), "h"),
    })
}

#[cfg(test)]
mod tests {
    use super::longest;

    #[test]
    fn the_longest_wait_is_short_enough_for_large_type() {
        assert_eq!(longest(None), None);
        assert_eq!(longest(Some(59)), Some(("<1".into(), "min")));
        assert_eq!(longest(Some(240)), Some(("4".into(), "min")));
        assert_eq!(longest(Some(3900)), Some(("1:05".into(), "h")));
        assert_eq!(longest(Some(26 * 3600)), Some(("26:00".into(), "h")));
    }
}
