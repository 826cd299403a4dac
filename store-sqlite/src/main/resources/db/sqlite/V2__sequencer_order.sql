-- Changes to one object key are released in sequencer order: a change waits while an earlier
-- change of the same key is waiting or running. seq_order is Sequencers.sortKey(sequencer).
ALTER TABLE events ADD COLUMN seq_order TEXT;
UPDATE events SET seq_order = upper(trim(sequencer)) || substr('00000000000000000000000000000000', 1, max(0, 32 - length(trim(sequencer))))
  WHERE sequencer IS NOT NULL AND trim(sequencer) <> '';
CREATE INDEX events_key_open ON events (bucket, object_key, seq_order)
  WHERE state IN (0, 1) AND seq_order IS NOT NULL;
