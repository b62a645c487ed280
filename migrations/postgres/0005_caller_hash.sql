-- Recognising repeat callers without keeping their numbers: a keyed hash of the caller's
-- number (the key lives in the server's settings, never in the database), kept after the
-- number itself is purged.
alter table calls add column caller_hash text;
create index calls_caller_hash on calls (caller_hash, started_at);
