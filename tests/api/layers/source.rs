//! Reads `src/` as the import rules see it: every module (files and inline `mod x { }`
//! blocks), every path it names, and which module each `crate::`, `super::` or `self::` path
//! lands in. A reader of lines, not a Rust parser: it knows enough of the syntax this code
//! base uses (use trees, inline test modules, strings and comments).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module: its file and its path from the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub file: String,
    pub path: Vec<String>,
    /// Each line's paths (identifiers joined by `::`), use trees expanded.
    paths: Vec<(usize, Vec<String>)>,
}

/// One module naming another.
#[derive(Debug)]
pub struct Import {
    pub from: Module,
    pub to: Module,
    pub line: usize,
    /// The path as written, joined.
    pub path: String,
}

/// Every module of `src/`.
pub struct Tree {
    modules: Vec<Module>,
}

impl Module {
    /// The top-level module (`engine` for `crate::engine::run`); `None` for the crate root.
    pub fn top(&self) -> Option<&str> {
        self.path.first().map(String::as_str)
    }

    /// Paths that start outside the crate (`tokio::spawn`, `std::fs::read`), with their line.
    pub fn external_paths(&self) -> impl Iterator<Item = (usize, String)> + '_ {
        self.paths.iter().filter_map(|(line, path)| {
            let first = path.first()?;
            let inside = ["crate", "super", "self", "Self"].contains(&first.as_str());
            (!inside).then(|| (*line, path.join("::")))
        })
    }
}

impl Import {
    /// An import made up for the rules' own test.
    pub fn example(from: &str, from_file: &str, to: &str, to_file: &str) -> Import {
        let module = |name: &str, file: &str| Module {
            file: file.to_string(),
            path: vec![name.to_string()],
            paths: Vec::new(),
        };
        Import {
            from: module(from, from_file),
            to: module(to, to_file),
            line: 1,
            path: format!("crate::{to}"),
        }
    }
}

impl Tree {
    /// Reads every `.rs` file under `src/`.
    pub fn read() -> Tree {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("src"), &mut files);
        files.sort();
        let mut modules = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a source file reads");
            let relative = file.strip_prefix(root).expect("under the root");
            let name = relative.to_string_lossy().replace('\\', "/");
            modules.extend(read_modules(&name, &module_path(&name), &text));
        }
        Tree { modules }
    }

    pub fn modules(&self) -> impl Iterator<Item = &Module> {
        self.modules.iter()
    }

    /// Every path from one module into another module of the crate.
    pub fn imports(&self) -> Vec<Import> {
        let known: BTreeMap<&[String], &Module> = self
            .modules
            .iter()
            .map(|m| (m.path.as_slice(), m))
            .collect();
        let mut imports = Vec::new();
        for module in &self.modules {
            for (line, path) in &module.paths {
                let Some(absolute) = absolute(&module.path, path, &known) else {
                    continue;
                };
                let Some(target) = (1..=absolute.len())
                    .rev()
                    .find_map(|n| known.get(&absolute[..n]))
                else {
                    continue;
                };
                if target.file != module.file {
                    imports.push(Import {
                        from: module.clone(),
                        to: (*target).clone(),
                        line: *line,
                        path: path.join("::"),
                    });
                }
            }
        }
        imports
    }
}

/// The path from the crate root that `path`, written in `module`, names; `None` outside it.
fn absolute(
    module: &[String],
    path: &[String],
    known: &BTreeMap<&[String], &Module>,
) -> Option<Vec<String>> {
    let mut here = module.to_vec();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            here.clear();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                here.pop()?;
                rest = &rest[1..];
            }
        }
        Some(first) => {
            let mut child = here.clone();
            child.push(first.to_string());
            known.get(child.as_slice())?;
        }
        None => return None,
    }
    here.extend(rest.iter().cloned());
    Some(here)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder reads") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are `a::b`; `src/lib.rs` is the root; `src/main.rs` is
/// the binary, called `main` here.
fn module_path(file: &str) -> Vec<String> {
    let inside = file.trim_start_matches("src/").trim_end_matches(".rs");
    let mut path: Vec<String> = inside.split('/').map(str::to_string).collect();
    if path
        .last()
        .is_some_and(|last| last == "mod" || last == "lib")
    {
        path.pop();
    }
    path
}

/// The file's module and the inline modules inside it, each with the paths it names.
fn read_modules(file: &str, path: &[String], text: &str) -> Vec<Module> {
    let mut modules = vec![Module {
        file: file.to_string(),
        path: path.to_vec(),
        paths: Vec::new(),
    }];
    // (index into `modules`, brace depth at which it ends)
    let mut open: Vec<(usize, i64)> = vec![(0, -1)];
    let mut depth = 0i64;
    let mut statement = String::new();
    for (n, raw) in text.lines().enumerate() {
        let code = strip(raw);
        let line = n + 1;
        let current = open.last().map_or(0, |(i, _)| *i);
        if let Some(name) = inline_module(&code) {
            let mut inner = modules[current].path.clone();
            inner.push(name);
            modules.push(Module {
                file: file.to_string(),
                path: inner,
                paths: Vec::new(),
            });
            open.push((modules.len() - 1, depth));
        }
        let current = open.last().map_or(0, |(i, _)| *i);
        let trimmed = code.trim_start();
        let in_use = !statement.is_empty();
        if in_use || is_use(trimmed) {
            statement.push_str(&code);
            statement.push(' ');
            if code.contains(';') {
                for path in use_tree(&statement) {
                    modules[current].paths.push((line, path));
                }
                statement.clear();
            }
        } else {
            for path in paths_in(&code) {
                modules[current].paths.push((line, path));
            }
        }
        depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
        while open.len() > 1 && open.last().is_some_and(|(_, end)| depth <= *end) {
            open.pop();
        }
    }
    modules
}

fn is_use(line: &str) -> bool {
    let line = line.strip_prefix("pub").map_or(line, |rest| {
        let rest = rest.trim_start();
        match rest.strip_prefix('(') {
            Some(inner) => inner.split_once(')').map_or(rest, |(_, after)| after),
            None => rest,
        }
    });
    line.trim_start().starts_with("use ")
}

/// `mod name {` opens an inline module.
fn inline_module(code: &str) -> Option<String> {
    let at = code.find("mod ")?;
    let before = code[..at].trim();
    if !(before.is_empty() || before.starts_with("pub") || before.ends_with(']')) {
        return None;
    }
    let rest = code[at + 4..].trim();
    let (name, after) = rest.split_once(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    (after.trim_start().starts_with('{') || rest[name.len()..].trim_start().starts_with('{'))
        .then(|| name.to_string())
}

/// The line without its comment, string literals, brace characters in quotes and the paths
/// of `pub(in …)`, which name a module without importing from it.
fn strip(line: &str) -> String {
    let mut code = strip_literals(line);
    while let Some(at) = code.find("pub(in ") {
        let end = code[at..].find(')').map_or(code.len(), |i| at + i + 1);
        code.replace_range(at..end, "pub");
    }
    code
}

fn strip_literals(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => {
                in_string = false;
                out.push('"');
            }
            (true, _) => {}
            (false, '"') => {
                in_string = true;
                out.push('"');
            }
            (false, '/') if chars.peek() == Some(&'/') => break,
            (false, '\'') if matches!(chars.peek(), Some('{' | '}')) => {
                chars.next();
            }
            (false, c) => out.push(c),
        }
    }
    out
}

/// Every `a::b::c` in a line of code.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i <= chars.len() {
        let c = chars.get(i).copied().unwrap_or(' ');
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else if c == ':' && chars.get(i + 1) == Some(&':') && !word.is_empty() {
            current.push(std::mem::take(&mut word));
            i += 1;
        } else {
            if !word.is_empty() {
                current.push(std::mem::take(&mut word));
            }
            if current.len() > 1 {
                paths.push(std::mem::take(&mut current));
            }
            current.clear();
        }
        i += 1;
    }
    paths
}

/// The paths a `use` statement brings in, its braces expanded.
fn use_tree(statement: &str) -> Vec<Vec<String>> {
    let body = statement.split_once("use ").map_or("", |(_, b)| b);
    let body = body.split(';').next().unwrap_or("");
    let mut out = Vec::new();
    expand(&[], body, &mut out);
    out
}

fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
    for part in split_top(tree) {
        let part = part.trim();
        let (head, inner) = match part.find('{') {
            Some(at) => (
                &part[..at],
                Some(&part[at + 1..part.rfind('}').unwrap_or(part.len())]),
            ),
            None => (part, None),
        };
        let head = head.split(" as ").next().unwrap_or("");
        let mut path = prefix.to_vec();
        path.extend(
            head.split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "*" && *s != "self")
                .map(str::to_string),
        );
        match inner {
            Some(inner) => expand(&path, inner, out),
            None if !path.is_empty() => out.push(path),
            None => {}
        }
    }
}

/// Splits at the commas outside braces.
fn split_top(tree: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in tree.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&tree[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tree[start..]);
    parts
}

/// The strongly connected groups of two files or more (Tarjan's algorithm).
pub fn circles<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<BTreeSet<&'a str>> {
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<BTreeSet<&'a str>>,
    }
    fn visit<'a>(v: &'a str, g: &BTreeMap<&'a str, BTreeSet<&'a str>>, s: &mut State<'a>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in g.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(w, g, s);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.insert(w);
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                s.found.push(group);
            }
        }
    }
    let mut state = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for &v in graph.keys() {
        if !state.index.contains_key(v) {
            visit(v, graph, &mut state);
        }
    }
    state.found
}
