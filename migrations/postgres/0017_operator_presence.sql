-- Who is available to take callers now: one row per operator while they are marked available
-- on the console or are on the operator line. A mark ends by itself at available_until, so an
-- operator who walks away without unmarking stops counting.
create table operator_presence (
    operator_id text primary key,
    available_until bigint not null,
    via text not null check (via in ('console', 'line'))
);
