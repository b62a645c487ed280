//! `hotline flows check`: every kind of finding over deliberately broken flows, as people and
//! CI see it; the shipped flows pass with every scenario; failing scenarios point at their
//! line; exit statuses.

use std::path::{Path, PathBuf};

use hotline::cli::{CheckArgs, Color, FlowsArgs, FlowsCommand, Format, flows};

use crate::support::helpers::shipped_flows;

const BROKEN: &str = "tests/fixtures/flows/broken";
const GOOD: &str = "tests/fixtures/flows/good";

/// What one run printed, and its exit status.
struct Run {
    out: String,
    err: String,
    status: i32,
}

fn check(paths: &[&Path], format: Format, deny_warnings: bool) -> Run {
    let args = FlowsArgs {
        command: FlowsCommand::Check(CheckArgs {
            paths: paths.iter().map(|p| p.to_path_buf()).collect(),
            format,
            deny_warnings,
            color: Color::Never,
        }),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = flows(&args, &mut out, &mut err);
    Run {
        out: String::from_utf8(out).expect("utf-8"),
        err: String::from_utf8(err).expect("utf-8"),
        status,
    }
}

fn json(run: &Run) -> Vec<serde_json::Value> {
    serde_json::from_str(&run.out).expect("a JSON array")
}

fn broken_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(BROKEN)
        .expect("the broken fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .expect("a name")
        .to_string()
}

#[test]
fn each_broken_flow_is_shown_like_a_compiler_would() {
    for file in broken_files() {
        let run = check(&[&file], Format::Human, false);
        insta::assert_snapshot!(format!("human-{}", stem(&file)), run.out);
    }
}

#[test]
fn the_broken_folder_as_json_for_ci() {
    let run = check(&[Path::new(BROKEN)], Format::Json, false);
    assert_eq!(run.status, 1);
    insta::assert_snapshot!("json-broken", run.out);
    assert_eq!(
        run.err,
        "14 errors, 11 warnings in 22 files; 1 of 3 scenarios passed\n"
    );
}

#[test]
fn each_broken_flow_has_exactly_the_finding_it_is_named_after() {
    for file in broken_files() {
        let name = stem(&file);
        let found = json(&check(&[&file], Format::Json, false));
        assert!(!found.is_empty(), "{name}: nothing found");
        for d in &found {
            let code = d["code"].as_str().expect("code");
            assert!(name.starts_with(code), "{name}: unexpected {code}: {d}");
            for field in ["file", "severity", "message", "help"] {
                assert!(d[field].is_string(), "{name}: no {field}: {d}");
            }
            assert!(
                d["line"].as_u64() > Some(0) && d["column"].as_u64() > Some(0),
                "{d}"
            );
        }
    }
}

#[test]
fn the_shipped_flows_have_no_errors_and_every_scenario_passes() {
    let folder = shipped_flows();
    let run = check(&[&folder], Format::Human, false);
    assert_eq!(run.status, 0, "{}", run.out);
    let summary = run.out.lines().last().expect("a summary");
    assert!(summary.starts_with("0 errors"), "{summary}");
    assert!(summary.ends_with("13 of 13 scenarios passed"), "{summary}");
    let found = json(&check(&[&folder], Format::Json, false));
    assert!(
        found.iter().all(|d| d["severity"] == "warning"),
        "{found:?}"
    );
}

#[test]
fn a_failing_scenario_is_reported_at_its_line_with_what_the_caller_heard() {
    let text = std::fs::read_to_string(shipped_flows().join("victim_hotline.toml")).expect("flow");
    let scenario = "name = \"Wrong keys until the main menu gives up: an operator\"";
    let at = text.find(scenario).expect("the scenario");
    let expectation = text[at..]
        .find("category = \"general\"")
        .expect("its category")
        + at;
    let edited = format!(
        "{}category = \"victim_assistance\"{}",
        &text[..expectation],
        &text[expectation + "category = \"general\"".len()..]
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("victim_hotline.toml");
    std::fs::write(&path, edited).expect("write");

    let run = check(&[&path], Format::Json, false);
    assert_eq!(run.status, 1);
    let found = json(&run);
    let failed: Vec<_> = found
        .iter()
        .filter(|d| d["code"] == "scenario-failed")
        .collect();
    assert_eq!(failed.len(), 1, "{found:?}");
    let d = failed[0];
    let line = text[..expectation].matches('\n').count() + 1;
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(line as u64), Some(12))
    );
    let message = d["message"].as_str().expect("message");
    assert!(
        message.contains(
            "expected category `victim_assistance`, but the caller was sent to `general`"
        ),
        "{message}"
    );
    let help = d["help"].as_str().expect("help");
    for heard in [
        "caller: presses 7",
        "Sorry, that is not one of the options",
        "(waits in the queue `general`)",
    ] {
        assert!(help.contains(heard), "{heard} missing from:\n{help}");
    }
    let summary = check(&[&path], Format::Human, false).out;
    assert!(
        summary.trim_end().ends_with("12 of 13 scenarios passed"),
        "{summary}"
    );
}

#[test]
fn warnings_fail_only_when_denied() {
    let warned = Path::new(BROKEN).join("missing-invalid-prompt.toml");
    assert_eq!(check(&[&warned], Format::Human, false).status, 0);
    assert_eq!(check(&[&warned], Format::Human, true).status, 1);
    let good = check(&[Path::new(GOOD)], Format::Human, true);
    assert_eq!(good.status, 0, "{}", good.out);
    assert_eq!(
        good.out,
        "0 errors, 0 warnings in 1 file; 2 of 2 scenarios passed\n"
    );
}

#[test]
fn an_unreadable_path_is_its_own_exit_status() {
    let run = check(
        &[Path::new("tests/fixtures/flows/nowhere")],
        Format::Human,
        false,
    );
    assert_eq!(run.status, 2);
    assert!(run.err.contains("nowhere"), "{}", run.err);
    assert!(run.out.is_empty());
}

#[test]
fn a_folder_with_two_defaults_is_refused_as_a_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = std::fs::read_to_string(Path::new(GOOD).join("help_line.toml")).expect("flow");
    let default = good.replace(
        "fallback_category = \"general\"",
        "fallback_category = \"general\"\ndefault = true",
    );
    std::fs::write(dir.path().join("one.toml"), &default).expect("write");
    std::fs::write(dir.path().join("two.toml"), &default).expect("write");
    let found = json(&check(&[dir.path()], Format::Json, false));
    let codes: Vec<&str> = found.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["several-defaults"]);
}

#[test]
fn the_server_loads_a_flow_with_warnings_and_refuses_one_with_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = |name: &str| {
        std::fs::copy(Path::new(BROKEN).join(name), dir.path().join("flow.toml")).expect("copy");
    };
    copy("missing-invalid-prompt.toml");
    let set = hotline::catalog::files::load_dir(dir.path()).expect("warnings do not stop loading");
    let codes: Vec<&str> = set.warnings().iter().map(|w| w.code).collect();
    assert_eq!(codes, ["missing-invalid-prompt"]);
    copy("dead-end.toml");
    let refused =
        hotline::catalog::files::load_dir(dir.path()).expect_err("a dead end is an error");
    assert!(refused.to_string().contains("error[dead-end]"), "{refused}");
}
