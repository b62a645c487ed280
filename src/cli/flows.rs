//! `hotline flows`: tools for the people who edit call-flow files. `check` reads the files
//! (or folders) it is given, checks them, runs their scenarios, and reports what it found;
//! `simulate` plays a call in the terminal; `graph` draws a flow; `diff` says what an edit
//! changes for callers.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::simulate::{SimulateArgs, load, simulate};
use crate::authoring::report::{self, FileReport, Look};
use crate::catalog::set::default_problems;
use crate::flow::FlowDiagnostic;

/// Columns human reports wrap at: narrow enough for a terminal, the same on every machine.
const WIDTH: usize = 100;

/// Exit status: nothing stops these flows.
pub const EXIT_OK: i32 = 0;
/// Exit status: errors (or, with `--deny-warnings`, warnings) were found.
pub const EXIT_PROBLEMS: i32 = 1;
/// Exit status: a file or folder could not be read.
pub const EXIT_UNREADABLE: i32 = 2;

/// Options of `hotline flows`.
#[derive(clap::Args, Debug)]
pub struct FlowsArgs {
    #[command(subcommand)]
    pub command: FlowsCommand,
}

/// What to do with flow files.
#[derive(clap::Subcommand, Debug)]
pub enum FlowsCommand {
    /// Check flow files and run their scenarios; exits 1 if any error is found.
    Check(CheckArgs),
    /// Play a call in the terminal: what the caller hears, the node and category reached.
    Simulate(SimulateArgs),
    /// Draw a flow as Mermaid or Graphviz DOT text.
    Graph(GraphArgs),
    /// What changes for callers between two versions of a flow file.
    Diff(DiffArgs),
}

/// Options of `hotline flows graph`.
#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// A flow file, or the id of a hotline in `--flows`.
    pub flow: String,
    /// The folder of flow files, for a hotline given by id.
    #[arg(long, env = "HOTLINE_FLOWS", default_value = "call_flows")]
    pub flows: PathBuf,
    /// `mermaid` (for Markdown and the browser) or `dot` (for `dot -Tsvg`).
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}

/// A picture's text format.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// Mermaid flowchart.
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// Options of `hotline flows diff`.
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The flow file as it is now (e.g. the published one).
    pub old: PathBuf,
    /// The edited flow file.
    pub new: PathBuf,
}

/// Options of `hotline flows check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Flow files, or folders of them.
    #[arg(default_value = "call_flows")]
    pub paths: Vec<PathBuf>,
    /// `human` (for people) or `json` (for CI: an array of problems).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Colours in human reports: `auto` (when writing to a terminal), `always` or `never`.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// How problems are reported.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Compiler-style, with the source line.
    Human,
    /// A JSON array.
    Json,
}

/// When to use colours.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// When standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Runs `hotline flows`, writing reports to `out` and trouble reading files to `err`; returns
/// the exit status.
pub fn flows(args: &FlowsArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match &args.command {
        FlowsCommand::Check(check) => run_check(check, out, err),
        FlowsCommand::Simulate(sim) => {
            let result = simulate(sim, &mut std::io::stdin().lock(), out);
            report_failure(result, err)
        }
        FlowsCommand::Graph(graph) => report_failure(draw(graph, out), err),
        FlowsCommand::Diff(diff) => report_failure(compare(diff, out), err),
    }
}

fn report_failure(result: anyhow::Result<()>, err: &mut dyn Write) -> i32 {
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "error: {e:#}");
            EXIT_PROBLEMS
        }
    }
}

/// `hotline flows graph`.
pub fn draw(args: &GraphArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let flow = load(&args.flow, &args.flows)?;
    let graph = crate::authoring::graph::build(&flow);
    let text = match args.format {
        GraphFormat::Mermaid => crate::authoring::graph::mermaid(&graph),
        GraphFormat::Dot => crate::authoring::graph::dot(&graph, &flow.id),
    };
    write!(out, "{text}")?;
    Ok(())
}

/// `hotline flows diff`.
pub fn compare(args: &DiffArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let folder = Path::new(".");
    let old = load(&args.old.display().to_string(), folder)?;
    let new = load(&args.new.display().to_string(), folder)?;
    let changes = crate::authoring::diff::diff(&old, &new);
    write!(out, "{}", crate::authoring::diff::render(&changes))?;
    Ok(())
}

fn run_check(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut files = Vec::new();
    let mut others = Vec::new();
    for path in &args.paths {
        match check_path(path) {
            Ok((mut f, mut o)) => {
                files.append(&mut f);
                others.append(&mut o);
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return EXIT_UNREADABLE;
            }
        }
    }
    let summary = report::summary(&files, &others);
    let written = match args.format {
        Format::Human => {
            let look = Look {
                color: wants_color(args.color),
                width: WIDTH,
            };
            write!(out, "{}", report::human(&files, &others, look))
                .and_then(|()| writeln!(out, "{summary}"))
        }
        Format::Json => writeln!(out, "{}", report::json(&files, &others))
            .and_then(|()| writeln!(err, "{summary}")),
    };
    if written.and_then(|()| out.flush()).is_err() {
        return EXIT_UNREADABLE;
    }
    status(&files, &others, args.deny_warnings)
}

/// Exit status for what was found.
fn status(files: &[FileReport], others: &[FlowDiagnostic], deny_warnings: bool) -> i32 {
    let all = || files.iter().flat_map(|f| &f.diagnostics).chain(others);
    let fails = |d: &FlowDiagnostic| d.is_error() || deny_warnings;
    if all().any(fails) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}

/// A file, or a folder as the server would load it (with its folder-wide problems).
pub(super) fn check_path(path: &Path) -> anyhow::Result<(Vec<FileReport>, Vec<FlowDiagnostic>)> {
    if !path.is_dir() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or("flow");
        return Ok((
            vec![report::check_file(id, &path.display().to_string(), &text)],
            Vec::new(),
        ));
    }
    let sources = crate::catalog::files::read_dir(path)?;
    let files: Vec<FileReport> = sources
        .iter()
        .map(|(id, name, text)| report::check_file(id, name, text))
        .collect();
    let defaults: Vec<&str> = sources
        .iter()
        .zip(&files)
        .filter(|(_, f)| f.is_default)
        .map(|((id, _, _), _)| id.as_str())
        .collect();
    let first = sources.first().map_or("", |s| s.1.as_str());
    let folder = if files
        .iter()
        .any(|f| f.diagnostics.iter().any(FlowDiagnostic::is_error))
    {
        // As at start-up: which file is the default only matters once every file is right.
        Vec::new()
    } else {
        default_problems(files.len(), &defaults, first)
    };
    Ok((files, folder))
}

fn wants_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}
