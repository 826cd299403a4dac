package dev.sluice.testkit;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A {@link Target} for tests: records every job it receives, in arrival order and with the time it
 * arrived on the target's own clock, and answers each with the outcome a function gives.
 * Thread-safe; the answer can be changed while a test runs.
 */
public final class RecordingTarget implements Target {

  /**
   * One job as the target received it.
   *
   * @param arrivedNanos the target's own clock when the job arrived
   */
  public record Receipt(Job job, long arrivedNanos) {}

  private final ConcurrentLinkedQueue<Receipt> received = new ConcurrentLinkedQueue<>();
  private final LongSupplier clock;
  private volatile Function<Job, Outcome> answer;
  private volatile boolean closed;

  /**
   * A target that answers every job with {@code answer.apply(job)} and times arrivals with {@code
   * clock} (nanoseconds), a clock of its own: not the dispatcher's time source.
   */
  public RecordingTarget(Function<Job, Outcome> answer, LongSupplier clock) {
    this.answer = Objects.requireNonNull(answer, "answer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A target that answers every job with {@code answer.apply(job)}, timed by System.nanoTime. */
  public RecordingTarget(Function<Job, Outcome> answer) {
    this(answer, System::nanoTime);
  }

  /** A target that completes every job. */
  public static RecordingTarget completing() {
    return new RecordingTarget(job -> Outcome.completed());
  }

  /** A target that answers every job with the same outcome. */
  public static RecordingTarget answering(Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    return new RecordingTarget(job -> outcome);
  }

  /** Changes the answer for the jobs that arrive from now on. */
  public void answerWith(Function<Job, Outcome> answer) {
    this.answer = Objects.requireNonNull(answer, "answer");
  }

  /**
   * Records the job, then answers. The job is recorded even when the answer function throws, so a
   * test can see attempts that ended in an exception.
   */
  @Override
  public Outcome deliver(Job job) {
    return deliver(job, Arrival.IGNORED);
  }

  /** Tells {@code arrival} once its own record of the job is made. */
  @Override
  public Outcome deliver(Job job, Arrival arrival) {
    Objects.requireNonNull(job, "job");
    received.add(new Receipt(job, clock.getAsLong()));
    arrival.arrived();
    return answer.apply(job);
  }

  /** The jobs received so far, in arrival order (a snapshot). */
  public List<Job> jobs() {
    return receipts().stream().map(Receipt::job).toList();
  }

  /** The jobs received so far with their arrival times, in arrival order (a snapshot). */
  public List<Receipt> receipts() {
    return List.copyOf(new ArrayList<>(received));
  }

  /** How many jobs were received so far. */
  public int count() {
    return received.size();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String describe() {
    return "recording target";
  }

  @Override
  public void close() {
    closed = true;
  }
}
