-- A request the operator line is reading to one operator is held for them for a moment, so
-- operators calling in at once are each read a different request. `offered_until` is ms since
-- the epoch; a lapsed hold is simply ignored.
alter table callback_requests add column offered_to text;
alter table callback_requests add column offered_until integer;
-- The per-number cap on calls back counts the dials to one number.
create index callback_requests_phone on callback_requests (phone_number);
