//! `hotline callbacks`: callback requests listed in a terminal, masked for screens others see
//! or as JSON lines for scripts.

use std::io::Write;

use anyhow::Context;

use crate::callbacks::Status;
use crate::privacy::MaskedPhone;
use crate::store::{CallbackFilter, CallbackRequest};

/// Options of `hotline callbacks`.
#[derive(clap::Args, Debug)]
pub struct CallbacksArgs {
    /// Only requests with this status (pending, claimed, completed, unreachable).
    #[arg(long)]
    pub status: Option<String>,
    /// One JSON object per line, with full phone numbers.
    #[arg(long)]
    pub json: bool,
    /// Database.
    #[arg(
        long,
        env = "HOTLINE_DATABASE_URL",
        default_value = "sqlite:hotline.db"
    )]
    pub database_url: String,
}

/// Runs `hotline callbacks`, writing to `out`.
pub async fn callbacks(args: &CallbacksArgs, out: &mut impl Write) -> anyhow::Result<()> {
    let store = crate::store::open::connect(&args.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                crate::store::without_secrets(&args.database_url)
            )
        })?;
    let statuses = match &args.status {
        Some(text) => vec![Status::parse(text).with_context(|| {
            format!("unknown status `{text}`: use pending, claimed, completed or unreachable")
        })?],
        None => Vec::new(),
    };
    let filter = CallbackFilter {
        statuses,
        ..CallbackFilter::default()
    };
    let requests = store.callback_requests(&filter).await?;
    for r in &requests {
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&json_line(r))?)?;
        } else {
            writeln!(out, "{}", text_line(r))?;
        }
    }
    if !args.json {
        writeln!(out, "{} callback request(s)", requests.len())?;
    }
    Ok(())
}

fn json_line(r: &CallbackRequest) -> serde_json::Value {
    serde_json::json!({
        "id": r.id,
        "call_sid": r.call_sid,
        "hotline": r.hotline,
        "category": r.category,
        "language": r.language,
        "phone_number": r.phone_number,
        "number_source": r.number_source,
        "dialable": r.dialable,
        "incomplete": r.incomplete,
        "safe_to_leave_message": r.safe_to_leave_message,
        "call_time": r.call_time,
        "recording_url": r.recording_url,
        "recording_seconds": r.recording_seconds,
        "status": r.status,
        "created_at": timestamp(r.created_at),
        "call_started_at": r.call_started_at.map(timestamp),
    })
}

/// Plain text is for a terminal that others may see, so the number is masked; `--json` is
/// for the operator who will call back.
fn text_line(r: &CallbackRequest) -> String {
    let safe = match r.safe_to_leave_message {
        Some(true) => "message ok",
        Some(false) => "NO MESSAGE",
        None => "message ?",
    };
    format!(
        "{}  {:<20} {:<3} {:<14} {:<10} {}  {}{}{}{}",
        timestamp(r.created_at),
        r.category,
        r.language,
        MaskedPhone(&r.phone_number),
        r.status,
        safe,
        r.call_sid,
        if r.recording_url.is_some() {
            "  (recording)"
        } else {
            ""
        },
        if r.dialable { "" } else { "  NOT DIALABLE" },
        if r.incomplete {
            "  (hung up part-way)"
        } else {
            ""
        },
    )
}

fn timestamp(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| t.to_string())
}
