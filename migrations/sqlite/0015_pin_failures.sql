-- Wrong PINs entered on the operator line, one row each, so limits hold across calls and
-- across instances. The number they came from is kept only as a keyed tag; rows go after a
-- day, when no limit counts them any more.
create table pin_failures (
    id text primary key,
    caller_tag text not null,
    at integer not null
);

create index pin_failures_caller_at on pin_failures (caller_tag, at);
create index pin_failures_at on pin_failures (at);
