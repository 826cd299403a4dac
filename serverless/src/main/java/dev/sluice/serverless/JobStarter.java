package dev.sluice.serverless;

import dev.sluice.core.Outcome;

/**
 * Starts the job one invocation-queue message carries at the target: a Step Functions execution
 * ({@link ExecutionStarter}) or a Lambda invocation ({@link InvocationStarter}). It answers a
 * {@link Start} and never throws for what the target said. Safe to call from several threads.
 */
interface JobStarter {

  /** What became of one start; the {@link Invoker} acts on it the same way for every target. */
  sealed interface Start {}

  /** The job began and holds its in-flight slot until its end is reported (an execution). */
  record Began(String reference) implements Start {}

  /**
   * The job had begun before (a redelivered message): it still runs, holding its slot, or it is
   * over ({@code running} false), and its slot is freed now.
   */
  record Duplicate(String reference, boolean running) implements Start {}

  /**
   * The target did the job and answered (an invocation that returned, or one Lambda queued): no end
   * will be reported, so its slot is freed now.
   */
  record Done() implements Start {}

  /** No job began: throttled, or failed (retryable or not). */
  record Refused(Outcome outcome) implements Start {}

  Start start(SluiceMessage message);

  /**
   * How many messages of one batch may be started at once: 1 starts them one after the other, in
   * the batch's order.
   */
  default int parallelism() {
    return 1;
  }
}
