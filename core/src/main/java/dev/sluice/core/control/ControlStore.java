package dev.sluice.core.control;

import java.util.List;
import java.util.Optional;

/**
 * Where operator state outlives the process: the pause flag and the audit trail. A store commits
 * each call before it returns, so a {@code kill -9} after it loses neither.
 *
 * <p>Implementations are thread-safe.
 */
public interface ControlStore {

  /** Whether the service was left paused. False for a store that never recorded a pause. */
  boolean paused();

  /**
   * The value stored under {@code name} by {@link #recordSetting}, if any: what several nodes on
   * one store share besides the pause flag (the limits an operator set at runtime).
   */
  Optional<String> setting(String name);

  /**
   * Stores {@code value} under {@code name} and records the entry that changed it, in one commit.
   */
  AuditEntry recordSetting(String name, String value, AuditEntry entry);

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
