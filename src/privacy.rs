//! Masking of callers' data for logs: phone numbers keep only their last digits.

use std::fmt;

/// Digits of a phone number shown in logs; enough for an operator to match a complaint,
/// too few to call anyone.
const VISIBLE_DIGITS: usize = 2;

/// A phone number that displays masked: `+1*********23`.
#[derive(Clone, Copy)]
pub struct MaskedPhone<'a>(pub &'a str);

impl fmt::Display for MaskedPhone<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.chars().filter(char::is_ascii_digit).count();
        if digits == 0 {
            // Withheld numbers ("anonymous") and SIP addresses carry no digits; say only what kind.
            return f.write_str(if self.0.is_empty() {
                "(none)"
            } else {
                "(not a number)"
            });
        }
        let mut seen = 0;
        let prefix_digits = usize::from(self.0.starts_with("+1"));
        for c in self.0.chars() {
            if !c.is_ascii_digit() {
                if c == '+' {
                    f.write_str("+")?;
                }
                continue;
            }
            seen += 1;
            let keep = seen <= prefix_digits || seen > digits.saturating_sub(VISIBLE_DIGITS);
            write!(f, "{}", if keep { c } else { '*' })?;
        }
        Ok(())
    }
}

impl fmt::Debug for MaskedPhone<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_shows_only_its_country_code_and_last_two_digits() {
        assert_eq!(MaskedPhone("+12025550123").to_string(), "+1********23");
        assert_eq!(MaskedPhone("+442071838750").to_string(), "+**********50");
    }

    #[test]
    fn withheld_numbers_say_so_without_echoing_the_text() {
        assert_eq!(MaskedPhone("anonymous").to_string(), "(not a number)");
        assert_eq!(MaskedPhone("").to_string(), "(none)");
    }
}
