//! Problems found in a call-flow file, located by file, line and column, with a fix for staff.

use std::fmt;
use std::ops::Range;

/// How much a problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The flow cannot be used: the server refuses to start with it.
    Error,
    /// The flow works, but some callers may be badly served; the server starts and logs it.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as shown to people and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a flow file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowDiagnostic {
    /// Whether the flow can be used despite it.
    pub severity: Severity,
    /// The file, as given to the loader.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Stable code, e.g. `unknown-node`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The offending source line, for display.
    pub source_line: String,
    /// Characters to underline from `column`.
    pub width: usize,
}

impl FlowDiagnostic {
    /// The same problem, as a warning.
    #[must_use]
    pub fn into_warning(mut self) -> FlowDiagnostic {
        self.severity = Severity::Warning;
        self
    }

    /// Whether it stops the flow from being used.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The problem on one line, for logs: `file:line:column: warning[code]: message (help)`.
    pub fn one_line(&self) -> String {
        format!(
            "{}:{}:{}: {}[{}]: {} ({})",
            self.file, self.line, self.column, self.severity, self.code, self.message, self.help
        )
    }
}

/// A file being checked: its name and text, to turn byte ranges into lines and columns.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// Name shown to people.
    pub name: &'a str,
    /// Full text.
    pub text: &'a str,
}

impl SourceFile<'_> {
    /// A diagnostic pointing at `span`.
    pub fn diagnostic(
        &self,
        span: Range<usize>,
        code: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> FlowDiagnostic {
        let start = floor_char_boundary(self.text, span.start.min(self.text.len()));
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let source_line = self.text[line_start..line_end].trim_end_matches('\r');
        let line = self.text[..start].matches('\n').count() + 1;
        let column = self.text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(self.text, span.end.clamp(start, line_end));
        let width = self.text[start..end].chars().count().max(1);
        FlowDiagnostic {
            severity: Severity::Error,
            file: self.name.to_string(),
            line,
            column,
            code,
            message: message.into(),
            help: help.into(),
            source_line: source_line.to_string(),
            width,
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl fmt::Display for FlowDiagnostic {
    /// Compiler-style: the problem, where, the line with a marker under it, and the fix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let gutter = " ".repeat(self.line.to_string().len());
        writeln!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        writeln!(f, "{gutter}--> {}:{}:{}", self.file, self.line, self.column)?;
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{} | {}", self.line, self.source_line)?;
        let pad = " ".repeat(self.column - 1);
        writeln!(f, "{gutter} | {pad}{}", "^".repeat(self.width))?;
        write!(f, "{gutter} = help: {}", self.help)
    }
}

/// All problems of one load, printed one after another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowErrors(pub Vec<FlowDiagnostic>);

impl fmt::Display for FlowErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FlowErrors {}

/// The closest of `known` to `unknown`, when close enough to be a typo.
pub fn did_you_mean<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (edit_distance(unknown, k), k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_becomes_line_column_and_underline() {
        let file = SourceFile {
            name: "x.toml",
            text: "a = 1\nnext = \"nowhere\"\n",
        };
        let d = file.diagnostic(13..22, "unknown-node", "no such node", "define it");
        assert_eq!((d.line, d.column, d.width), (2, 8, 9));
        let shown = d.to_string();
        assert!(shown.contains("--> x.toml:2:8"), "{shown}");
        assert!(shown.contains("2 | next = \"nowhere\""), "{shown}");
        assert!(shown.contains("  |        ^^^^^^^^^"), "{shown}");
    }

    #[test]
    fn typos_get_a_suggestion_and_strangers_do_not() {
        let known = ["main_menu", "goodbye"];
        assert_eq!(did_you_mean("main_mneu", known), Some("main_menu"));
        assert_eq!(did_you_mean("weather", known), None);
    }
}
