//! Whether a call is turned away at the start: its number is blocked (in the flow file or by
//! staff), or it has called too often in the last hour. Pure: the shell counts the calls and
//! looks the number up in the staff's block list.

use crate::flow::model::AbuseSettings;

/// Why a caller is turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnAway {
    /// The number is on the flow's blocklist.
    Blocked,
    /// A supervisor blocked the number, and the block has not expired.
    BlockedByStaff,
    /// The number called more than the flow allows in an hour.
    TooManyCalls,
}

impl TurnAway {
    /// For the call's step log (no number in it).
    pub fn reason(self) -> &'static str {
        match self {
            TurnAway::Blocked => "turned away: blocked number",
            TurnAway::BlockedByStaff => "turned away: blocked by staff",
            TurnAway::TooManyCalls => "turned away: too many calls this hour",
        }
    }
}

/// Caller IDs some carriers send for a withheld number, spelled on a keypad (ANONYMOUS,
/// RESTRICTED, UNAVAILABLE, BLOCKED): many different callers share them.
const WITHHELD_PLACEHOLDERS: [&str; 4] = ["+266696687", "+7378742833", "+86282452253", "+2562533"];

/// What the shell found out about a caller before the verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// Earlier calls from the number in the last hour.
    pub calls_this_hour: u32,
    /// Whether a supervisor's block on the number is in force now.
    pub blocked_by_staff: bool,
}

/// The verdict for a caller, under the flow's settings if it has any: staff blocks apply in
/// every flow. A withheld number (or anything that is not a phone number) is never turned
/// away: a caller in danger may well hide it, and many callers share the placeholder.
pub fn verdict(
    settings: Option<&AbuseSettings>,
    caller: Option<&str>,
    standing: Standing,
) -> Option<TurnAway> {
    let caller = caller.filter(|c| is_phone_number(c))?;
    if settings.is_some_and(|s| s.blocked.contains(caller)) {
        return Some(TurnAway::Blocked);
    }
    if standing.blocked_by_staff {
        return Some(TurnAway::BlockedByStaff);
    }
    match settings.and_then(|s| s.max_calls_per_hour) {
        Some(max) if standing.calls_this_hour >= max => Some(TurnAway::TooManyCalls),
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

    fn calls(calls_this_hour: u32) -> Standing {
        Standing {
            calls_this_hour,
            blocked_by_staff: false,
        }
    }

    const BLOCKED_BY_STAFF: Standing = Standing {
        calls_this_hour: 0,
        blocked_by_staff: true,
    };

    #[test]
    fn blocked_numbers_and_callers_over_the_limit_are_turned_away() {
        let s = Some(settings());
        let s = s.as_ref();
        assert_eq!(
            verdict(s, Some("+15550001111"), calls(0)),
            Some(TurnAway::Blocked)
        );
        assert_eq!(verdict(s, Some("+15550002222"), calls(2)), None);
        assert_eq!(
            verdict(s, Some("+15550002222"), calls(3)),
            Some(TurnAway::TooManyCalls)
        );
    }

    #[test]
    fn a_staff_block_applies_with_or_without_the_flow_settings() {
        let s = settings();
        for settings in [Some(&s), None] {
            assert_eq!(
                verdict(settings, Some("+15550002222"), BLOCKED_BY_STAFF),
                Some(TurnAway::BlockedByStaff)
            );
        }
        assert_eq!(verdict(None, Some("+15550002222"), calls(99)), None);
    }

    #[test]
    fn a_withheld_number_is_never_turned_away() {
        let s = settings();
        for withheld in ["", "anonymous", "Restricted", "+266696687", "client:ana"] {
            assert_eq!(
                verdict(Some(&s), Some(withheld), calls(99)),
                None,
                "{withheld}"
            );
            assert_eq!(verdict(Some(&s), Some(withheld), BLOCKED_BY_STAFF), None);
        }
        assert_eq!(verdict(Some(&s), None, BLOCKED_BY_STAFF), None);
    }
}
