-- Retention: done and purged events are deleted after the dedup horizon, closed releases after the
-- release-log horizon, a bounded chunk at a time (SqliteBacklog.prune).
--
-- When an event became done (state 2) or purged (state 4), epoch microseconds; NULL otherwise.
-- There is deliberately no index on it: an index on settled_at would be written by every
-- settlement on the hot path. Pruning walks events in rowid order instead, a range of ids per
-- transaction: ids follow acceptance order, so the oldest settled events sit at the low end, and a
-- walk stops where events were accepted after the horizon (settled_at >= accepted_at).
-- Releases need no new index either: release ids follow release times, so the existing index on
-- released_at finds the first release to keep and everything below that id is older.
ALTER TABLE events ADD COLUMN settled_at INTEGER;
-- Events settled before this version: done when their last release finished (else when accepted),
-- purged when they died (else when accepted). A one-time pass over the settled rows.
UPDATE events SET settled_at = coalesce(
    (SELECT r.finished_at FROM releases r WHERE r.id = events.last_release_id), accepted_at)
  WHERE state = 2;
UPDATE events SET settled_at = coalesce(dead_at, accepted_at) WHERE state = 4
