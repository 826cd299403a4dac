package dev.sluice.core.control;

import java.time.Instant;
import java.util.Objects;

/**
 * One operator action in the audit trail: when, what, the value before and after, and who asked.
 *
 * @param id the entry's number, ascending with time; 0 for an entry not yet recorded
 * @param at when the action took effect
 * @param action what was done: {@code pause}, {@code resume}, {@code drain}, {@code limits}, {@code
 *     schedule}, {@code redrive}, {@code purge}
 * @param via the interface it came through: {@code http}, {@code cli} or {@code dashboard}
 * @param client the address of the client that asked, or {@code local} for an in-process caller
 * @param before the state the action changed, as it was (text or JSON); null when not applicable
 * @param after the state as the action left it (text or JSON); null when not applicable
 */
public record AuditEntry(
    long id, Instant at, String action, String via, String client, String before, String after) {

  public AuditEntry {
    if (id < 0) {
      throw new IllegalArgumentException("id must be >= 0, got " + id);
    }
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(client, "client");
  }

  /** An entry to record: the store gives it its id. */
  public static AuditEntry of(
      Instant at, String action, String via, String client, String before, String after) {
    return new AuditEntry(0, at, action, via, client, before, after);
  }

  /** This entry with the id the store gave it. */
  public AuditEntry withId(long newId) {
    return new AuditEntry(newId, at, action, via, client, before, after);
  }
}
