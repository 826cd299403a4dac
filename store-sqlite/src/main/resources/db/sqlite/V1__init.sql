-- The backlog: one row per accepted event, whatever its state.
-- Instants are epoch microseconds. States: 0 waiting, 1 leased, 2 done, 3 dead.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  -- EventIdentity.asString() as UTF-8: NUL separates its parts, so it is kept as a BLOB
  identity BLOB NOT NULL UNIQUE,
  bucket TEXT NOT NULL,
  object_key TEXT NOT NULL,
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
  lease_until INTEGER,
  last_release_id INTEGER,
  last_error TEXT,
  dead_at INTEGER
);

-- Claims read the oldest due waiting events and the oldest expired leases, a page at a time.
CREATE INDEX events_waiting_due ON events (due_at) WHERE state = 0;
CREATE INDEX events_leased_until ON events (lease_until) WHERE state = 1;
-- The age of the oldest waiting event, without a scan.
CREATE INDEX events_waiting_accepted ON events (accepted_at) WHERE state = 0;
-- Dead letters page by id.
CREATE INDEX events_dead ON events (id) WHERE state = 3;

-- The release log: one row per job handed out.
CREATE TABLE releases (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id),
  attempt INTEGER NOT NULL,
  released_at INTEGER NOT NULL,
  outcome TEXT,
  finished_at INTEGER,
  error TEXT
);

CREATE INDEX releases_released_at ON releases (released_at);

-- Counts kept in step with every state change, so stats need no scan of a large backlog.
CREATE TABLE counts (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  waiting INTEGER NOT NULL,
  leased INTEGER NOT NULL,
  done INTEGER NOT NULL,
  dead INTEGER NOT NULL,
  releases INTEGER NOT NULL
);

INSERT INTO counts (id, waiting, leased, done, dead, releases) VALUES (1, 0, 0, 0, 0, 0);
