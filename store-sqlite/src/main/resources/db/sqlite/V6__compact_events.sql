-- Smaller rows and fewer indexes per event: the events table is rebuilt.
-- * The identity is no longer stored whole (it sat in the row and again in its unique index): a
--   unique index on bucket, key and the one field the identity takes its version from
--   (identity_kind: 1 versionId, 2 sequencer, 3 eTag, 0 none; see EventIdentity) keeps two
--   deliveries of one object change one event, and its prefix finds the events of one object.
-- * Per-key sequencer order is checked through that same index (most keys have one change), so
--   seq_order and events_key_open are gone.
-- * due_at of a leased event is the end of its lease: one index on open events (waiting or leased)
--   in due order serves claims of due waiting events and of expired leases alike; lease_until and
--   events_leased_until are gone.
-- * settled_at (schema 5) is carried over.
CREATE TABLE events_compact (
  id INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL,
  object_key TEXT NOT NULL,
  identity_kind INTEGER NOT NULL,
  size INTEGER,
  etag TEXT,
  version_id TEXT,
  sequencer TEXT,
  event_name TEXT,
  event_time INTEGER,
  source TEXT,
  accepted_at INTEGER NOT NULL,
  state INTEGER NOT NULL,
  due_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_release_id INTEGER,
  last_error TEXT,
  dead_at INTEGER,
  settled_at INTEGER
);

-- The kind is read off the stored identity: bucket NUL key NUL marker, as EventIdentity wrote it.
INSERT INTO events_compact (id, bucket, object_key, identity_kind, size, etag, version_id,
  sequencer, event_name, event_time, source, accepted_at, state, due_at, attempts,
  last_release_id, last_error, dead_at, settled_at)
SELECT id, bucket, object_key,
  CASE
    WHEN identity = CAST(bucket || char(0) || object_key || char(0) || 'v:' || version_id AS BLOB) THEN 1
    WHEN identity = CAST(bucket || char(0) || object_key || char(0) || 's:' || sequencer AS BLOB) THEN 2
    WHEN identity = CAST(bucket || char(0) || object_key || char(0) || 'e:' || etag AS BLOB) THEN 3
    ELSE 0
  END,
  size, etag, version_id, sequencer, event_name, event_time, source, accepted_at, state,
  CASE WHEN state = 1 THEN lease_until ELSE due_at END,
  attempts, last_release_id, last_error, dead_at, settled_at
FROM events ORDER BY id;

DROP TABLE events;

ALTER TABLE events_compact RENAME TO events;

CREATE UNIQUE INDEX events_identity ON events (bucket, object_key, identity_kind,
  CASE identity_kind WHEN 1 THEN version_id WHEN 2 THEN sequencer WHEN 3 THEN etag ELSE '' END);
-- Claims: due waiting events and expired leases, oldest due first.
CREATE INDEX events_open_due ON events (due_at) WHERE state IN (0, 1);
-- The age of the oldest waiting event, without a scan.
CREATE INDEX events_waiting_accepted ON events (accepted_at) WHERE state = 0;
-- Dead letters page by id.
CREATE INDEX events_dead ON events (id) WHERE state = 3;
