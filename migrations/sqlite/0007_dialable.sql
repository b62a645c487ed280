-- Whether the line may call a request's number back (its own country, no premium-rate or
-- pay-per-call numbers). A forged caller ID that is not dialable is kept, marked, for a
-- supervisor, and never dialled. Requests left before this check existed were dialled by
-- operators by hand and keep their old standing.
alter table callback_requests
    add column dialable integer not null default 1 check (dialable in (0, 1));
