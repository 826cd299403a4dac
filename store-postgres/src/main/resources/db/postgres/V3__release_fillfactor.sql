-- A release row is updated once or twice after its insert (its times at the target, its outcome),
-- and none of those columns is indexed: with room left on its page the update is a heap-only
-- tuple (HOT) and adds no index entry. Pages written from now on keep a fifth free.
ALTER TABLE releases SET (fillfactor = 80);
