//! `hotline flows simulate`: a call in the terminal. It runs the same engine as the server, so
//! what it shows is what callers get: the words heard, the node and category reached, and how
//! the call ended. Keys are typed one step per line, or given all at once with `--script`.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::authoring::scenario::call::Call;
use crate::authoring::scenario::call_back::{self, CallBack};
use crate::authoring::scenario::script;
use crate::callbacks::pacing::Wait;
use crate::engine::{CallContext, Links};
use crate::flow::Flow;

/// Where the simulated call's links point; never requested.
const SIMULATED_BASE: &str = "https://simulator.invalid";

/// Options of `hotline flows simulate`.
#[derive(clap::Args, Debug)]
pub struct SimulateArgs {
    /// A flow file, or the id of a hotline in `--flows`.
    pub flow: String,
    /// The folder of flow files, for a hotline given by id.
    #[arg(long, env = "HOTLINE_FLOWS", default_value = "call_flows")]
    pub flows: PathBuf,
    /// Start the call in this language (one of the flow's ids, e.g. `es`).
    #[arg(long)]
    pub lang: Option<String>,
    /// The instant of the call: RFC 3339 (`2026-12-25T19:00:00-05:00`) or the hotline's local
    /// time (`2026-12-25T19:00`). Default: now.
    #[arg(long)]
    pub at: Option<String>,
    /// The caller's number, or `withheld`.
    #[arg(long, default_value = "+12025550123")]
    pub caller: String,
    /// Steps separated by commas, e.g. `1,2,silence,record,hangup`; without it, steps are read
    /// one per line.
    #[arg(long)]
    pub script: Option<String>,
    /// The categories someone is available for, separated by commas, or `none`; without it,
    /// every category is staffed.
    #[arg(long)]
    pub staffed: Option<String>,
}

/// Runs the simulated call, reading steps from `input` unless a script is given.
pub fn simulate(
    args: &SimulateArgs,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let flow = load(&args.flow, &args.flows)?;
    let now = instant(args.at.as_deref(), &flow)?;
    let links = Links::new(SIMULATED_BASE);
    let caller = (args.caller != "withheld").then_some(args.caller.as_str());
    let staffed = staffed(args.staffed.as_deref(), &flow)?;
    let ctx = CallContext {
        caller,
        now,
        links: &links,
        staffed: staffed.as_ref(),
    };
    let language = match &args.lang {
        Some(l) if flow.languages.iter().any(|x| &x.id == l) => l.clone(),
        Some(l) => bail!(
            "`{l}` is not a language of this flow; it has {}",
            language_ids(&flow)
        ),
        None => flow.default_language().id.clone(),
    };
    let mut call = Call::start_in(&flow, &ctx, &language);
    writeln!(out, "call to {} at {now}", flow.name)?;
    let mut shown = show(&call, 0, out)?;
    let scripted: Option<Vec<String>> = args
        .script
        .as_ref()
        .map(|s| s.split(',').map(|p| p.trim().to_string()).collect());
    let mut steps = scripted.into_iter().flatten();
    while !call.ended() {
        let step = match args.script {
            Some(_) => match steps.next() {
                Some(step) => step,
                None => break,
            },
            None => match ask(&call, input, out)? {
                Some(step) => step,
                None => break,
            },
        };
        match script::parse(&step).and_then(|i| call.act(&i)) {
            Ok(()) => shown = show(&call, shown, out)?,
            Err(why) => writeln!(out, "  ! {why}")?,
        }
    }
    writeln!(out, "outcome: {}", call.outcome())?;
    if let Some(request) = &call.callback {
        let safe = match request.safe_to_leave_message {
            Some(true) => "a message may be left",
            Some(false) => "no message may be left",
            None => "not asked about messages",
        };
        let when = request
            .call_time
            .map(|t| format!(", to be called {}", t.words()))
            .unwrap_or_default();
        writeln!(
            out,
            "callback request: {} in {}, {safe}{when}",
            request.category, request.language
        )?;
        show_call_back(&CallBack::of(&flow, request, now), &flow, out)?;
    }
    Ok(())
}

/// When the line may first call the request back, and what whoever answers hears.
fn show_call_back(back: &CallBack, flow: &Flow, out: &mut dyn Write) -> anyhow::Result<()> {
    let CallBack::Placed {
        first,
        wait,
        check,
        without_key,
    } = back
    else {
        if let CallBack::Never(why) = back {
            writeln!(out, "call back: never ({why})")?;
        }
        return Ok(());
    };
    let why = match wait {
        None => "",
        Some(Wait::Gap) => " (after the gap between attempts)",
        Some(Wait::CallingHours) => " (the calling hours)",
        Some(Wait::CallerTime) => " (when the caller asked)",
    };
    writeln!(
        out,
        "first call back: {}{why}",
        call_back::local(*first, flow)
    )?;
    writeln!(out, "  whoever answers hears: {}", check.join(" "))?;
    let silence = if without_key.is_empty() {
        "nothing; the line hangs up".to_string()
    } else {
        without_key.join(" ")
    };
    writeln!(out, "  if nobody presses 1: {silence}")?;
    Ok(())
}

/// Prints the transcript lines after the first `from`, and where the call now is.
fn show(call: &Call<'_>, from: usize, out: &mut dyn Write) -> anyhow::Result<usize> {
    for line in call.transcript.iter().skip(from) {
        writeln!(out, "{line}")?;
    }
    let state = &call.state;
    let category = state.category.as_deref().unwrap_or("none yet");
    writeln!(
        out,
        "        [node {} · category {category} · language {}]",
        state.node, state.language
    )?;
    Ok(call.transcript.len())
}

/// One step typed by the person at the keyboard; `None` at the end of input.
fn ask(
    call: &Call<'_>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<Option<String>> {
    loop {
        write!(out, "({}) > ", call.doing())?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(None);
        }
        let step = line.trim();
        if !step.is_empty() {
            return Ok(Some(step.to_string()));
        }
        writeln!(
            out,
            "  steps: a key (1), a number (2025550123), silence, record, record:30, wait:6, queue:bridged, transfer:completed, hangup"
        )?;
    }
}

/// A flow file, or a hotline of the flows folder by id.
pub fn load(flow: &str, folder: &Path) -> anyhow::Result<Flow> {
    let path = Path::new(flow);
    let (id, name, text) = if path.is_file() {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {flow}"))?;
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("flow")
            .to_string();
        (id, path.display().to_string(), text)
    } else {
        let sources = crate::catalog::files::read_dir(folder)?;
        let known: Vec<&str> = sources.iter().map(|s| s.0.as_str()).collect();
        let Some(found) = sources.iter().find(|s| s.0 == flow) else {
            bail!(
                "`{flow}` is neither a file nor a hotline in {}; hotlines: {}",
                folder.display(),
                known.join(", ")
            );
        };
        found.clone()
    };
    crate::catalog::load(&id, &name, &text).map_err(|errors| {
        anyhow::anyhow!(
            "{errors}\n\nthe flow has errors; `hotline flows check {name}` shows them all"
        )
    })
}

fn instant(at: Option<&str>, flow: &Flow) -> anyhow::Result<jiff::Timestamp> {
    let Some(text) = at else {
        return Ok(jiff::Timestamp::now());
    };
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let local: jiff::civil::DateTime = text.parse().with_context(|| {
        format!("`{text}` is not a time like 2026-12-25T19:00 or 2026-12-25T19:00:00-05:00")
    })?;
    Ok(local.to_zoned_datetime(flow.time_zone.clone())?.timestamp())
}

/// The categories `--staffed` names (`none` for nobody), each one the flow's.
fn staffed(list: Option<&str>, flow: &Flow) -> anyhow::Result<Option<BTreeSet<String>>> {
    let Some(list) = list.map(str::trim) else {
        return Ok(None);
    };
    if list == "none" {
        return Ok(Some(BTreeSet::new()));
    }
    let mut staffed = BTreeSet::new();
    for id in list.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        if !flow.categories.contains_key(id) {
            let known: Vec<&str> = flow.categories.keys().map(String::as_str).collect();
            bail!(
                "`{id}` in --staffed is not a category of this flow; it has {} (or write none)",
                known.join(", ")
            );
        }
        staffed.insert(id.to_string());
    }
    Ok(Some(staffed))
}

fn language_ids(flow: &Flow) -> String {
    flow.languages
        .iter()
        .map(|l| l.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
