//! `hotline db`: bring a database's schema up to date, or copy a hotline's records from one
//! database to another (the move from the embedded SQLite file to PostgreSQL).

use std::io::Write;

use anyhow::Context;
use clap::Subcommand;

use crate::store::copy::{Database, copy_all};
use crate::store::without_secrets;

/// Options of `hotline db`.
#[derive(clap::Args, Debug)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

/// What to do with a database.
#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Create the tables or bring them up to date (serve also does this at start).
    Migrate {
        /// The database.
        #[arg(
            long,
            env = "HOTLINE_DATABASE_URL",
            default_value = "sqlite:hotline.db"
        )]
        database_url: String,
    },
    /// Copy every record (calls, steps, queue stays, callback requests and attempts,
    /// operators, tokens, the audit log) into another database. Repeatable: rows already
    /// there are brought up to date, so copy, stop the old server, copy again, start the new.
    Copy {
        /// Where the records are now, e.g. sqlite:hotline.db.
        #[arg(long)]
        from: String,
        /// Where they should go, e.g. postgres://hotline@db.internal/hotline.
        #[arg(long)]
        to: String,
    },
}

/// Runs `hotline db`, writing what it did to `out`.
pub async fn db(args: &DbArgs, out: &mut impl Write) -> anyhow::Result<()> {
    match &args.command {
        DbCommand::Migrate { database_url } => {
            crate::store::open::connect(database_url)
                .await
                .with_context(|| format!("cannot migrate {}", without_secrets(database_url)))?;
            writeln!(out, "{}: schema up to date", without_secrets(database_url))?;
        }
        DbCommand::Copy { from, to } => {
            for url in [from, to] {
                crate::store::open::connect(url)
                    .await
                    .with_context(|| format!("cannot open {}", without_secrets(url)))?;
            }
            let source = Database::open(from).await?;
            let target = Database::open(to).await?;
            let copied = copy_all(&source, &target).await.with_context(|| {
                format!(
                    "copying into {} stopped; run it again to finish",
                    without_secrets(to)
                )
            })?;
            for (table, rows) in copied {
                writeln!(out, "{table:<18} {rows:>8} rows")?;
            }
            writeln!(
                out,
                "copied {} into {}",
                without_secrets(from),
                without_secrets(to)
            )?;
        }
    }
    Ok(())
}
