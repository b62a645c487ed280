//! `hotline purge`: removes callers' data older than the retention allows, now (the server also
//! does it every hour), and says how many rows of each class went. Each purge is recorded.

use std::io::Write;

use anyhow::Context;

use crate::config::RetentionArgs;
use crate::store::without_secrets;

/// Options of `hotline purge`.
#[derive(clap::Args, Debug)]
pub struct PurgeArgs {
    /// Database.
    #[arg(
        long,
        env = "HOTLINE_DATABASE_URL",
        default_value = "sqlite:hotline.db"
    )]
    pub database_url: String,
    /// How long each class of data is kept.
    #[command(flatten)]
    pub retention: RetentionArgs,
}

/// Runs `hotline purge` at `now` (ms since the epoch), writing the counts to `out`.
pub async fn purge(args: &PurgeArgs, now: i64, out: &mut impl Write) -> anyhow::Result<()> {
    let store = crate::store::open::connect(&args.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                without_secrets(&args.database_url)
            )
        })?;
    let purged = store.purge(&args.retention.cutoffs(now), now).await?;
    for p in &purged {
        writeln!(out, "{:<18} {:>8} rows", p.class, p.rows)?;
    }
    writeln!(out, "purged and recorded ({} classes)", purged.len())?;
    Ok(())
}
