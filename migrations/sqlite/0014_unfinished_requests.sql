-- What a caller on the callback path has given so far, one row per call, kept current by
-- each webhook. When the call ends without a saved request, a row with a number becomes a
-- request flagged incomplete; one without counts as a missed request in the reports.
create table unfinished_requests (
    call_sid text primary key,
    hotline text not null,
    category text not null,
    language text not null,
    -- Null while the line has no number it may use (withheld, or another one not confirmed).
    phone_number text,
    number_source text not null check (number_source in ('caller', 'entered')),
    dialable integer not null check (dialable in (0, 1)),
    safe_to_leave_message integer check (safe_to_leave_message in (0, 1)),
    call_time text check (call_time in ('morning', 'afternoon', 'evening', 'any')),
    priority integer not null,
    -- 0 once the caller heard a goodbye on the path without a request being saved.
    open integer not null default 1 check (open in (0, 1)),
    -- The step number of the webhook that wrote the row: a retried or late older webhook
    -- never undoes what a newer one recorded.
    seq integer not null,
    updated_at integer not null
);

-- Finding calls whose end was never reported, and the reports' periods.
create index unfinished_requests_updated_at on unfinished_requests (updated_at);

-- A request made from what a caller gave before hanging up part-way.
alter table callback_requests
    add column incomplete integer not null default 0 check (incomplete in (0, 1));
