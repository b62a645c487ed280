-- Browsers an operator has signed in from before. The lock that follows failed sign-ins applies
-- to other browsers only, so someone who knows an operator's name cannot lock them out of their
-- own browser. Only the digest of the browser's token is kept; a browser is forgotten after
-- failures of its own.
create table known_devices (
    token_digest text primary key,
    operator_id text not null,
    created_at bigint not null,
    failed_sign_ins integer not null default 0
);
