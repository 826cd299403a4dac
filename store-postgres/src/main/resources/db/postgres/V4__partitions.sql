-- Each event's partition, worked out at append by the partition rule the node opened the backlog
-- with ('' for every event when there is none). Events appended before keep ''; a changed rule
-- applies to events appended from then on. A constant default: no rewrite of the table.
ALTER TABLE events ADD COLUMN partition text NOT NULL DEFAULT '';

-- Claims with quotas (the oldest due events of one partition, in claim order) and the due
-- partitions (the distinct partitions of open events, walked one after the other).
CREATE INDEX events_open_partition_due ON events (partition, due_at, id) WHERE state IN (0, 1);
