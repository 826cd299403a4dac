-- Each event's partition, worked out at append by the partition rule the node opened the backlog
-- with. NULL: appended with no rule (every event before this version, and every event while there
-- is none), which is partition ''. Left NULL rather than '' so that such events stay out of the
-- index below: without a rule, appends, claims and settlements maintain no more index entries
-- than before. A backlog opened with a rule first sets '' on open events that have no partition,
-- so under a rule the index holds every open event. Adding a nullable column rewrites nothing.
ALTER TABLE events ADD COLUMN partition text;

-- Claims with quotas (the oldest due events of one partition, in claim order) and the due
-- partitions (the distinct partitions of open events, walked one after the other).
CREATE INDEX events_open_partition_due ON events (partition, due_at, id)
  WHERE state IN (0, 1) AND partition IS NOT NULL;
