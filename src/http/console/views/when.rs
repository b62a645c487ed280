//! How instants and waits read on the console: in the hotline's time zone and in words taken in
//! at a glance ("Mon 30 Nov 21:04", "3 h 12 min").

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// An instant as operators read it, in `zone`.
pub fn instant(ms: i64, zone: &TimeZone) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(t) => t
            .to_zoned_datetime(zone.clone())
            .strftime("%a %-d %b %H:%M")
            .to_string(),
        Err(_) => "unknown".to_string(),
    }
}

/// `text` with every `name=<ms since the epoch>` in it (an audit entry's report period)
/// written as [`instant`] reads, so supervisors never meet a thirteen-digit number.
pub fn instants_in(text: &str, zone: &TimeZone) -> String {
    text.split(' ')
        .map(|word| match word.split_once('=') {
            Some((name, value))
                if value.len() >= 12 && value.bytes().all(|b| b.is_ascii_digit()) =>
            {
                value.parse::<i64>().map_or_else(
                    |_| word.to_string(),
                    |ms| format!("{name} {}", instant(ms, zone)),
                )
            }
            _ => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An instant for `<time datetime>`, so that assistive technology and copy-paste get the
/// unambiguous form.
pub fn machine(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A wait to the minute: the console refreshes when what it shows changes, and seconds would
/// change it on every look.
pub fn wait(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (days, hours, minutes) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => "under 1 min".to_string(),
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_read_in_the_hotline_zone() {
        let zone = TimeZone::get("America/New_York").expect("zone");
        // 2026-12-01T02:04Z is Monday evening in New York.
        let ms = "2026-12-01T02:04:00Z"
            .parse::<Timestamp>()
            .expect("instant")
            .as_millisecond();
        assert_eq!(instant(ms, &zone), "Mon 30 Nov 21:04");
        assert_eq!(machine(ms), "2026-12-01T02:04:00Z");
        let early = "2026-12-05T14:00:00Z"
            .parse::<Timestamp>()
            .expect("instant");
        assert_eq!(instant(early.as_millisecond(), &zone), "Sat 5 Dec 09:00");
    }

    #[test]
    fn waits_read_in_minutes_hours_and_days() {
        assert_eq!(wait(-5), "under 1 min");
        assert_eq!(wait(59), "under 1 min");
        assert_eq!(wait(60), "1 min");
        assert_eq!(wait(3 * 3600 + 12 * 60 + 40), "3 h 12 min");
        assert_eq!(wait(26 * 3600 + 60), "1 d 2 h");
        assert_eq!(wait(48 * 3600 + 59 * 60), "2 d");
    }
}
