-- The batch a release travelled in: the lowest release id among the batch's members, so the rows of
-- one batch share it; null for a job of one event (every release before batches existed).
-- Recorded with the release's first outcome. A nullable column without a default: no table rewrite.
ALTER TABLE releases ADD COLUMN batch bigint;
