package dev.sluice.serverless.local;

import dev.sluice.sfnlocal.StatusChangeEvent;
import dev.sluice.sfnlocal.StatusChangeListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The EventBridge rule that feeds the completion function: source {@code aws.states}, detail-type
 * "Step Functions Execution Status Change", the target state machine, a terminal status. A matching
 * event's JSON invokes the function; a failed invocation is delivered again a few times, as
 * EventBridge retries a target (it keeps trying for up to a day; here a few attempts, then the
 * failure is logged).
 */
public final class StatusChangeRule implements StatusChangeListener {
  private static final System.Logger LOG = System.getLogger(StatusChangeRule.class.getName());

  /** The statuses the rule matches, as the deployment's rule lists them. */
  public static final Set<String> STATUSES = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED");

  static final int MAX_ATTEMPTS = 5;
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);

  private final LocalFunction completion;
  private final String stateMachineArn;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong undelivered = new AtomicLong();

  public StatusChangeRule(LocalFunction completion, String stateMachineArn) {
    this.completion = Objects.requireNonNull(completion, "completion");
    this.stateMachineArn = Objects.requireNonNull(stateMachineArn, "stateMachineArn");
  }

  /** Whether the rule's pattern matches {@code event}. */
  public boolean matches(StatusChangeEvent event) {
    return event.detail().stateMachineArn().equals(stateMachineArn)
        && STATUSES.contains(event.status().name());
  }

  @Override
  public void onStatusChange(StatusChangeEvent event) {
    if (!matches(event)) {
      return;
    }
    Duration pause = FIRST_RETRY;
    for (int attempt = 1; ; attempt++) {
      try {
        completion.invoke(event.json());
        delivered.incrementAndGet();
        return;
      } catch (FunctionErrorException e) {
        if (attempt >= MAX_ATTEMPTS) {
          undelivered.incrementAndGet();
          LOG.log(
              System.Logger.Level.ERROR,
              "status change of {0} not delivered after {1} attempts: {2}",
              event.detail().name(),
              attempt,
              e.getMessage());
          return;
        }
        try {
          Thread.sleep(pause.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        pause = pause.multipliedBy(2);
      }
    }
  }

  /** Events the completion function took. */
  public long delivered() {
    return delivered.get();
  }

  /** Events given up on after every attempt failed. */
  public long undelivered() {
    return undelivered.get();
  }
}
