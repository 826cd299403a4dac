package dev.sluice.bench;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import java.util.function.Consumer;

/**
 * A target that completes every job at once, so that a run measures Sluice and not a target. It can
 * tell an observer when each job started (the latency run records that moment).
 */
final class NoOpTarget implements Target {

  private final Consumer<Job> onDeliver;

  NoOpTarget() {
    this(job -> {});
  }

  NoOpTarget(Consumer<Job> onDeliver) {
    this.onDeliver = onDeliver;
  }

  @Override
  public Outcome deliver(Job job) {
    onDeliver.accept(job);
    return Outcome.completed();
  }

  /** A batch at once, every member done: one call for the batch, as a batch target makes. */
  @Override
  public BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
    batch.members().forEach(onDeliver);
    arrival.arrived();
    return BatchOutcome.all(Outcome.completed());
  }

  @Override
  public String describe() {
    return "no-op target";
  }
}
