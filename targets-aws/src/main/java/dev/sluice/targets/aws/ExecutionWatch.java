package dev.sluice.targets.aws;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Learns that executions ended by describing each running one every poll interval, and reports the
 * end once. Polling, not status-change events: a long-running service on any machine can call
 * {@code DescribeExecution}, while events need an EventBridge rule and a queue in the account. The
 * cost is one call per running execution per interval (bounded by max-in-flight); the serverless
 * shape, which has the rule, uses the events instead.
 */
final class ExecutionWatch implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ExecutionWatch.class.getName());

  private final SfnClient sfn;
  private final Target.Completions completions;
  private final Map<String, List<Job>> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;

  ExecutionWatch(SfnClient sfn, Duration interval, Target.Completions completions) {
    this.sfn = sfn;
    this.completions = completions;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-execution-watch");
              t.setDaemon(true);
              return t;
            });
    long every = interval.toNanos();
    poller.scheduleWithFixedDelay(this::pollQuietly, every, every, TimeUnit.NANOSECONDS);
  }

  /**
   * Watches {@code executionArn} until it ends, then reports the end of each of {@code jobs} (one
   * job, or the members of a batch).
   */
  void watch(List<Job> jobs, String executionArn) {
    running.put(executionArn, List.copyOf(jobs));
  }

  int watching() {
    return running.size();
  }

  private void pollQuietly() {
    try {
      pollOnce();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "polling executions failed; trying again", e);
    }
  }

  /** Describes every watched execution once; reports those that ended. */
  void pollOnce() {
    for (Map.Entry<String, List<Job>> e : running.entrySet()) {
      Outcome end;
      try {
        end = endOf(sfn.describeExecution(b -> b.executionArn(e.getKey())));
      } catch (ExecutionDoesNotExistException gone) {
        end = Outcome.retryable("DescribeExecution: " + e.getKey() + " does not exist any more");
      } catch (AwsServiceException s) {
        if (AwsOutcomes.isThrottling(s)) {
          return; // the next round goes on where this one stopped being allowed
        }
        LOG.log(System.Logger.Level.WARNING, "DescribeExecution failed: " + s.getMessage());
        continue;
      } catch (SdkException s) {
        LOG.log(System.Logger.Level.WARNING, "DescribeExecution failed: " + s.getMessage());
        return;
      }
      if (end != null && running.remove(e.getKey(), e.getValue())) {
        for (Job job : e.getValue()) {
          completions.completed(job, end);
        }
      }
    }
  }

  /** The outcome of an ended execution, or null while it runs. */
  static Outcome endOf(DescribeExecutionResponse d) {
    ExecutionStatus status = d.status();
    if (status == ExecutionStatus.RUNNING || status == ExecutionStatus.PENDING_REDRIVE) {
      return null;
    }
    if (status == ExecutionStatus.SUCCEEDED) {
      return Outcome.completed();
    }
    // FAILED, TIMED_OUT, ABORTED: the retry policy decides; the dead letter keeps error and cause.
    StringBuilder error = new StringBuilder(String.valueOf(d.statusAsString()));
    if (d.error() != null) {
      error.append(": ").append(d.error());
    }
    if (d.cause() != null) {
      error.append(": ").append(d.cause());
    }
    return Outcome.retryable(AwsOutcomes.clip(error.toString()));
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
