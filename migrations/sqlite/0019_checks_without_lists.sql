-- The same tables with every CHECK of three or more allowed values written as `=` tests
-- joined by `or`. SQLite evaluates `x in ('a', 'b', 'c')` by building a temporary b-tree
-- of the list on every insert and update that checks it, which cost a callback request's
-- path about a twentieth of its CPU. The allowed values are unchanged, and so is the
-- treatment of null (allowed where it was). SQLite cannot alter a CHECK, so each table is
-- rebuilt: no other table refers to these ones, and this runs in one transaction.

create table callback_requests_rebuilt (
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
    status text not null default 'pending' check (
        status = 'pending' or status = 'claimed' or status = 'completed'
        or status = 'unreachable'),
    priority integer not null default 0,
    waiting_since integer,
    claimed_by text,
    claimed_at integer,
    no_answer_attempts integer not null default 0,
    outcome text,
    closed_at integer,
    closed_by text,
    dialable integer not null default 1 check (dialable in (0, 1)),
    -- When the caller said it is safe to call them back; null when the flow did not ask.
    call_time text check (
        call_time = 'morning' or call_time = 'afternoon' or call_time = 'evening'
        or call_time = 'any'),
    offered_to text,
    offered_until integer,
    ring_at integer,
    ring_status text,
    incomplete integer not null default 0 check (incomplete in (0, 1))
);
insert into callback_requests_rebuilt select * from callback_requests;
drop table callback_requests;
alter table callback_requests_rebuilt rename to callback_requests;
create index callback_requests_status_created_at on callback_requests (status, created_at);
create index callback_requests_closed_at on callback_requests (closed_at);
create index callback_requests_created_at on callback_requests (created_at);
create index callback_requests_phone on callback_requests (phone_number);
create index callback_requests_worklist
    on callback_requests (status, priority desc, waiting_since, id);

create table unfinished_requests_rebuilt (
    call_sid text primary key,
    hotline text not null,
    category text not null,
    language text not null,
    -- Null while the line has no number it may use (withheld, or another one not confirmed).
    phone_number text,
    number_source text not null check (number_source in ('caller', 'entered')),
    dialable integer not null check (dialable in (0, 1)),
    safe_to_leave_message integer check (safe_to_leave_message in (0, 1)),
    call_time text check (
        call_time = 'morning' or call_time = 'afternoon' or call_time = 'evening'
        or call_time = 'any'),
    priority integer not null,
    -- 0 once the caller heard a goodbye on the path without a request being saved.
    open integer not null default 1 check (open in (0, 1)),
    -- The step number of the webhook that wrote the row: a retried or late older webhook
    -- never undoes what a newer one recorded.
    seq integer not null,
    updated_at integer not null
);
insert into unfinished_requests_rebuilt select * from unfinished_requests;
drop table unfinished_requests;
alter table unfinished_requests_rebuilt rename to unfinished_requests;
create index unfinished_requests_updated_at on unfinished_requests (updated_at);

create table callback_attempts_rebuilt (
    request_id text not null,
    -- 1 for the first attempt on the request, then 2, ...
    attempt integer not null,
    operator_id text not null,
    outcome text not null check (
        outcome = 'reached' or outcome = 'no_answer' or outcome = 'left_message'
        or outcome = 'wrong_number' or outcome = 'resolved' or outcome = 'referred'),
    notes text not null default '',
    at integer not null,
    primary key (request_id, attempt)
);
insert into callback_attempts_rebuilt select * from callback_attempts;
drop table callback_attempts;
alter table callback_attempts_rebuilt rename to callback_attempts;

create table callback_dials_rebuilt (
    id text primary key,
    request_id text not null,
    operator_id text not null,
    started_at integer not null,
    -- What the person called did at the neutral check (see 0008).
    screen text check (screen = 'confirmed' or screen = 'message' or screen = 'none'),
    dial_status text,
    ended_at integer,
    leg_status text
);
insert into callback_dials_rebuilt select * from callback_dials;
drop table callback_dials;
alter table callback_dials_rebuilt rename to callback_dials;
create index callback_dials_request on callback_dials (request_id, started_at);
