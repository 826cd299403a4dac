package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A target that takes batches whole, records each, and answers as a test scripts. */
final class BatchRecordingTarget implements Target {
  final List<Batch> batches = new CopyOnWriteArrayList<>();
  final List<Job> singles = new CopyOnWriteArrayList<>();
  private final Function<Batch, Map<Long, Outcome>> failures;

  /** {@code failures}: for a batch, the members (by event id) that fail, with their outcomes. */
  BatchRecordingTarget(Function<Batch, Map<Long, Outcome>> failures) {
    this.failures = failures;
  }

  static BatchRecordingTarget completing() {
    return new BatchRecordingTarget(b -> Map.of());
  }

  @Override
  public BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
    arrival.arrived();
    batches.add(batch);
    return BatchOutcome.except(Outcome.completed(), failures.apply(batch));
  }

  @Override
  public Outcome deliver(Job job) {
    singles.add(job);
    return Outcome.completed();
  }

  @Override
  public String describe() {
    return "batch-recording";
  }
}
