//! Whether a call is turned away at the start: its number is blocked, or it has called too
//! often in the last hour. Pure: the shell counts the calls.

use crate::flow::model::AbuseSettings;

/// Why a caller is turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnAway {
    /// The number is on the flow's blocklist.
    Blocked,
    /// The number called more than the flow allows in an hour.
    TooManyCalls,
}

impl TurnAway {
    /// For the call's step log (no number in it).
    pub fn reason(self) -> &'static str {
        match self {
            TurnAway::Blocked => "turned away: blocked number",
            TurnAway::TooManyCalls => "turned away: too many calls this hour",
        }
    }
}

/// Caller IDs some carriers send for a withheld number, spelled on a keypad (ANONYMOUS,
/// RESTRICTED, UNAVAILABLE, BLOCKED): many different callers share them.
const WITHHELD_PLACEHOLDERS: [&str; 4] = ["+266696687", "+7378742833", "+86282452253", "+2562533"];

/// The verdict for a caller who made `calls_this_hour` earlier calls in the last hour. A
/// withheld number (or anything that is not a phone number) is never turned away: a caller in
/// danger may well hide it, and many callers share the placeholder.
pub fn verdict(
    settings: &AbuseSettings,
    caller: Option<&str>,
    calls_this_hour: u32,
) -> Option<TurnAway> {
    let caller = caller.filter(|c| is_phone_number(c))?;
    if settings.blocked.contains(caller) {
        return Some(TurnAway::Blocked);
    }
    match settings.max_calls_per_hour {
        Some(max) if calls_this_hour >= max => Some(TurnAway::TooManyCalls),
        _ => None,
    }
}

/// A caller ID that names one line: E.164, and not a withheld placeholder.
pub fn is_phone_number(caller: &str) -> bool {
    let digits = caller.strip_prefix('+').unwrap_or("");
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !WITHHELD_PLACEHOLDERS.contains(&caller)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::model::Prompt;

    fn settings() -> AbuseSettings {
        AbuseSettings {
            blocked: ["+15550001111".to_string()].into_iter().collect(),
            max_calls_per_hour: Some(3),
            message: Prompt::default(),
        }
    }

    #[test]
    fn blocked_numbers_and_callers_over_the_limit_are_turned_away() {
        let s = settings();
        assert_eq!(
            verdict(&s, Some("+15550001111"), 0),
            Some(TurnAway::Blocked)
        );
        assert_eq!(verdict(&s, Some("+15550002222"), 2), None);
        assert_eq!(
            verdict(&s, Some("+15550002222"), 3),
            Some(TurnAway::TooManyCalls)
        );
    }

    #[test]
    fn a_withheld_number_is_never_turned_away() {
        assert_eq!(verdict(&settings(), None, 99), None);
        for withheld in ["", "anonymous", "Restricted", "+266696687", "client:ana"] {
            assert_eq!(verdict(&settings(), Some(withheld), 99), None, "{withheld}");
        }
    }
}
