-- A request the operator line is reading to one operator is held for them for a moment, so
-- operators calling in at once are each read a different request. `offered_until` is ms since
-- the epoch; a lapsed hold is simply ignored.
alter table callback_requests add column offered_to text;
alter table callback_requests add column offered_until integer;
-- The per-number cap on calls back counts the dials to one number.
create index callback_requests_phone on callback_requests (phone_number);
-- The provider's reports of the leg of the person called back (initiated, ringing,
-- in-progress, then a final status), for the request's page; a final one also ends a dial
-- whose own result never came.
alter table callback_dials add column leg_status text;
-- The worklist is read in the order operators work it (highest priority, then the longest
-- wait), a page at a time: an index in that very order lets a page be read without sorting
-- every pending request. Every insert sets waiting_since (0002 filled the older rows).
update callback_requests set waiting_since = created_at where waiting_since is null;
drop index callback_requests_worklist;
create index callback_requests_worklist
    on callback_requests (status, priority desc, waiting_since, id);
