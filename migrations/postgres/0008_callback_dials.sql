-- Call backs the line places itself: one row a dial, written (with the request's claim)
-- before the provider is told to dial, and completed by whichever instance receives the
-- result, once. `screen` is what the person called did at the neutral check: `confirmed`
-- (pressed the key and was connected), `message` (no key; the neutral message was left) or
-- `none` (no key, nothing said).
create table callback_dials (
    id text primary key,
    request_id text not null,
    operator_id text not null,
    started_at bigint not null,
    screen text check (screen in ('confirmed', 'message', 'none')),
    dial_status text,
    ended_at bigint
);
create index callback_dials_request on callback_dials (request_id, started_at);
