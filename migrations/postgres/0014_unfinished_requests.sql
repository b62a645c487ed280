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
    dialable boolean not null,
    safe_to_leave_message boolean,
    call_time text check (call_time in ('morning', 'afternoon', 'evening', 'any')),
    priority bigint not null,
    -- False once the caller heard a goodbye on the path without a request being saved.
    open boolean not null default true,
    -- The step number of the webhook that wrote the row: a retried or late older webhook
    -- never undoes what a newer one recorded.
    seq bigint not null,
    updated_at bigint not null
);

-- Finding calls whose end was never reported, and the reports' periods.
create index unfinished_requests_updated_at on unfinished_requests (updated_at);

-- A request made from what a caller gave before hanging up part-way.
alter table callback_requests add column incomplete boolean not null default false;
