-- When an event became done or purged, epoch microseconds; NULL while open, and for events settled
-- before this version. What retention reads to delete old settled events.
ALTER TABLE events ADD COLUMN settled_at INTEGER;
