-- Operator state that outlives the process, kept in the backlog's file.
-- Dead letters an operator purged: state 4. Their rows stay, so their identities are still known
-- (a later delivery of the same object change is a duplicate) and the release log keeps its events.

-- Settings an operator changed at runtime that a restart must keep: one row per name.
CREATE TABLE control_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The audit trail: every operator action, in the order it took effect. at: epoch microseconds.
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  via TEXT NOT NULL,
  client TEXT NOT NULL,
  before_value TEXT,
  after_value TEXT
);
