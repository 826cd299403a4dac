package dev.sluice.serverless;

import dev.sluice.core.Outcome;
import dev.sluice.targets.ExecutionInput;
import dev.sluice.targets.aws.LambdaTarget;

/**
 * Invokes the target Lambda function once per message, with the execution input of the message's
 * attempt as the payload (the event, its identity and the idempotency key the function can
 * deduplicate on). {@link LambdaTarget} reads the answer: returned or queued is {@link Done},
 * anything else is {@link Refused} with the target's outcome (throttled, a function error retried
 * or not by its type, a missing function, a 5xx, an unreachable endpoint).
 *
 * <p>A {@code RequestResponse} invocation lasts as long as the function runs, so the messages of
 * one batch are invoked at once rather than one after the other.
 */
final class InvocationStarter implements JobStarter {

  private final LambdaTarget target;

  InvocationStarter(LambdaTarget target) {
    this.target = target;
  }

  @Override
  public Start start(SluiceMessage message) {
    Outcome outcome = target.invoke(ExecutionInput.of(message.event(), message.attempt()));
    return outcome instanceof Outcome.Completed ? new Done() : new Refused(outcome);
  }

  @Override
  public int parallelism() {
    return BatchSender.MAX_BATCH;
  }
}
