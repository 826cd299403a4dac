-- Shorter stored values and one index less per waiting event (see CompactValues):
-- * an eTag of 32 lowercase hex characters is stored as its 16 bytes (a BLOB); others stay TEXT.
--   Existing rows are converted too: the identity index (events_identity) compares the stored
--   eTag of identity kind 3, so a delivery after this upgrade must find the row accepted before it.
-- * known event names and Sluice's own sources are stored as one-byte BLOB codes (a BLOB, not an
--   INTEGER: the columns have TEXT affinity, which would store an integer as its text). The codes
--   are CompactValues' tables, fixed forever.
-- * due_at is left null while an event is due when it was accepted (a fresh event): the claim
--   order is coalesce(due_at, accepted_at), and the index on open events is rebuilt on it.
-- * the oldest waiting event is the first waiting one in id order (ids are handed out in
--   acceptance order by the one writer): an index on the constant state of waiting events lists
--   them in id order at about half the size of the index on accepted_at it replaces.
-- (indexes on the columns rewritten are dropped first, and built again once)
DROP INDEX events_open_due;

DROP INDEX events_waiting_accepted;

UPDATE events SET
  due_at = CASE WHEN due_at = accepted_at THEN NULL ELSE due_at END,
  etag = CASE WHEN typeof(etag) = 'text' AND length(etag) = 32 AND etag NOT GLOB '*[^0-9a-f]*'
    THEN unhex(etag) ELSE etag END,
  event_name = CASE event_name
    WHEN 'ObjectCreated:Put' THEN x'01'
    WHEN 'ObjectCreated:Post' THEN x'02'
    WHEN 'ObjectCreated:Copy' THEN x'03'
    WHEN 'ObjectCreated:CompleteMultipartUpload' THEN x'04'
    WHEN 'ObjectRemoved:Delete' THEN x'05'
    WHEN 'ObjectRemoved:DeleteMarkerCreated' THEN x'06'
    WHEN 'ObjectRestore:Post' THEN x'07'
    WHEN 'ObjectRestore:Completed' THEN x'08'
    WHEN 'ObjectRestore:Delete' THEN x'09'
    WHEN 'ReducedRedundancyLostObject' THEN x'0a'
    WHEN 'Replication:OperationFailedReplication' THEN x'0b'
    WHEN 'Replication:OperationMissedThreshold' THEN x'0c'
    WHEN 'Replication:OperationReplicatedAfterThreshold' THEN x'0d'
    WHEN 'Replication:OperationNotTracked' THEN x'0e'
    WHEN 'LifecycleExpiration:Delete' THEN x'0f'
    WHEN 'LifecycleExpiration:DeleteMarkerCreated' THEN x'10'
    WHEN 'LifecycleTransition' THEN x'11'
    WHEN 'IntelligentTiering' THEN x'12'
    WHEN 'ObjectTagging:Put' THEN x'13'
    WHEN 'ObjectTagging:Delete' THEN x'14'
    WHEN 'ObjectAcl:Put' THEN x'15'
    WHEN 's3:ObjectCreated:Put' THEN x'41'
    WHEN 's3:ObjectCreated:Post' THEN x'42'
    WHEN 's3:ObjectCreated:Copy' THEN x'43'
    WHEN 's3:ObjectCreated:CompleteMultipartUpload' THEN x'44'
    WHEN 's3:ObjectRemoved:Delete' THEN x'45'
    WHEN 's3:ObjectRemoved:DeleteMarkerCreated' THEN x'46'
    WHEN 's3:ObjectRestore:Post' THEN x'47'
    WHEN 's3:ObjectRestore:Completed' THEN x'48'
    WHEN 's3:ObjectRestore:Delete' THEN x'49'
    WHEN 's3:ReducedRedundancyLostObject' THEN x'4a'
    WHEN 's3:Replication:OperationFailedReplication' THEN x'4b'
    WHEN 's3:Replication:OperationMissedThreshold' THEN x'4c'
    WHEN 's3:Replication:OperationReplicatedAfterThreshold' THEN x'4d'
    WHEN 's3:Replication:OperationNotTracked' THEN x'4e'
    WHEN 's3:LifecycleExpiration:Delete' THEN x'4f'
    WHEN 's3:LifecycleExpiration:DeleteMarkerCreated' THEN x'50'
    WHEN 's3:LifecycleTransition' THEN x'51'
    WHEN 's3:IntelligentTiering' THEN x'52'
    WHEN 's3:ObjectTagging:Put' THEN x'53'
    WHEN 's3:ObjectTagging:Delete' THEN x'54'
    WHEN 's3:ObjectAcl:Put' THEN x'55'
    ELSE event_name END,
  source = CASE source
    WHEN 'webhook' THEN x'01'
    WHEN 'sqs' THEN x'02'
    WHEN 's3-endpoint' THEN x'03'
    WHEN 's3' THEN x'04'
    WHEN 'reference' THEN x'05'
    ELSE source END;

-- Claims: due waiting events and expired leases (due_at of a leased event is its lease end).
CREATE INDEX events_open_due ON events (coalesce(due_at, accepted_at)) WHERE state IN (0, 1);

-- The oldest waiting event, without a scan: waiting events in id order.
CREATE INDEX events_waiting ON events (state) WHERE state = 0;
