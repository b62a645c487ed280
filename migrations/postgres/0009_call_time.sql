-- When the caller said it is safe to call them back: 'morning', 'afternoon', 'evening' or
-- 'any'; null when the flow did not ask. Calls back keep to it.
alter table callback_requests add column call_time text
    check (call_time in ('morning', 'afternoon', 'evening', 'any'));
