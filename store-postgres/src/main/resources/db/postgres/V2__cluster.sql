-- Several nodes on one store: who holds the gate, and which nodes are alive.

-- The one row of the gate's term. until is by the database clock (clock_timestamp()), so nodes
-- whose clocks differ agree on when a term ends. epoch goes up by one at every change of holder;
-- every claim on the backlog checks (epoch, node_id, until) and bumps claims under the row's lock.
CREATE TABLE gate_holder (
  id int PRIMARY KEY CHECK (id = 1),
  epoch bigint NOT NULL,
  node_id text NOT NULL,
  until timestamptz NOT NULL,
  claims bigint NOT NULL DEFAULT 0
);

-- Every node's latest heartbeat, stamped with the database clock.
CREATE TABLE nodes (
  node_id text PRIMARY KEY,
  host text NOT NULL,
  pid bigint NOT NULL,
  http_address text,
  started_at timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL
);
