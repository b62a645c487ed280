//! Everything `hotline flows check` finds in a set of files, shown to people compiler-style
//! (the source line, the place underlined, the fix) or to CI as JSON, with a one-line
//! summary. Pure: files come in as text, reports go out as text.

use std::fmt;
use std::ops::Range;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use serde::Serialize;

use super::scenario;
use crate::flow::diagnostic::{FlowDiagnostic, Severity, SourceFile};

/// What the checks and the scenarios found in one file.
#[derive(Debug)]
pub struct FileReport {
    /// The file, as shown.
    pub name: String,
    /// Its text, to show the lines problems are on.
    pub text: String,
    /// Every problem, in line order.
    pub diagnostics: Vec<FlowDiagnostic>,
    /// Scenarios in the file that could run (none when the flow itself has errors).
    pub scenarios_run: usize,
    /// Scenarios that turned out as written.
    pub scenarios_passed: usize,
    /// Whether the file says `default = true` (false when it could not be read that far).
    pub is_default: bool,
}

/// Checks one file and runs its scenarios. `id` is the file stem.
pub fn check_file(id: &str, name: &str, text: &str) -> FileReport {
    let checked = crate::catalog::check(id, name, text);
    let mut diagnostics = checked.diagnostics;
    let mut run = 0;
    let mut passed = 0;
    let is_default = checked.flow.as_ref().is_some_and(|f| f.is_default);
    if let Some(flow) = &checked.flow {
        let results = scenario::run_all(flow, &checked.tests, SourceFile { name, text });
        diagnostics.extend(results.diagnostics);
        diagnostics.sort_by_key(|d| (d.line, d.column));
        (run, passed) = (results.run, results.passed);
    }
    FileReport {
        name: name.to_string(),
        text: text.to_string(),
        diagnostics,
        scenarios_run: run,
        scenarios_passed: passed,
        is_default,
    }
}

/// How reports for people look.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    /// Terminal colours.
    pub color: bool,
    /// Columns to wrap messages at.
    pub width: usize,
}

/// Every problem, compiler-style, each followed by a blank line. `others` are problems of a
/// whole folder, with no line to show.
pub fn human(files: &[FileReport], others: &[FlowDiagnostic], look: Look) -> String {
    let theme = if look.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(look.width);
    let mut out = String::new();
    let shown = files
        .iter()
        .flat_map(|f| {
            f.diagnostics
                .iter()
                .map(|d| Shown::new(d, Some((&f.name, &f.text))))
        })
        .chain(others.iter().map(|d| Shown::new(d, None)));
    for d in shown {
        // Writing into a String cannot fail, and every span lies within the text shown, so
        // there is no error to report.
        let _ = handler.render_report(&mut out, &d);
        out.push('\n');
    }
    out
}

/// Every problem as a JSON array of objects with `file`, `line`, `column`, `severity`,
/// `code`, `message` and `help`.
pub fn json(files: &[FileReport], others: &[FlowDiagnostic]) -> String {
    let all: Vec<Json<'_>> = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .chain(others)
        .map(Json::from)
        .collect();
    // Strings and numbers always serialise; the fallback is never used.
    serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into())
}

/// "2 errors, 1 warning in 1 file; 9 of 10 scenarios passed".
pub fn summary(files: &[FileReport], others: &[FlowDiagnostic]) -> String {
    let all = || files.iter().flat_map(|f| &f.diagnostics).chain(others);
    let errors = all().filter(|d| d.is_error()).count();
    let warnings = all().count() - errors;
    let mut line = format!(
        "{}, {} in {}",
        counted(errors, "error"),
        counted(warnings, "warning"),
        counted(files.len(), "file")
    );
    let run: usize = files.iter().map(|f| f.scenarios_run).sum();
    let passed: usize = files.iter().map(|f| f.scenarios_passed).sum();
    if run > 0 {
        line.push_str(&format!(
            "; {passed} of {} passed",
            counted(run, "scenario")
        ));
    }
    line
}

fn counted(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// One problem as CI reads it.
#[derive(Serialize)]
struct Json<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    help: &'a str,
}

impl<'a> From<&'a FlowDiagnostic> for Json<'a> {
    fn from(d: &'a FlowDiagnostic) -> Self {
        Json {
            file: &d.file,
            line: d.line,
            column: d.column,
            severity: d.severity.as_str(),
            code: d.code,
            message: &d.message,
            help: &d.help,
        }
    }
}

/// Lines longer than this are cut when shown, so that a long prompt does not fill the screen.
const MAX_SHOWN_CHARS: usize = 100;

/// The most characters shown underlined.
const MAX_UNDERLINE: usize = 40;

/// A problem as miette shows it: the message, the file's line with the place underlined
/// and labelled, and the fix.
#[derive(Debug)]
struct Shown<'a> {
    d: &'a FlowDiagnostic,
    source: Option<(NamedSource<String>, Range<usize>)>,
}

impl<'a> Shown<'a> {
    /// `file` is the name and text of the file the problem is in.
    fn new(d: &'a FlowDiagnostic, file: Option<(&str, &str)>) -> Self {
        // A problem about no place in particular has no line to show.
        let source = file
            .filter(|_| !d.source_line.is_empty())
            .map(|(name, text)| {
                let (shown, span) = shown_text(text, d);
                (NamedSource::new(name, shown), span)
            });
        Shown { d, source }
    }
}

/// The file as shown with one problem, long lines cut, and where the problem is in it. Line
/// numbers stay those of the file, because only the ends of lines are cut.
fn shown_text(text: &str, d: &FlowDiagnostic) -> (String, Range<usize>) {
    let width = d.width.clamp(1, MAX_UNDERLINE);
    let first = d.column.saturating_sub(1);
    let mut out = String::with_capacity(text.len());
    let mut span = 0..0;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let here = i + 1 == d.line;
        let keep = if here {
            MAX_SHOWN_CHARS.max(first + width)
        } else {
            MAX_SHOWN_CHARS
        };
        let start = out.len();
        out.extend(line.chars().take(keep));
        if line.chars().count() > keep {
            out.push('…');
        }
        if here {
            let byte = |chars: usize| {
                start
                    + out[start..]
                        .chars()
                        .take(chars)
                        .map(char::len_utf8)
                        .sum::<usize>()
            };
            span = byte(first)..byte(first + width);
        }
    }
    (out, span)
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.d.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.d.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|(s, _)| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span) = self.source.as_ref()?;
        let label = self.d.code.replace('-', " ");
        let labeled = LabeledSpan::new_primary_with_span(Some(label), (span.start, span.len()));
        Some(Box::new(std::iter::once(labeled)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_when_shown_but_keep_their_numbers() {
        let text = format!("a = 1\nprompt.en = \"{}\"\nb = 2\n", "x".repeat(300));
        let file = SourceFile {
            name: "f.toml",
            text: &text,
        };
        let d = file.diagnostic(6..320, "prompt-too-long", "too long", "shorten it");
        let (shown, span) = shown_text(&text, &d);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].chars().count(), MAX_SHOWN_CHARS + 1);
        assert!(lines[1].ends_with('…'));
        assert_eq!(&shown[span], &lines[1][..MAX_UNDERLINE]);
    }

    #[test]
    fn the_summary_counts_problems_files_and_scenarios() {
        let file = |diagnostics, run, passed| FileReport {
            name: "f.toml".into(),
            text: String::new(),
            diagnostics,
            scenarios_run: run,
            scenarios_passed: passed,
            is_default: false,
        };
        let source = SourceFile {
            name: "f.toml",
            text: "a = 1\n",
        };
        let error = source.diagnostic(0..1, "dead-end", "m", "h");
        let warning = error.clone().into_warning();
        let files = [
            file(vec![error.clone(), error, warning], 3, 2),
            file(Vec::new(), 0, 0),
        ];
        assert_eq!(
            summary(&files, &[]),
            "2 errors, 1 warning in 2 files; 2 of 3 scenarios passed"
        );
        assert_eq!(summary(&files[1..], &[]), "0 errors, 0 warnings in 1 file");
    }
}
