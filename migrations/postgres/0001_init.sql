-- What the server records about calls: one row per call, the steps it took
-- through the menus, its time in queues, and callback requests. The same
-- tables as migrations/sqlite/0001_init.sql, in PostgreSQL's types.
--
-- Times are bigints: milliseconds since the Unix epoch.
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
    started_at bigint not null,
    ended_at bigint,
    status text not null default 'in-progress',
    duration_seconds bigint,
    -- The sequence number of the status callback that set status; a lower
    -- number never overwrites a higher one. Null until the first one.
    status_sequence bigint
);

create index calls_started_at on calls (started_at);

create table call_steps (
    call_sid text not null,
    -- Assigned by the server; a retried webhook carries the same seq.
    seq bigint not null,
    node text not null,
    input text,
    outcome text not null,
    at bigint not null,
    primary key (call_sid, seq)
);

create table queue_entries (
    call_sid text not null,
    seq bigint not null,
    category text not null,
    queue text not null,
    entered_at bigint not null,
    last_position bigint,
    last_wait_seconds bigint,
    last_polled_at bigint,
    ended_at bigint,
    result text,
    wait_seconds bigint,
    primary key (call_sid, seq)
);

create table callback_requests (
    id text primary key,
    -- At most one callback request per call.
    call_sid text not null unique,
    hotline text not null,
    category text not null,
    language text not null,
    phone_number text not null,
    number_source text not null check (number_source in ('caller', 'entered')),
    safe_to_leave_message boolean,
    recording_url text,
    recording_seconds bigint,
    created_at bigint not null,
    status text not null default 'pending'
        check (status in ('pending', 'claimed', 'completed', 'unreachable'))
);

create index callback_requests_status_created_at on callback_requests (status, created_at);
