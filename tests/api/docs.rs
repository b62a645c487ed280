//! The documentation against the program: README.md and docs/*.md name only commands and options
//! that exist, their complete flow files pass `flows check`, the route table is the router's, the
//! settings table is `hotline serve`'s, and every link leads to a file and heading that exist.

mod markdown;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

use clap::CommandFactory;
use hotline::cli::{CheckArgs, Color, FlowsArgs, FlowsCommand, Format, flows};
use markdown::{
    anchors, blocks, code_cell, commands, link_targets, pages, prose, read, root, table,
};

/// Fails with every problem found, one per line.
fn assert_none(problems: &[String]) {
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// Fails when a check found less than `least` to check: the docs are no longer read as written.
fn assert_found(count: usize, least: usize, what: &str) {
    assert!(
        count >= least,
        "{count} {what} found: does the test still read the docs as written?"
    );
}

/// What is wrong with `hotline <args>`, by clap's definition of the command line. Values and
/// placeholders (`…`, `<id>`) are not judged; subcommands and option names are.
fn command_problem(args: &[String]) -> Option<String> {
    let mut cli = hotline::cli::Cli::command();
    cli.build();
    let (mut cmd, mut path) = (&cli, String::from("hotline"));
    let mut rest = args
        .iter()
        .filter(|w| !w.contains('…') && !w.starts_with('<'));
    while let Some(word) = rest.next() {
        if let Some(flag) = word.strip_prefix("--") {
            let name = flag.split('=').next().unwrap_or(flag);
            let Some(arg) = cmd.get_arguments().find(|a| a.get_long() == Some(name)) else {
                return Some(format!(
                    "`{path}` has no option `--{name}` (`{path} --help` lists them)"
                ));
            };
            if arg.get_action().takes_values() && !flag.contains('=') {
                rest.next();
            }
        } else if let Some(sub) = cmd.find_subcommand(word) {
            path = format!("{path} {}", sub.get_name());
            cmd = sub;
        } else if cmd.has_subcommands() && !cmd.get_arguments().any(|a| a.is_positional()) {
            let known: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
            let known = known.join(", ");
            return Some(format!(
                "`{path}` has no subcommand `{word}` (it has {known})"
            ));
        }
    }
    None
}

#[test]
fn every_hotline_command_in_the_docs_exists() {
    let (mut problems, mut seen) = (Vec::new(), 0);
    for page in pages() {
        for (n, args) in commands(&page) {
            seen += 1;
            if let Some(problem) = command_problem(&args) {
                let (name, command) = (&page.name, args.join(" "));
                problems.push(format!(
                    "{name}:{n}: `hotline {command}`: {problem}; fix the command"
                ));
            }
        }
    }
    assert_found(seen, 20, "hotline commands");
    assert_none(&problems);
}

/// Runs `hotline flows check --deny-warnings` on `file`; its exit status and report.
fn flows_check(file: &Path) -> (i32, String) {
    let command = FlowsCommand::Check(CheckArgs {
        paths: vec![file.to_path_buf()],
        format: Format::Human,
        deny_warnings: true,
        color: Color::Never,
    });
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = flows(&FlowsArgs { command }, &mut out, &mut err);
    let report = String::from_utf8_lossy(&[out, err].concat()).into_owned();
    (status, report)
}

#[test]
fn every_flow_example_is_clean_and_every_fragment_is_toml() {
    let page = read("docs/flow-files.md");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (mut problems, mut complete) = (Vec::new(), 0);
    for block in blocks(&page).into_iter().filter(|b| b.lang == "toml") {
        let n = block.lines.first().map_or(0, |(n, _)| *n);
        let text: String = block.lines.iter().map(|(_, l)| format!("{l}\n")).collect();
        if !block.lines.iter().any(|(_, l)| l.trim() == "[hotline]") {
            if let Err(e) = text.parse::<toml::Table>() {
                problems.push(format!(
                    "docs/flow-files.md:{n}: this TOML does not parse: {e}"
                ));
            }
            continue;
        }
        complete += 1;
        // Named like a file in a flows folder: the name is the hotline's id.
        let file = dir.path().join(format!("example_at_line_{n}.toml"));
        std::fs::write(&file, &text).expect("the example written out");
        let (status, report) = flows_check(&file);
        if status != 0 {
            problems.push(format!("docs/flow-files.md:{n}: this example flow fails `hotline flows check --deny-warnings` (exit {status}); fix the example (its line 1 is line {n} here):\n{report}"));
        }
    }
    assert_found(
        complete,
        1,
        "complete example flow (```toml with [hotline]) in docs/flow-files.md",
    );
    assert_none(&problems);
}

/// Every (method, path) the server answers.
fn served_routes() -> BTreeSet<(String, String)> {
    let mut served = BTreeSet::new();
    for route in hotline::http::routes::table() {
        for method in route.methods {
            served.insert((method.to_string(), route.path.to_string()));
        }
    }
    served
}

#[test]
fn the_route_table_lists_exactly_the_routes_of_the_server() {
    let rows = table(&read("docs/api.md"), &["Method", "Path"]);
    assert_found(
        rows.len(),
        1,
        "rows of the `| Method | Path |` table in docs/api.md",
    );
    let (mut documented, mut problems) = (BTreeMap::new(), Vec::new());
    for (n, cells) in &rows {
        let Some(path) = code_cell(&cells[1]) else {
            problems.push(format!(
                "docs/api.md:{n}: write the path as one `code` span"
            ));
            continue;
        };
        for method in cells[0].split(',').map(str::trim) {
            let key = (method.to_string(), path.to_string());
            if documented.insert(key, *n).is_some() {
                problems.push(format!(
                    "docs/api.md:{n}: `{method} {path}` is listed twice"
                ));
            }
        }
    }
    let served = served_routes();
    for ((method, path), n) in documented.iter().filter(|(k, _)| !served.contains(*k)) {
        problems.push(format!(
            "docs/api.md:{n}: the server has no route `{method} {path}`; correct or remove the row"
        ));
    }
    for (method, path) in served.iter().filter(|k| !documented.contains_key(*k)) {
        problems.push(format!("docs/api.md: the server answers `{method} {path}` but the route table has no row for it; add `| {method} | `{path}` | … |`"));
    }
    assert_none(&problems);
}

/// An option of `hotline serve` (including those every command takes).
struct Setting {
    flag: String,
    env: Option<String>,
    default: Option<String>,
    switch: bool,
}

fn serve_settings() -> Vec<Setting> {
    let mut cli = hotline::cli::Cli::command();
    cli.build();
    let serve = cli.find_subcommand("serve").expect("the serve command");
    let text = |s: &std::ffi::OsStr| s.to_string_lossy().into_owned();
    let setting = |a: &clap::Arg| {
        let long = a.get_long().filter(|l| !["help", "version"].contains(l))?;
        Some(Setting {
            flag: format!("--{long}"),
            env: a.get_env().map(text),
            default: a.get_default_values().first().map(|d| text(d)),
            switch: !a.get_action().takes_values(),
        })
    };
    serve.get_arguments().filter_map(setting).collect()
}

/// What the Default cell should say: `off` for a switch, otherwise clap's default in `code`.
/// Numbers are compared as numbers, so `5` is `5.0`.
fn default_problem(cell: &str, setting: &Setting) -> Option<String> {
    let default = setting.default.as_deref()?;
    let want = if setting.switch {
        "off".to_string()
    } else {
        format!("`{default}`")
    };
    let number = |t: &str| t.parse::<f64>().ok();
    let same = match code_cell(cell) {
        _ if setting.switch => cell == "off",
        Some(c) => c == default || number(c).is_some_and(|v| number(default) == Some(v)),
        None => false,
    };
    let flag = &setting.flag;
    (!same)
        .then(|| format!("the default of `{flag}` is {want}, not {cell}; fix the Default column"))
}

/// What is wrong with one row of the settings table.
fn setting_problem(cells: &[String], settings: &[Setting]) -> Option<String> {
    let (flag, env) = (code_cell(&cells[0]), code_cell(&cells[1]));
    let Some(flag) = flag else {
        // RUST_LOG is read by the log filter, not by clap: a row of its own, without a flag.
        let other = env == Some("RUST_LOG");
        return (!other).then(|| "this row names no option of `hotline serve`; give its flag in `code`, or remove the row".to_string());
    };
    let Some(setting) = settings.iter().find(|s| s.flag == flag) else {
        return Some(format!(
            "`hotline serve` has no option `{flag}`; correct or remove the row"
        ));
    };
    if env != setting.env.as_deref() {
        let want = setting.env.as_deref().unwrap_or("no variable");
        return Some(format!(
            "`{flag}` is read from `{want}`; write that in the Environment variable column"
        ));
    }
    default_problem(&cells[2], setting)
}

#[test]
fn the_settings_table_is_the_serve_command() {
    let rows = table(
        &read("docs/operating.md"),
        &["Flag", "Environment variable", "Default"],
    );
    assert_found(
        rows.len(),
        1,
        "rows of the settings table in docs/operating.md",
    );
    let settings = serve_settings();
    let mut problems: Vec<String> = rows
        .iter()
        .filter_map(|(n, cells)| {
            Some(format!(
                "docs/operating.md:{n}: {}",
                setting_problem(cells, &settings)?
            ))
        })
        .collect();
    for s in &settings {
        if !rows
            .iter()
            .any(|(_, cells)| code_cell(&cells[0]) == Some(&s.flag))
        {
            let (flag, env) = (&s.flag, s.env.as_deref().unwrap_or(""));
            problems.push(format!("docs/operating.md: `hotline serve {flag}` has no row in the settings table; add `| `{flag}` | `{env}` | … |`"));
        }
    }
    assert_none(&problems);
}

/// `docs/../README.md` as `README.md`.
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part {
            Component::ParentDir => drop(parts.pop()),
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// What is wrong with a link from page `from` to `target`.
fn link_problem(from: &str, target: &str) -> Option<String> {
    let (file, anchor) = match target.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (target, None),
    };
    let dir = Path::new(from).parent().unwrap_or(Path::new(""));
    let name = if file.is_empty() {
        from.to_string()
    } else {
        normalise(&dir.join(file))
    };
    if !root().join(&name).exists() {
        return Some(format!(
            "`{target}` leads to `{name}`, which does not exist; fix the path"
        ));
    }
    let anchor = anchor.filter(|_| name.ends_with(".md"))?;
    let missing = !anchors(&read(&name)).contains(anchor);
    missing.then(|| format!("`{name}` has no heading for `#{anchor}`; link to one of its headings"))
}

#[test]
fn every_link_between_the_pages_leads_somewhere() {
    let (mut problems, mut checked) = (Vec::new(), 0);
    for page in pages() {
        for (n, line) in prose(&page) {
            for target in link_targets(line) {
                checked += 1;
                let name = &page.name;
                problems.extend(link_problem(name, &target).map(|p| format!("{name}:{n}: {p}")));
            }
        }
    }
    assert_found(checked, 20, "links");
    assert_none(&problems);
}
