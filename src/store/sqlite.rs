//! The SQLite adapter: opening the database file, its schema migrations, the
//! SQL for every write and every read. Writes go through the group-commit
//! writer in `writer.rs`; reads use a small pool of their own.

use std::str::FromStr;
use std::time::Duration;

use sqlx::query::Query;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool,
    SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Executor, Sqlite};

use super::writer::Writer;
use super::{
    CallRecord, CallWrite, CallbackFilter, CallbackRequest, NewCall, NewCallbackRequest,
    NumberSource, QueueEntry, StepRecord, Store, StoreError,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// How long a statement waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections for reads; in WAL mode they never wait for the writer.
const READ_CONNECTIONS: u32 = 4;

/// A [`Store`] kept in one SQLite file.
pub struct SqliteStore {
    reads: SqlitePool,
    writer: Writer,
}

impl SqliteStore {
    /// Opens the SQLite database named by `url` (`sqlite:PATH` or
    /// `sqlite://PATH`), creating the file if missing and running migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = connect_options(url)?;
        // One connection does all the writing: SQLite allows one writer at a
        // time anyway, and the writer task batches concurrent writes onto it.
        let writes = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&writes).await.map_err(StoreError::Migration)?;
        let reads = SqlitePoolOptions::new()
            .max_connections(READ_CONNECTIONS)
            .connect_with(options)
            .await?;
        Ok(Self {
            reads,
            writer: Writer::spawn(writes),
        })
    }

    /// How many transactions the writer has committed since the store was opened.
    #[doc(hidden)]
    pub fn commits(&self) -> u64 {
        self.writer.commits()
    }
}

fn connect_options(url: &str) -> Result<SqliteConnectOptions, StoreError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|error| StoreError::UnsupportedUrl(format!("{url} ({error})")))?;
    Ok(options
        .create_if_missing(true)
        // WAL: readers never block the writer nor wait for it, and a commit
        // appends to one file instead of rewriting pages in place.
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit is synced to disk before it returns. A caller is
        // told their callback request is recorded only after the commit, so
        // it must survive a power loss from that moment on. (WAL's usual
        // NORMAL could lose the last commits.)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
        // No table declares a foreign key (see the migration); enforcing
        // them keeps any added later honest.
        .foreign_keys(true))
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn write(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        self.writer.write(writes).await
    }

    async fn call(&self, call_sid: &str) -> Result<Option<CallRecord>, StoreError> {
        let call = sqlx::query_as::<_, CallRecord>(SELECT_CALL)
            .bind(call_sid)
            .fetch_optional(&self.reads)
            .await?;
        Ok(call)
    }

    async fn steps(&self, call_sid: &str) -> Result<Vec<StepRecord>, StoreError> {
        let steps = sqlx::query_as::<_, StepRecord>(SELECT_STEPS)
            .bind(call_sid)
            .fetch_all(&self.reads)
            .await?;
        Ok(steps)
    }

    async fn queue_entries(&self, call_sid: &str) -> Result<Vec<QueueEntry>, StoreError> {
        let entries = sqlx::query_as::<_, QueueEntry>(SELECT_QUEUE_ENTRIES)
            .bind(call_sid)
            .fetch_all(&self.reads)
            .await?;
        Ok(entries)
    }

    async fn callback_requests(
        &self,
        filter: &CallbackFilter,
    ) -> Result<Vec<CallbackRequest>, StoreError> {
        let limit = filter.limit.map_or(i64::MAX, |limit| limit.max(0));
        let query = match &filter.status {
            Some(status) => sqlx::query_as::<_, CallbackRow>(SELECT_CALLBACKS_WITH_STATUS)
                .bind(status.as_str())
                .bind(limit),
            None => sqlx::query_as::<_, CallbackRow>(SELECT_CALLBACKS).bind(limit),
        };
        let rows = query.fetch_all(&self.reads).await?;
        rows.into_iter().map(CallbackRow::into_request).collect()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        if !self.writer.is_running() {
            return Err(StoreError::WriterGone);
        }
        self.reads.execute("select 1").await?;
        Ok(())
    }
}

/// Applies one write on `conn`, which the caller has put in a transaction.
pub(super) async fn apply(conn: &mut SqliteConnection, write: &CallWrite) -> sqlx::Result<()> {
    statement(write).execute(conn).await?;
    Ok(())
}

type Statement = Query<'static, Sqlite, SqliteArguments>;

fn statement(write: &CallWrite) -> Statement {
    match write {
        CallWrite::StartCall(call) => start_call(call),
        CallWrite::Step(step) => insert_step(step),
        CallWrite::SetLanguage { call_sid, language } => set(SET_LANGUAGE, call_sid, language),
        CallWrite::SetCategory { call_sid, category } => set(SET_CATEGORY, call_sid, category),
        CallWrite::QueueEntered {
            call_sid,
            seq,
            category,
            queue,
            at,
        } => queue_entered(call_sid, *seq, category, queue, *at),
        CallWrite::QueueWaited {
            call_sid,
            seq,
            position,
            wait_seconds,
            at,
        } => queue_update(QUEUE_WAITED, call_sid, *seq, *at)
            .bind(*position)
            .bind(*wait_seconds),
        CallWrite::QueueLeft {
            call_sid,
            seq,
            result,
            wait_seconds,
            at,
        } => queue_update(QUEUE_LEFT, call_sid, *seq, *at)
            .bind(result.as_str())
            .bind(*wait_seconds),
        CallWrite::CallbackRequested(request) => insert_callback(request),
        CallWrite::CallEnded {
            call_sid,
            status,
            duration_seconds,
            sequence,
            at,
        } => call_ended(call_sid, status, *duration_seconds, *sequence, *at),
    }
}

/// An update of one column of a call's row.
fn set(sql: &'static str, call_sid: &str, value: &str) -> Statement {
    sqlx::query(sql).bind(call_sid).bind(value)
}

fn insert_step(step: &StepRecord) -> Statement {
    sqlx::query(INSERT_STEP)
        .bind(step.call_sid.as_str())
        .bind(step.seq)
        .bind(step.node.as_str())
        .bind(step.input.as_deref())
        .bind(step.outcome.as_str())
        .bind(step.at)
}

fn queue_entered(call_sid: &str, seq: i64, category: &str, queue: &str, at: i64) -> Statement {
    sqlx::query(INSERT_QUEUE_ENTRY)
        .bind(call_sid)
        .bind(seq)
        .bind(category)
        .bind(queue)
        .bind(at)
}

/// An update of a queue entry: binds $1 to $3; the caller binds the rest.
fn queue_update(sql: &'static str, call_sid: &str, seq: i64, at: i64) -> Statement {
    sqlx::query(sql).bind(call_sid).bind(seq).bind(at)
}

fn call_ended(
    call_sid: &str,
    status: &str,
    duration_seconds: Option<i64>,
    sequence: Option<i64>,
    at: i64,
) -> Statement {
    sqlx::query(CALL_ENDED)
        .bind(call_sid)
        .bind(status)
        .bind(duration_seconds)
        .bind(sequence.unwrap_or(0))
        .bind(at)
}

fn start_call(call: &NewCall) -> Statement {
    sqlx::query(START_CALL)
        .bind(call.call_sid.as_str())
        .bind(call.hotline.as_str())
        .bind(call.flow_version.as_str())
        .bind(call.from_number.as_deref())
        .bind(call.to_number.as_deref())
        .bind(call.language.as_str())
        .bind(call.started_at)
}

fn insert_callback(request: &NewCallbackRequest) -> Statement {
    sqlx::query(INSERT_CALLBACK)
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(request.call_sid.as_str())
        .bind(request.hotline.as_str())
        .bind(request.category.as_str())
        .bind(request.language.as_str())
        .bind(request.phone_number.as_str())
        .bind(request.number_source.as_str())
        .bind(request.safe_to_leave_message)
        .bind(request.recording_url.as_deref())
        .bind(request.recording_seconds)
        .bind(request.created_at)
}

#[derive(sqlx::FromRow)]
struct CallbackRow {
    id: String,
    call_sid: String,
    hotline: String,
    category: String,
    language: String,
    phone_number: String,
    number_source: String,
    safe_to_leave_message: Option<bool>,
    recording_url: Option<String>,
    recording_seconds: Option<i64>,
    call_started_at: Option<i64>,
    created_at: i64,
    status: String,
}

impl CallbackRow {
    fn into_request(self) -> Result<CallbackRequest, StoreError> {
        let number_source = NumberSource::parse(&self.number_source).ok_or_else(|| {
            StoreError::Corrupt(format!("callback request {}: number_source", self.id))
        })?;
        Ok(CallbackRequest {
            id: self.id,
            call_sid: self.call_sid,
            hotline: self.hotline,
            category: self.category,
            language: self.language,
            phone_number: self.phone_number,
            number_source,
            safe_to_leave_message: self.safe_to_leave_message,
            recording_url: self.recording_url,
            recording_seconds: self.recording_seconds,
            call_started_at: self.call_started_at,
            created_at: self.created_at,
            status: self.status,
        })
    }
}

// A retried start is ignored, except that it fills in a placeholder row
// (hotline '') left by a status callback that came first.
const START_CALL: &str = "
insert into calls (call_sid, hotline, flow_version, from_number, to_number, language, started_at)
values ($1, $2, $3, $4, $5, $6, $7)
on conflict (call_sid) do update set
    hotline = excluded.hotline,
    flow_version = excluded.flow_version,
    from_number = excluded.from_number,
    to_number = excluded.to_number,
    language = case when calls.language = '' then excluded.language else calls.language end,
    started_at = excluded.started_at
where calls.hotline = ''";

const INSERT_STEP: &str = "
insert into call_steps (call_sid, seq, node, input, outcome, at)
values ($1, $2, $3, $4, $5, $6)
on conflict (call_sid, seq) do nothing";

const SET_LANGUAGE: &str = "update calls set language = $2 where call_sid = $1";

const SET_CATEGORY: &str = "update calls set category = $2 where call_sid = $1";

const INSERT_QUEUE_ENTRY: &str = "
insert into queue_entries (call_sid, seq, category, queue, entered_at)
values ($1, $2, $3, $4, $5)
on conflict (call_sid, seq) do nothing";

// Polls may overtake each other: an older one never replaces a newer one.
const QUEUE_WAITED: &str = "
update queue_entries
set last_position = $4, last_wait_seconds = $5, last_polled_at = $3
where call_sid = $1 and seq = $2 and ended_at is null
    and (last_polled_at is null or last_polled_at <= $3)";

const QUEUE_LEFT: &str = "
update queue_entries
set ended_at = $3, result = $4, wait_seconds = $5
where call_sid = $1 and seq = $2 and ended_at is null";

const INSERT_CALLBACK: &str = "
insert into callback_requests (
    id, call_sid, hotline, category, language, phone_number, number_source,
    safe_to_leave_message, recording_url, recording_seconds, created_at)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
on conflict (call_sid) do nothing";

// The rules are documented on `CallWrite::CallEnded`; $4 is the sequence
// number with a missing one as 0. The stored sequence only ever grows.
const CALL_ENDED: &str = "
insert into calls (
    call_sid, hotline, flow_version, language, started_at,
    status, duration_seconds, status_sequence, ended_at)
values ($1, '', '', '', $5, $2, $3, $4,
    case when $2 in ('completed', 'busy', 'failed', 'no-answer', 'canceled') then $5 end)
on conflict (call_sid) do update set
    status = excluded.status,
    duration_seconds = coalesce(excluded.duration_seconds, calls.duration_seconds),
    ended_at = excluded.ended_at,
    status_sequence = case
        when calls.status_sequence > excluded.status_sequence then calls.status_sequence
        else excluded.status_sequence end
where not (
        calls.status in ('completed', 'busy', 'failed', 'no-answer', 'canceled')
        and excluded.status not in ('completed', 'busy', 'failed', 'no-answer', 'canceled'))
    and (
        (calls.status not in ('completed', 'busy', 'failed', 'no-answer', 'canceled')
            and excluded.status in ('completed', 'busy', 'failed', 'no-answer', 'canceled'))
        or calls.status_sequence is null
        or calls.status_sequence < excluded.status_sequence)";

const SELECT_CALL: &str = "
select call_sid, hotline, flow_version, from_number, to_number, language, category,
    started_at, ended_at, status, duration_seconds
from calls where call_sid = $1";

const SELECT_STEPS: &str = "
select call_sid, seq, node, input, outcome, at
from call_steps where call_sid = $1 order by seq";

const SELECT_QUEUE_ENTRIES: &str = "
select call_sid, seq, category, queue, entered_at, last_position, last_wait_seconds,
    ended_at, result, wait_seconds
from queue_entries where call_sid = $1 order by seq";

// A placeholder call row's started_at is not the call's start: hide it.
const SELECT_CALLBACKS: &str = "
select r.id, r.call_sid, r.hotline, r.category, r.language, r.phone_number, r.number_source,
    r.safe_to_leave_message, r.recording_url, r.recording_seconds,
    case when c.hotline <> '' then c.started_at end as call_started_at,
    r.created_at, r.status
from callback_requests r left join calls c on c.call_sid = r.call_sid
order by r.created_at, r.id
limit $1";

// As SELECT_CALLBACKS, filtered by status: a separate statement so that the
// (status, created_at) index serves it.
const SELECT_CALLBACKS_WITH_STATUS: &str = "
select r.id, r.call_sid, r.hotline, r.category, r.language, r.phone_number, r.number_source,
    r.safe_to_leave_message, r.recording_url, r.recording_seconds,
    case when c.hotline <> '' then c.started_at end as call_started_at,
    r.created_at, r.status
from callback_requests r left join calls c on c.call_sid = r.call_sid
where r.status = $1
order by r.created_at, r.id
limit $2";
