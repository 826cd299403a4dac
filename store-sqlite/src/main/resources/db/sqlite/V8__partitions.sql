-- Each event's partition, worked out at append by the partition rule the backlog was opened with.
-- NULL: appended with no rule (every event before this version, and every event while there is
-- none), which is partition ''. Left NULL rather than '' so that such events stay out of the index
-- below: without a rule, appends, claims and settlements maintain no more index entries than
-- before. A backlog opened with a rule first sets '' on open events that have no partition, so
-- under a rule the index holds every open event.
ALTER TABLE events ADD COLUMN partition TEXT;

-- Claims with quotas and the due partitions: open events of one partition in claim order, and
-- the distinct partitions of open events, walked one after the other (a loose index scan).
CREATE INDEX events_open_partition_due
  ON events (partition, coalesce(due_at, accepted_at))
  WHERE state IN (0, 1) AND partition IS NOT NULL;
