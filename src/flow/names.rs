//! Names for staff. A category or node may carry a `title` ("Victim assistance", "Main menu")
//! for the console, the reports and the wallboard; without one, its name is made from its id, so
//! every flow reads as words with no edit. Callers never hear a title: they hear labels.

/// The name made from an id: `_` and `-` become spaces and the first letter a capital
/// (`victim_assistance` → "Victim assistance", `to_general` → "To general").
pub fn from_id(id: &str) -> String {
    let words: Vec<&str> = id
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::from_id;

    #[test]
    fn ids_become_words() {
        assert_eq!(from_id("victim_assistance"), "Victim assistance");
        assert_eq!(from_id("to_general"), "To general");
        assert_eq!(from_id("general"), "General");
        assert_eq!(from_id("after-hours__menu"), "After hours menu");
        assert_eq!(from_id("étape_2"), "Étape 2");
    }

    #[test]
    fn an_id_with_no_letters_stays_as_written() {
        assert_eq!(from_id("_"), "_");
        assert_eq!(from_id(""), "");
    }
}
