package dev.sluice.core.control;

import java.util.List;

/**
 * Where operator state outlives the process: the pause flag and the audit trail. A store commits
 * each call before it returns, so a {@code kill -9} after it loses neither.
 *
 * <p>Implementations are thread-safe.
 */
public interface ControlStore {

  /** Whether the service was left paused. False for a store that never recorded a pause. */
  boolean paused();

  /** Records an entry; returns it with its id. */
  AuditEntry record(AuditEntry entry);

  /** Stores the pause flag and records the entry that changed it, in one commit. */
  AuditEntry recordPause(boolean paused, AuditEntry entry);

  /**
   * Audit entries, newest first: those with an id below {@code beforeId} (0 for the newest page),
   * at most {@code limit}.
   */
  List<AuditEntry> audit(long beforeId, int limit);
}
