-- Old callers' data is purged on a schedule; each purge is recorded here: which class of data,
-- how many rows, when. Never what was purged.
create table purges (
    id text primary key,
    at bigint not null,
    class text not null,
    rows_affected bigint not null
);

create index call_steps_at on call_steps (at);
create index callback_requests_closed_at on callback_requests (closed_at);
