//! The `hotline` binary: parses the command line and runs the chosen command.

use clap::Parser;

use hotline::app::{Application, shutdown_signal};
use std::io::IsTerminal;

use hotline::cli::{Cli, Command, PasswordInput};

/// A webhook allocates and frees many small strings (the form, the call state, the TwiML); under
/// callgrind the system allocator took a fifth of the server's instructions, mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    hotline::telemetry::init_logs(cli.log_json);
    match cli.command {
        Command::Serve(args) => {
            let app = Application::build(&args).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Callbacks(args) => {
            hotline::cli::callbacks(&args, &mut std::io::stdout().lock()).await
        }
        Command::Db(args) => hotline::cli::db(&args, &mut std::io::stdout().lock()).await,
        Command::Purge(args) => {
            let now = jiff::Timestamp::now().as_millisecond();
            hotline::cli::purge(&args, now, &mut std::io::stdout().lock()).await
        }
        Command::Operators(args) => {
            let mut stdin = std::io::stdin().lock();
            let input = if stdin.is_terminal() {
                PasswordInput::Terminal
            } else {
                PasswordInput::Lines(&mut stdin)
            };
            hotline::cli::operators(&args, input, &mut std::io::stdout().lock()).await
        }
        Command::Doctor(args) => {
            let healthy = hotline::cli::doctor(&args, &mut std::io::stdout().lock()).await?;
            std::process::exit(if healthy { 0 } else { 1 })
        }
        Command::Probe(args) => {
            let ready = hotline::cli::probe(&args, &mut std::io::stdout().lock()).await?;
            std::process::exit(if ready { 0 } else { 1 })
        }
        Command::Flows(args) => {
            let status = hotline::cli::flows(&args, &mut std::io::stdout(), &mut std::io::stderr());
            std::process::exit(status)
        }
    }
}
