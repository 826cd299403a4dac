-- The shared backlog: events, the release log, counts, and the operator's control tables.
-- Instants are timestamptz (microseconds). Event states: 0 waiting, 1 leased, 2 done, 3 dead,
-- 4 purged (a dead letter an operator removed; its identity stays known until pruned).
CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bucket text NOT NULL,
  object_key text NOT NULL,
  -- EventIdentity.version(): 'v:<versionId>', 's:<sequencer>', 'e:<eTag>' or '' (none given)
  identity_version text NOT NULL,
  size bigint,
  etag text,
  version_id text,
  sequencer text,
  -- Sequencers.sortKey(sequencer): changes of one key are released in this order; NULL when the
  -- event has no sequencer (such changes are not ordered)
  sequencer_order text,
  event_name text,
  event_time timestamptz,
  source text,
  accepted_at timestamptz NOT NULL,
  state smallint NOT NULL,
  -- waiting: when it is due; leased: when its lease ends (an expired lease is due again)
  due_at timestamptz,
  attempts int NOT NULL DEFAULT 0,
  last_release_id bigint,
  -- the node id of the claim that holds the lease (state 1)
  lease_owner text,
  last_error text,
  dead_at timestamptz,
  -- when it became done or purged: the dedup horizon counts from here
  settled_at timestamptz,
  -- Two deliveries of one object change are one event. The prefix (bucket, object_key) also finds
  -- every change of one key: the per-key order check and locate go through it.
  CONSTRAINT events_identity UNIQUE (bucket, object_key, identity_version)
);

-- Claims: due waiting events and expired leases alike, oldest due first.
CREATE INDEX events_open_due ON events (due_at, id) WHERE state IN (0, 1);
-- The oldest waiting event (ids follow acceptance).
CREATE INDEX events_waiting ON events (id) WHERE state = 0;
-- Dead letters page by id.
CREATE INDEX events_dead ON events (id) WHERE state = 3;
-- Pruning finds done and purged events past the dedup horizon.
CREATE INDEX events_settled ON events (settled_at) WHERE state IN (2, 4);
-- A node's own leases (abandonLeases at its restart), and leased events per node.
CREATE INDEX events_leased_owner ON events (lease_owner) WHERE state = 1;

-- The release log: one row per job handed out. A release may outlive its event (the dedup horizon
-- is shorter than the release log's), so there is no foreign key.
CREATE TABLE releases (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id bigint NOT NULL,
  attempt int NOT NULL,
  released_at timestamptz NOT NULL,
  -- when the job reached the target and when the target answered; NULL while not known
  reached_at timestamptz,
  answered_at timestamptz,
  outcome text,
  finished_at timestamptz,
  error text
);

CREATE INDEX releases_released_at ON releases (released_at);

-- Counts kept in step with every state change, so stats need no scan of a large backlog. Several
-- slots, each transaction adding to one of them: writers on several nodes rarely wait for one
-- another's row lock. Stats add the slots up.
CREATE TABLE counts (
  slot smallint PRIMARY KEY,
  waiting bigint NOT NULL DEFAULT 0,
  leased bigint NOT NULL DEFAULT 0,
  done bigint NOT NULL DEFAULT 0,
  dead bigint NOT NULL DEFAULT 0,
  releases bigint NOT NULL DEFAULT 0
);

INSERT INTO counts (slot) SELECT generate_series(0, 15);

-- Operator settings a restart must keep: one row per name.
CREATE TABLE control_settings (
  name text PRIMARY KEY,
  value text NOT NULL
);

-- The audit trail: every operator action, in the order it took effect.
CREATE TABLE audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  action text NOT NULL,
  via text NOT NULL,
  client text NOT NULL,
  before_value text,
  after_value text
);
