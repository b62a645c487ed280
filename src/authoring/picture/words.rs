//! The words in the picture's boxes and on its arrows, broken into short lines so that no
//! label is wider than the room its layer can give it. Arrow labels are cut where they run
//! long (a menu that listens for speech lists many words); the picture keeps the full text as
//! a tooltip.

/// The longest line of an arrow's label, in characters.
pub(super) const ARROW_LINE: usize = 20;
/// The most lines one choice's words take on an arrow.
const LINES_PER_CHOICE: usize = 2;
/// The most lines on one arrow.
const ARROW_LINES: usize = 6;
/// The longest line in a box, unless one word is longer.
const BOX_LINE: usize = 22;
/// Ends a line that was cut.
const CUT: char = '…';

/// The lines of an arrow that several choices may share ("1", "2", "3 failed tries"): short
/// labels share a line, a long one takes up to two lines of its own.
pub(super) fn arrow_lines(labels: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut shared = String::new();
    for label in labels.iter().filter(|l| !l.trim().is_empty()) {
        let mut wrapped: Vec<String> = wrap(label, ARROW_LINE, LINES_PER_CHOICE)
            .into_iter()
            .map(|line| cut(&line, ARROW_LINE))
            .collect();
        let joined = format!("{shared}, {}", wrapped[0]);
        if wrapped.len() == 1 && !shared.is_empty() && chars(&joined) <= ARROW_LINE {
            shared = joined;
            continue;
        }
        if !shared.is_empty() {
            lines.push(std::mem::take(&mut shared));
        }
        if wrapped.len() == 1 {
            shared = wrapped.remove(0);
        } else {
            lines.extend(wrapped);
        }
    }
    if !shared.is_empty() {
        lines.push(shared);
    }
    if lines.len() > ARROW_LINES {
        lines.truncate(ARROW_LINES);
        if let Some(last) = lines.last_mut() {
            *last = ended(last, ARROW_LINE);
        }
    }
    lines
}

/// The lines of a box: each line of its label, wrapped between words.
pub(super) fn box_lines(label: &str) -> Vec<String> {
    label
        .lines()
        .flat_map(|line| wrap(line, BOX_LINE, usize::MAX))
        .collect()
}

/// `text` in lines of at most `width` characters where its words allow (a longer word keeps
/// a line to itself), and at most `most` lines, the last ending in "…" when words were left
/// out. Never empty.
pub(super) fn wrap(text: &str, width: usize, most: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        if !line.is_empty() && chars(&line) + 1 + chars(word) > width {
            if lines.len() + 1 == most {
                lines.push(ended(&line, width));
                return lines;
            }
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        if words.peek().is_none() {
            lines.push(std::mem::take(&mut line));
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// `line` with "…" at its end, within `width` characters.
fn ended(line: &str, width: usize) -> String {
    let kept: String = line.chars().take(width.saturating_sub(1)).collect();
    format!("{}{CUT}", kept.trim_end_matches([' ', ',']))
}

/// `line` itself when it fits in `width`, else cut to fit.
fn cut(line: &str, width: usize) -> String {
    if chars(line) <= width {
        line.to_string()
    } else {
        ended(line, width)
    }
}

/// Length in characters, as the picture measures text.
pub(super) fn chars(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(all: &[&str]) -> Vec<String> {
        all.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn short_choices_share_a_line_and_long_ones_are_cut_to_two() {
        let keys = arrow_lines(&labels(&["1", "2", "3", "4", "2 failed tries"]));
        assert_eq!(keys, ["1, 2, 3, 4", "2 failed tries"]);
        let spoken = "1 or say: custody, custody status, notification, notifications";
        let lines = arrow_lines(&labels(&[spoken, "3 failed tries"]));
        assert_eq!(
            lines,
            ["1 or say: custody,", "custody status…", "3 failed tries"]
        );
        assert!(lines.iter().all(|l| chars(l) <= ARROW_LINE));
    }

    #[test]
    fn an_arrow_has_at_most_six_lines_and_a_word_longer_than_a_line_is_cut() {
        let many: Vec<String> = (0..10).map(|i| format!("choice number {i}")).collect();
        let lines = arrow_lines(&many);
        assert_eq!(lines.len(), ARROW_LINES);
        assert!(lines[5].ends_with(CUT), "{lines:?}");
        let long = arrow_lines(&labels(&["averyveryverylongwordwithoutspaces"]));
        assert_eq!(long, ["averyveryverylongwo…"]);
        assert!(arrow_lines(&labels(&["", " "])).is_empty());
    }

    #[test]
    fn box_lines_break_between_words_and_keep_ids_whole() {
        assert_eq!(
            box_lines("queue community_relations\n(priority 3)"),
            ["queue", "community_relations", "(priority 3)"]
        );
        assert_eq!(box_lines("main_menu\nmenu"), ["main_menu", "menu"]);
        assert_eq!(wrap("", 10, 2), [""]);
    }
}
