package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.core.batch.LimitCount;
import java.util.HashMap;
import java.util.Map;

/**
 * The gate's permits held by batches in flight. Under {@link LimitCount#OBJECTS} every member holds
 * one permit, as a job of one event does; under {@link LimitCount#JOBS} a batch holds one permit,
 * answered once its members' answers are settled and freed once the last member's release closes (a
 * partial failure retries some members while the others are done: the batch's slot is free when all
 * are settled). Also knows each member's batch reference, recorded on its release.
 *
 * <p>Thread-safe: workers open and answer batches while the settling thread settles them.
 */
final class BatchSlots {
  private final boolean perBatch;
  private final Map<Long, Slot> byRelease = new HashMap<>();

  private static final class Slot {
    final long reference;
    int open;
    int answersPending;

    Slot(long reference, int open) {
      this.reference = reference;
      this.open = open;
    }
  }

  BatchSlots(LimitCount count) {
    this.perBatch = count == LimitCount.JOBS;
  }

  /** The permits {@code batch} holds. */
  int units(Batch batch) {
    return perBatch ? 1 : batch.size();
  }

  /** The permits of {@code batches}. */
  int units(Iterable<Batch> batches) {
    int n = 0;
    for (Batch b : batches) {
      n += units(b);
    }
    return n;
  }

  /** {@code batch} was handed to a worker. */
  synchronized void opened(Batch batch) {
    Slot slot = new Slot(batch.reference(), batch.size());
    for (Job member : batch.members()) {
      byRelease.put(member.releaseId(), slot);
    }
  }

  /**
   * The target answered {@code batch}: returns how many permits are no longer at the target (its
   * members not answered {@link Outcome.Started}; under jobs counting, 1 if any).
   */
  synchronized int answered(Batch batch, BatchOutcome outcome) {
    int answered = 0;
    for (Job member : batch.members()) {
      if (!(outcome.of(member) instanceof Outcome.Started)) {
        answered++;
      }
    }
    Slot slot = byRelease.get(batch.members().get(0).releaseId());
    if (slot != null) {
      slot.answersPending = answered;
    }
    return perBatch ? Math.min(answered, 1) : answered;
  }

  /** The batch reference of the member released as {@code releaseId}, or null. */
  synchronized Long referenceOf(long releaseId) {
    Slot slot = byRelease.get(releaseId);
    return slot == null ? null : slot.reference;
  }

  /** Permits whose answers and whose slots were settled, as {@link #settled} adds them up. */
  static final class Freed {
    int answers;
    int slots;
  }

  /**
   * A member's outcome is committed: {@code answer} if it settles an answer the gate was told of,
   * {@code closes} if it closes the member's release. Adds the permits this frees to {@code freed}.
   */
  synchronized void settled(long releaseId, boolean answer, boolean closes, Freed freed) {
    Slot slot = byRelease.get(releaseId);
    if (slot == null) {
      // Not a batch member: a permit of its own.
      freed.answers += answer ? 1 : 0;
      freed.slots += closes ? 1 : 0;
      return;
    }
    if (!perBatch) {
      freed.answers += answer ? 1 : 0;
      freed.slots += closes ? 1 : 0;
    } else {
      if (answer && --slot.answersPending == 0) {
        freed.answers++;
      }
      if (closes && --slot.open == 0) {
        freed.slots++;
      }
    }
    if (closes) {
      byRelease.remove(releaseId);
    }
  }

  /** Batches with a member still open; for tests. */
  synchronized int open() {
    return (int) byRelease.values().stream().distinct().count();
  }
}
