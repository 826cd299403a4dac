-- When each job reached the target and when the target answered, beside when the gate let it go:
-- limits are judged where the target sees the jobs. Epoch microseconds; NULL while not known (and
-- for releases recorded before this version).
ALTER TABLE releases ADD COLUMN reached_at INTEGER;
ALTER TABLE releases ADD COLUMN answered_at INTEGER;
