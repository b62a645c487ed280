-- Indexes for the reads and purges that ran as full scans on a large history.
-- A waiting caller's estimate reads the latest answered waits of their category on every
-- queue poll; without this it scanned and sorted every queue entry kept.
create index queue_entries_recent_waits on queue_entries (category, result, ended_at);
-- The hourly purge finds old queue entries and old recordings by these columns; scanning the
-- whole table held the write lock for seconds and stalled webhooks.
create index queue_entries_entered_at on queue_entries (entered_at);
create index callback_requests_created_at on callback_requests (created_at);
