//! The container files, checked without Docker: `compose.yaml` parses and wires PostgreSQL and
//! the server as docs/deploying.md says, `.env.example` names real settings, the Dockerfile
//! builds in stages and runs as a non-root user with a health check; and `hotline probe`, that
//! health check, tells a ready server from none.

use std::collections::BTreeSet;
use std::process::Command;

use clap::CommandFactory;
use serde_yaml_ng::Value;

use crate::support::helpers::{OPEN, Options, spawn_app};

fn repository_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn compose() -> Value {
    serde_yaml_ng::from_str(&repository_file("compose.yaml")).expect("compose.yaml is YAML")
}

/// The command line as clap defines it, with the global options in every subcommand.
fn cli() -> clap::Command {
    let mut cli = hotline::cli::Cli::command();
    cli.build();
    cli
}

/// Every `HOTLINE_*` variable `hotline serve` reads.
fn serve_variables() -> BTreeSet<String> {
    let cli = cli();
    let serve = cli.find_subcommand("serve").expect("the serve command");
    serve
        .get_arguments()
        .filter_map(|a| a.get_env())
        .map(|e| e.to_string_lossy().into_owned())
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Sequence(items) => items
            .iter()
            .filter_map(|i| i.as_str())
            .map(String::from)
            .collect(),
        Value::String(one) => vec![one.clone()],
        _ => Vec::new(),
    }
}

#[test]
fn compose_runs_the_server_after_a_healthy_postgres_with_flows_read_only() {
    let file = compose();
    let postgres = &file["services"]["postgres"];
    assert_eq!(postgres["image"].as_str(), Some("postgres:15"));
    let check = strings(&postgres["healthcheck"]["test"]).join(" ");
    assert!(
        check.contains("pg_isready"),
        "postgres healthcheck: {check}"
    );

    let server = &file["services"]["hotline"];
    assert_eq!(server["build"].as_str(), Some("."));
    let condition = &server["depends_on"]["postgres"]["condition"];
    assert_eq!(condition.as_str(), Some("service_healthy"));
    assert_eq!(strings(&server["env_file"]), vec![".env".to_string()]);
    let mounts = server["volumes"]
        .as_sequence()
        .expect("the server's volumes");
    let flows = mounts
        .iter()
        .find(|m| m["source"].as_str() == Some("./call_flows"))
        .expect("call_flows is mounted");
    assert_eq!(flows["read_only"].as_bool(), Some(true), "{flows:?}");
    assert_eq!(flows["target"].as_str(), Some("/etc/hotline/call_flows"));
    for secret in [
        "HOTLINE_TWILIO_AUTH_TOKEN",
        "HOTLINE_SECRET_KEY",
        "HOTLINE_DATABASE_URL",
    ] {
        let inline = serde_yaml_ng::to_string(server).expect("YAML again");
        assert!(
            !inline.contains(secret),
            "{secret} is written in compose.yaml, not .env"
        );
    }
}

#[test]
fn the_env_example_names_the_secrets_and_only_real_settings() {
    let example = repository_file(".env.example");
    let known = serve_variables();
    let names: Vec<&str> = example
        .lines()
        .map(|l| l.trim_start_matches('#').trim())
        .filter_map(|l| l.split_once('=').map(|(name, _)| name))
        .filter(|name| name.starts_with("HOTLINE_"))
        .collect();
    for secret in [
        "HOTLINE_TWILIO_AUTH_TOKEN",
        "HOTLINE_SECRET_KEY",
        "HOTLINE_DATABASE_URL",
    ] {
        assert!(names.contains(&secret), ".env.example lacks {secret}");
    }
    for name in names {
        assert!(
            known.contains(name),
            ".env.example: `hotline serve` reads no {name}"
        );
    }
    let ignored = repository_file(".gitignore");
    assert!(
        ignored.lines().any(|l| l == ".env"),
        ".gitignore must keep .env out"
    );
    assert!(
        repository_file(".dockerignore")
            .lines()
            .any(|l| l == ".env")
    );
}

#[test]
fn the_dockerfile_builds_in_stages_and_runs_unprivileged_with_a_health_check() {
    let text = repository_file("Dockerfile");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    let stages: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("FROM "))
        .filter_map(|l| l.split_once(" AS ").map(|(_, stage)| stage.trim()))
        .collect();
    assert!(stages.len() >= 2, "FROM … AS stages: {stages:?}");
    for from in lines.iter().filter_map(|l| l.split("--from=").nth(1)) {
        let stage = from.split_whitespace().next().unwrap_or_default();
        assert!(
            stages.contains(&stage),
            "COPY --from={stage} names no stage"
        );
    }
    let last_stage = text.rsplit("\nFROM ").next().expect("a last stage");
    let user = last_stage
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("the runtime stage sets USER");
    let who = user.split(':').next().unwrap_or_default();
    assert!(!["root", "0", ""].contains(&who), "runs as {user}");
    let health = last_stage
        .split("HEALTHCHECK")
        .nth(1)
        .expect("the runtime stage has a HEALTHCHECK");
    assert!(
        health.contains(r#"CMD ["/usr/local/bin/hotline", "probe"]"#),
        "{health}"
    );
    let mut cli = hotline::cli::Cli::command();
    cli.build();
    assert!(
        cli.find_subcommand("probe").is_some(),
        "the health check's command exists"
    );
}

#[tokio::test]
async fn probe_passes_for_a_ready_server_and_fails_where_none_listens() {
    let app = spawn_app(Options::at(OPEN)).await;
    let bound = app.base.trim_start_matches("http://").to_string();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let nobody = closed.local_addr().expect("its address").to_string();
    drop(closed);
    for (bind, ready) in [(bound, true), (nobody, false)] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hotline"));
        command.args(["probe", "--bind", &bind]);
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("the probe ran")
            .expect("the binary started");
        let said = String::from_utf8_lossy(&output.stdout).into_owned();
        assert_eq!(output.status.success(), ready, "{bind}: {said}");
        if ready {
            assert!(
                said.contains("200 OK") && said.contains(r#""database":"ok""#),
                "{said}"
            );
        }
    }
}
