-- The latest ring of an operator's own phone that "call me now" asked the provider for, and
-- the provider's latest report of it, so the request's page can say the line is ringing them.
alter table callback_requests add column ring_at bigint;
alter table callback_requests add column ring_status text;
