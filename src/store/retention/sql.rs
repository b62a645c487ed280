//! The purge's SQL, shared by both adapters: one statement per class, each bound to its cutoff.

/// `(class, statement)`; `$1` is the cutoff. Closed requests go before recordings are
/// cleared, so each count says what that class alone removed.
pub(in crate::store) const PURGES: [(&str, &str); 10] = [
    ("call_steps", "delete from call_steps where at < $1"),
    ("pin_failures", "delete from pin_failures where at < $1"),
    (
        "expired_blocks",
        "delete from blocked_numbers where expires_at < $1",
    ),
    (
        "unfinished_requests",
        "delete from unfinished_requests where updated_at < $1",
    ),
    (
        "queue_entries",
        "delete from queue_entries where entered_at < $1",
    ),
    (
        "caller_numbers",
        "update calls set from_number = null where started_at < $1 and from_number is not null",
    ),
    (
        "callback_attempts",
        "delete from callback_attempts where request_id in (select id from callback_requests
         where status in ('completed', 'unreachable') and closed_at < $1)",
    ),
    (
        "callback_dials",
        "delete from callback_dials where request_id in (select id from callback_requests
         where status in ('completed', 'unreachable') and closed_at < $1)",
    ),
    (
        "closed_requests",
        "delete from callback_requests
         where status in ('completed', 'unreachable') and closed_at < $1",
    ),
    (
        "recordings",
        "update callback_requests set recording_url = null, recording_seconds = null
         where created_at < $1 and recording_url is not null",
    ),
];

pub(in crate::store) const RECORD_PURGE: &str =
    "insert into purges (id, at, class, rows_affected) values ($1, $2, $3, $4)";

pub(in crate::store) const SELECT_PURGES: &str =
    "select at, class, rows_affected from purges order by at desc, id desc limit $1";
