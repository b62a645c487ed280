//! Reading the documentation as a user does: its pages, their code blocks and prose, the
//! tables, the `hotline` commands written in them, their links and the anchors of their headings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// One page of documentation: its path from the repository root, and its lines.
pub(super) struct Page {
    pub(super) name: String,
    pub(super) lines: Vec<String>,
}

/// A fenced code block: its info string, and its lines with their 1-based numbers in the page.
pub(super) struct Block {
    pub(super) lang: String,
    pub(super) lines: Vec<(usize, String)>,
}

pub(super) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(super) fn read(name: &str) -> Page {
    let text = std::fs::read_to_string(root().join(name)).expect("a documentation page");
    let (name, lines) = (name.to_string(), text.lines().map(str::to_string).collect());
    Page { name, lines }
}

/// README.md and every page in docs/, in name order.
pub(super) fn pages() -> Vec<Page> {
    let entries = std::fs::read_dir(root().join("docs")).expect("the docs folder");
    let file_name = |e: std::io::Result<std::fs::DirEntry>| e.expect("an entry").file_name();
    let mut names: Vec<String> = entries
        .map(|e| file_name(e).to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    names.sort();
    names.insert(0, "README.md".to_string());
    names.iter().map(|n| read(n)).collect()
}

/// The fenced code blocks of a page; a fence may be indented (inside a list item).
pub(super) fn blocks(page: &Page) -> Vec<Block> {
    let (mut found, mut open) = (Vec::new(), None::<(usize, Block)>);
    for (i, line) in page.lines.iter().enumerate() {
        let trimmed = line.trim_start();
        match (open.as_mut(), trimmed.strip_prefix("```")) {
            (None, Some(info)) => {
                let (lang, lines) = (info.trim().to_string(), Vec::new());
                open = Some((line.len() - trimmed.len(), Block { lang, lines }));
            }
            (Some(_), Some(_)) => found.extend(open.take().map(|(_, b)| b)),
            (Some((indent, block)), None) => {
                let text = line.get(*indent..).unwrap_or(trimmed);
                block.lines.push((i + 1, text.to_string()));
            }
            (None, None) => {}
        }
    }
    found
}

/// The page's lines outside code blocks, with their numbers.
pub(super) fn prose(page: &Page) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (i, line) in page.lines.iter().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push((i + 1, line.as_str()));
        }
    }
    out
}

/// Splits a shell command into words, honouring quotes; a `#` that starts a word starts a
/// comment; `[--json]` (an optional part of a synopsis) counts as `--json`.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quote, mut started) = (Vec::new(), String::new(), None, false);
    for c in line.chars().chain([' ']) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => (quote, started) = (Some(c), true),
            (None, '#') if !started => break,
            (None, c) if c.is_whitespace() => {
                if std::mem::take(&mut started) {
                    let w = std::mem::take(&mut word);
                    out.push(w.trim_start_matches('[').trim_end_matches(']').to_string());
                }
            }
            (None, c) => {
                started = true;
                word.push(c);
            }
        }
    }
    out
}

/// The arguments given to the program, if these words run `hotline` (also as
/// `target/release/hotline`, or through `cargo run --release --`) after any `VAR=value`.
fn hotline_args(words: &[String]) -> Option<Vec<String>> {
    let after_variables = words
        .iter()
        .position(|w| !w.contains('=') || w.starts_with('-'))?;
    let words = &words[after_variables..];
    let first = words.first()?;
    if first == "hotline" || first.ends_with("target/release/hotline") {
        return Some(words[1..].to_vec());
    }
    if first == "cargo" && words.get(1).is_some_and(|w| w == "run") {
        let dashes = words.iter().position(|w| w == "--")?;
        return Some(words[dashes + 1..].to_vec());
    }
    None
}

/// Every `hotline …` command of a page, with its line: from shell blocks (lines continued with
/// `\` joined, `$ ` prompts dropped, each step of a pipe or `&&` on its own) and from `code`
/// spans in prose (each within one line).
pub(super) fn commands(page: &Page) -> Vec<(usize, Vec<String>)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    let shell = ["", "sh", "console", "bash", "shell"];
    for block in blocks(page)
        .into_iter()
        .filter(|b| shell.contains(&b.lang.as_str()))
    {
        let mut pending: Option<(usize, String)> = None;
        for (n, text) in block.lines {
            let text = text.trim().trim_start_matches("$ ");
            let (n, joined) = match pending.take() {
                Some((first, before)) => (first, format!("{before} {text}")),
                None => (n, text.to_string()),
            };
            match joined.strip_suffix('\\') {
                Some(head) => pending = Some((n, head.to_string())),
                None => lines.push((n, joined)),
            }
        }
    }
    for (n, line) in prose(page) {
        let code = line.split('`').skip(1).step_by(2);
        lines.extend(code.map(|c| (n, c.to_string())));
    }
    let steps = |(n, line): &(usize, String)| {
        let steps = line.split(['|', ';']).flat_map(|s| s.split("&&"));
        steps
            .filter_map(|s| hotline_args(&words(s)))
            .map(|a| (*n, a))
            .collect::<Vec<_>>()
    };
    lines.iter().flat_map(steps).collect()
}

/// The rows of the first table whose header begins with `columns`: (line, cells).
pub(super) fn table(page: &Page, columns: &[&str]) -> Vec<(usize, Vec<String>)> {
    let cells = |line: &str| -> Vec<String> {
        let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
        inner.split('|').map(|c| c.trim().to_string()).collect()
    };
    let lines = prose(page);
    let is_row = |l: &str| l.trim_start().starts_with('|');
    let Some(header) = lines.iter().position(|(_, l)| {
        is_row(l) && cells(l).iter().zip(columns).filter(|(c, w)| c == w).count() == columns.len()
    }) else {
        return Vec::new();
    };
    let rows = lines[header + 2..].iter().take_while(|(_, l)| is_row(l));
    rows.map(|(n, l)| (*n, cells(l))).collect()
}

/// The text of a cell that is one `code` span.
pub(super) fn code_cell(cell: &str) -> Option<&str> {
    cell.strip_prefix('`')?
        .strip_suffix('`')
        .filter(|c| !c.contains('`'))
}

/// A heading's anchor as GitHub makes it: lower case, spaces to `-`, other punctuation dropped.
fn slug(heading: &str) -> String {
    let kept = heading.trim().chars().filter_map(|c| match c {
        ' ' => Some('-'),
        c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
        _ => None,
    });
    kept.flat_map(char::to_lowercase).collect()
}

/// The anchors of a page's headings; a repeated heading gets `-1`, `-2`, … as on GitHub.
pub(super) fn anchors(page: &Page) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let headings = prose(page)
        .into_iter()
        .filter_map(|(_, l)| l.strip_prefix('#'));
    headings
        .map(|h| {
            let base = slug(h.trim_start_matches('#'));
            let count = seen.entry(base.clone()).or_default();
            *count += 1;
            if *count == 1 {
                base
            } else {
                format!("{base}-{}", *count - 1)
            }
        })
        .collect()
}

/// The relative targets of the links of a line, outside `code`: `[text](target)`.
pub(super) fn link_targets(line: &str) -> Vec<String> {
    let outside_code: String = line.split('`').step_by(2).collect();
    let targets = outside_code
        .split("](")
        .skip(1)
        .filter_map(|r| r.split_once(')'));
    let relative = targets
        .map(|(t, _)| t)
        .filter(|t| !t.contains("://") && !t.starts_with("mailto:"));
    relative.map(str::to_string).collect()
}
