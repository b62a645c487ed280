-- Numbers supervisors blocked from the console or the API. A number is kept only as a tag
-- keyed with the server secret (the line looks callers up by it) and in a masked form for
-- staff to recognise; the tag is unique, so blocking a number again replaces its block.
create table blocked_numbers (
    id text primary key,
    number_tag text not null unique,
    masked_number text not null,
    reason text not null,
    operator_id text not null,
    created_at integer not null,
    expires_at integer
);
