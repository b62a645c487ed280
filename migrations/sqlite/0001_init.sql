-- What the server records about calls: one row per call, the steps it took
-- through the menus, its time in queues, and callback requests.
--
-- Times are integers: milliseconds since the Unix epoch.
--
-- None of these tables declares a foreign key. They are logs fed by webhooks
-- that arrive out of order, are retried, and may find the database down for a
-- moment: a step or a queue entry must be kept even when the call's own row
-- was never written, so no row may depend on another row existing.

create table calls (
    call_sid text primary key,
    -- '' in hotline, flow_version and language marks a placeholder row: the
    -- call's end was recorded but its start never was. A later start fills it.
    hotline text not null,
    flow_version text not null,
    from_number text,
    to_number text,
    language text not null,
    category text,
    -- For a placeholder row: the time the server first heard of the call.
    started_at integer not null,
    ended_at integer,
    status text not null default 'in-progress',
    duration_seconds integer,
    -- The sequence number of the status callback that set status; status
    -- callbacks arrive out of order, and a lower number never overwrites a
    -- higher one. Null until the first status callback.
    status_sequence integer
);

-- Listing calls by day or hour.
create index calls_started_at on calls (started_at);

create table call_steps (
    call_sid text not null,
    -- The step's position within its call, assigned by the server; a
    -- retried webhook carries the same seq, which makes the insert a no-op.
    seq integer not null,
    node text not null,
    input text,
    outcome text not null,
    at integer not null,
    primary key (call_sid, seq)
);

create table queue_entries (
    call_sid text not null,
    -- The seq of the step that put the caller in the queue.
    seq integer not null,
    category text not null,
    queue text not null,
    entered_at integer not null,
    -- The latest wait-music poll: position and wait so far.
    last_position integer,
    last_wait_seconds integer,
    last_polled_at integer,
    -- Set once, when the caller leaves the queue (bridged, hung up, ...).
    ended_at integer,
    result text,
    wait_seconds integer,
    primary key (call_sid, seq)
);

create table callback_requests (
    -- A UUIDv7: unique without coordination, and sorts by creation time.
    id text primary key,
    -- At most one callback request per call: a retried webhook must not
    -- queue the same caller twice.
    call_sid text not null unique,
    hotline text not null,
    category text not null,
    language text not null,
    phone_number text not null,
    -- Whether phone_number is the caller ID or digits the caller keyed in.
    number_source text not null check (number_source in ('caller', 'entered')),
    -- Null when the caller was not asked.
    safe_to_leave_message integer check (safe_to_leave_message in (0, 1)),
    recording_url text,
    recording_seconds integer,
    created_at integer not null,
    status text not null default 'pending'
        check (status in ('pending', 'claimed', 'completed', 'unreachable'))
);

-- The callback worklist: pending requests, oldest first.
create index callback_requests_status_created_at on callback_requests (status, created_at);
