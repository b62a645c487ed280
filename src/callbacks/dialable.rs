//! Which numbers the line may call back. A caller ID can be forged and a typed number can be
//! anything, so without a rule the line could be made to ring premium-rate or foreign numbers
//! at its own expense (toll fraud). By default only geographic numbers of the United States
//! and Canada (and the US territories) are dialable; a flow may add country or area prefixes
//! (`[callbacks] dialable`). Premium and pay-per-call prefixes are never dialable.

/// Area codes of the North American plan that are not an ordinary line in the United States,
/// Canada or a US territory: pay-per-call, personal and carrier services, and the other
/// countries that share `+1`, which are billed as international calls and are the usual
/// targets of "call back" fraud.
const NOT_DOMESTIC: [&str; 33] = [
    // Pay-per-call and premium services.
    "900", "976", // Personal communications, carrier and government services.
    "500", "521", "522", "523", "524", "525", "533", "544", "566", "577", "588", "700", "710",
    // The other countries of the plan.
    "242", "246", "264", "268", "284", "345", "441", "473", "649", "658", "664", "721", "758",
    "767", "784", "809", "829", "849",
];

/// The rest of the plan's other countries (Jamaica, Trinidad and Tobago, St Kitts, Turks and
/// Caicos' second code), kept apart so the table above stays readable.
const NOT_DOMESTIC_MORE: [&str; 3] = ["868", "869", "876"];

/// Prefixes no flow may allow: premium and pay-per-call services.
pub const NEVER: [&str; 2] = ["+1900", "+1976"];

/// Why a number will not be called back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotDialable {
    /// Not an international number (`+` and 8 to 15 digits).
    Malformed,
    /// A premium or pay-per-call number.
    Premium,
    /// A number of a country or service the flow does not list.
    NotListed,
}

impl NotDialable {
    /// For the step log and the operators (no number in it).
    pub fn reason(self) -> &'static str {
        match self {
            NotDialable::Malformed => "not a phone number",
            NotDialable::Premium => "a premium-rate number",
            NotDialable::NotListed => "a number outside the countries this line calls",
        }
    }
}

/// Whether `number` (E.164, `+` then digits) may be called back, with the flow's extra
/// `allowed` prefixes (each `+` then digits).
pub fn check(number: &str, allowed: &[String]) -> Result<(), NotDialable> {
    let digits = number.strip_prefix('+').ok_or(NotDialable::Malformed)?;
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NotDialable::Malformed);
    }
    if NEVER.iter().any(|p| number.starts_with(p)) {
        return Err(NotDialable::Premium);
    }
    if domestic(digits) || allowed.iter().any(|p| number.starts_with(p.as_str())) {
        return Ok(());
    }
    Err(NotDialable::NotListed)
}

/// A geographic line of the United States, Canada or a US territory: `1`, an area code and an
/// exchange that start with 2 to 9, an area code that is not a service code (N11) and not in
/// [`NOT_DOMESTIC`].
fn domestic(digits: &str) -> bool {
    let Some(national) = digits.strip_prefix('1').filter(|n| n.len() == 10) else {
        return false;
    };
    let (area, b) = (&national[..3], national.as_bytes());
    let service_code = &area[1..] == "11";
    b[0] >= b'2'
        && b[3] >= b'2'
        && !service_code
        && !NOT_DOMESTIC.contains(&area)
        && !NOT_DOMESTIC_MORE.contains(&area)
}

/// What is wrong with a prefix a flow lists, for `flows check`; `None` when it is usable.
pub fn prefix_problem(prefix: &str) -> Option<&'static str> {
    let digits = prefix.strip_prefix('+').unwrap_or("-");
    if digits.is_empty() || digits.len() > 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some("a prefix is `+` and 1 to 7 digits, e.g. \"+44\" or \"+1876\"");
    }
    if NEVER.iter().any(|p| prefix.starts_with(p)) {
        return Some("premium-rate and pay-per-call numbers (+1900, +1976) are never called back");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_us_and_canadian_numbers_are_dialable() {
        for number in [
            "+12025550123",
            "+14165550123",
            "+17875550123",
            "+18005550100",
        ] {
            assert_eq!(check(number, &[]), Ok(()), "{number}");
        }
    }

    #[test]
    fn premium_numbers_are_never_dialable_even_when_the_flow_lists_them() {
        let all = ["+1".to_string()];
        assert_eq!(check("+19005550123", &all), Err(NotDialable::Premium));
        assert_eq!(check("+19765550123", &[]), Err(NotDialable::Premium));
    }

    #[test]
    fn other_plan_countries_services_and_abroad_need_the_flow_to_list_them() {
        for number in [
            "+18765550123",
            "+18095550123",
            "+15005550123",
            "+442071234567",
        ] {
            assert_eq!(check(number, &[]), Err(NotDialable::NotListed), "{number}");
        }
        let listed = ["+1876".to_string(), "+44".to_string()];
        assert_eq!(check("+18765550123", &listed), Ok(()));
        assert_eq!(check("+442071234567", &listed), Ok(()));
        assert_eq!(check("+33142685300", &listed), Err(NotDialable::NotListed));
    }

    #[test]
    fn impossible_numbers_are_malformed() {
        for number in [
            "",
            "12025550123",
            "+1202",
            "+1202555012a",
            "+12025550123456789",
        ] {
            assert_eq!(check(number, &[]), Err(NotDialable::Malformed), "{number}");
        }
        for number in ["+12115550123", "+11025550123", "+12021550123"] {
            assert_eq!(check(number, &[]), Err(NotDialable::NotListed), "{number}");
        }
    }

    #[test]
    fn a_flow_may_not_list_a_premium_or_malformed_prefix() {
        assert!(prefix_problem("+1900").is_some());
        assert!(prefix_problem("+197655").is_some());
        assert!(prefix_problem("44").is_some());
        assert!(prefix_problem("+4a").is_some());
        assert_eq!(prefix_problem("+44"), None);
        assert_eq!(prefix_problem("+1876"), None);
        // Wide prefixes are allowed; the premium ones inside them are still refused.
        assert_eq!(prefix_problem("+1"), None);
        assert_eq!(
            check("+19005550123", &["+1".to_string()]),
            Err(NotDialable::Premium)
        );
    }
}
