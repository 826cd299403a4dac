package dev.sluice.core.batch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a target answered for a batch, member by member: one outcome for every member, except those
 * the target named as failed (a partial failure, as Lambda's {@code batchItemFailures}), which have
 * their own. Only the members whose outcome is a failure are retried. A value, never an exception.
 */
public final class BatchOutcome {
  private final Outcome common;
  private final Map<Long, Outcome> exceptions;

  private BatchOutcome(Outcome common, Map<Long, Outcome> exceptions) {
    this.common = Objects.requireNonNull(common, "common");
    this.exceptions = Map.copyOf(exceptions);
  }

  /** Every member has {@code outcome}: the whole batch completed, was throttled, failed. */
  public static BatchOutcome all(Outcome outcome) {
    return new BatchOutcome(outcome, Map.of());
  }

  /**
   * Every member has {@code rest}, except the members of {@code byEventId} (keyed by {@link
   * Job#eventId()}), which have theirs.
   */
  public static BatchOutcome except(Outcome rest, Map<Long, Outcome> byEventId) {
    Objects.requireNonNull(byEventId, "byEventId");
    byEventId.values().forEach(o -> Objects.requireNonNull(o, "outcome"));
    return new BatchOutcome(rest, new LinkedHashMap<>(byEventId));
  }

  /** The outcome of {@code member}. */
  public Outcome of(Job member) {
    return exceptions.getOrDefault(member.eventId(), common);
  }

  /** The outcome of every member not named otherwise. */
  public Outcome common() {
    return common;
  }

  /** The members (by event id) with an outcome of their own. */
  public Map<Long, Outcome> exceptions() {
    return exceptions;
  }

  /** Whether some members of {@code batch} failed while others did not. */
  public boolean partiallyFailed(Batch batch) {
    boolean failed = false;
    boolean other = false;
    for (Job j : batch.members()) {
      if (of(j) instanceof Outcome.Failed) {
        failed = true;
      } else {
        other = true;
      }
    }
    return failed && other;
  }

  @Override
  public String toString() {
    return "BatchOutcome[" + common.label() + (exceptions.isEmpty() ? "" : ", " + exceptions) + "]";
  }
}
