package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the {@link Dispatcher} reports as it works, so metrics and live views are fed by events
 * instead of reading its counters. Register with {@link Dispatcher#addObserver} before {@link
 * Dispatcher#start()}.
 *
 * <p>Calls come from the dispatcher's threads (the releasing loop, the workers, the settling loop)
 * and may overlap: an observer must be thread-safe and quick, since the dispatcher waits for it. An
 * observer that throws is logged and the dispatcher carries on; every method has an empty default.
 *
 * <p>Each release is reported once by {@link #released}; each call to the target once by {@link
 * #answered}; the end of work answered {@link Outcome.Started} once by {@link #ended}; each outcome
 * once more in a {@link #settled} batch, after it is durable. A release is closed by exactly one
 * settlement with {@link Settlement#closesRelease()}. For one job, released comes before answered
 * and answered before settled; the end of started work is told by ended once its settlement is
 * committed, just before the settled batch that holds it.
 *
 * <p>When jobs are batches ({@link Dispatcher#batchBy}), each member is a job to these methods:
 * released, answered (with its own outcome), ended and settled one by one. {@link #batchReleased}
 * and {@link #batchAnswered} tell of the batch itself, once each: the first after {@link #released}
 * told the step's jobs, the second before its members' {@link #answered}.
 */
public interface DispatchObserver {

  /**
   * Jobs were claimed from the backlog (the release is logged).
   *
   * @param jobs the jobs released in one step, in order
   * @param at when they were claimed (each reaches the target at its {@link Job#releasedAt()})
   * @param heldByGate how long the gate had held the dispatcher back before this release: from the
   *     first step since the previous release in which the gate granted nothing, to this step; zero
   *     when the gate did not refuse in between
   */
  default void released(List<Job> jobs, Instant at, Duration heldByGate) {}

  /**
   * The dispatcher had free workers and the gate granted nothing: the limits hold releases back.
   * Also reported when nothing is due, since the dispatcher asks the gate first.
   *
   * @param at when the gate refused
   */
  default void gateRefused(Instant at) {}

  /**
   * The target answered a call.
   *
   * @param job the job delivered
   * @param outcome what the target answered (a {@link Outcome.Started} is followed by {@link
   *     #ended} later)
   * @param atTarget how long the call took: from reaching the target to its answer
   */
  default void answered(Job job, Outcome outcome, Duration atTarget) {}

  /**
   * The target reported the end of work it had answered {@link Outcome.Started} for. Reported once
   * per job, however often the target reports the end.
   *
   * @param job the job whose work ended
   * @param outcome how the work ended
   * @param sinceReached from reaching the target with the start to the report of the end
   */
  default void ended(Job job, Outcome outcome, Duration sinceReached) {}

  /**
   * Outcomes were committed to the backlog in one transaction.
   *
   * @param settlements what was recorded, in order (a {@link Settlement.Kind#STARTED} one keeps its
   *     release open until the settlement of the work's end)
   * @param at when they were committed
   */
  default void settled(List<Settlement> settlements, Instant at) {}

  /**
   * A batch was handed to a worker (its members were told by {@link #released} first).
   *
   * @param batch the batch
   * @param partial whether it holds fewer than the batch size (its partition's wait had passed)
   */
  default void batchReleased(Batch batch, boolean partial) {}

  /**
   * The target answered a batch (each member is then told by {@link #answered}).
   *
   * @param batch the batch delivered
   * @param outcome the outcome of each member
   * @param atTarget how long the call took
   */
  default void batchAnswered(Batch batch, BatchOutcome outcome, Duration atTarget) {}
}
