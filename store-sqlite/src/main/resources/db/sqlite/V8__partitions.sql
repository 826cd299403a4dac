-- Each event's partition, worked out at append by the partition rule the backlog was opened with
-- ('' for every event when there is none). Events appended before keep ''; a changed rule applies
-- to events appended from then on.
ALTER TABLE events ADD COLUMN partition TEXT NOT NULL DEFAULT '';

-- Claims with quotas and the due partitions: open events of one partition in claim order, and
-- the distinct partitions of open events, walked one after the other (a loose index scan).
CREATE INDEX events_open_partition_due
  ON events (partition, coalesce(due_at, accepted_at)) WHERE state IN (0, 1);
