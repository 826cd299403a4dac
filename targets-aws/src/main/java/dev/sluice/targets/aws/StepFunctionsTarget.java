package dev.sluice.targets.aws;

import dev.sluice.core.EventIdentity;
import dev.sluice.core.ExecutionName;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.targets.ExecutionInput;
import java.util.List;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Starts one Step Functions execution per job: {@code StartExecution} with the event as input and
 * an execution name derived from the identity and the attempt ({@link ExecutionName}), so a repeat
 * of an attempt is never a second execution of a Standard state machine.
 *
 * <p>Every attempt has its own name, so a retry after a failed execution can start; a redelivery of
 * work already begun (after a crash or an expired lease the backlog counts another attempt) adopts
 * the execution an earlier attempt started, if it runs or succeeded, instead of starting one more.
 * An answer that the name exists is a duplicate start, never a failure: the existing execution is
 * described and adopted, or, if it failed, the next name is taken (a redriven dead letter starts
 * over at attempt 1, whose names are used).
 *
 * <p>A started execution answers {@link Outcome.Started}; with {@link
 * StepFunctionsSettings.Completion#POLL} its end is learned by {@link ExecutionWatch} and reported
 * to the dispatcher, so max-in-flight counts running executions. Throttling answers {@link
 * Outcome.Throttled}.
 */
public final class StepFunctionsTarget implements Target {

  /** Names tried past a failed one before giving up (each try is two calls). */
  static final int MAX_NAME_PROBES = 50;

  private final SfnClient sfn;
  private final StepFunctionsSettings settings;
  private final boolean ownsClient;
  private volatile ExecutionWatch watch;

  /**
   * @param ownsClient whether {@link #close()} closes {@code sfn}
   */
  public StepFunctionsTarget(SfnClient sfn, StepFunctionsSettings settings, boolean ownsClient) {
    this.sfn = sfn;
    this.settings = settings;
    this.ownsClient = ownsClient;
  }

  @Override
  public void watchCompletions(Completions completions) {
    if (settings.completion() == StepFunctionsSettings.Completion.POLL && watch == null) {
      watch = new ExecutionWatch(sfn, settings.pollInterval(), completions);
    }
  }

  @Override
  public Outcome deliver(Job job) {
    return deliver(job, Arrival.IGNORED);
  }

  @Override
  public Outcome deliver(Job job, Arrival arrival) {
    EventIdentity identity = job.event().identity();
    return start(
        List.of(job),
        Math.min(Math.max(job.attempt(), 1), ExecutionName.MAX_ATTEMPT),
        n -> ExecutionName.of(identity, n),
        n -> ExecutionInput.of(job.event(), n),
        arrival);
  }

  /**
   * One execution for the whole batch, named from the batch's idempotency key and attempt ({@link
   * ExecutionName#ofBatch}), its input listing the members' objects under {@code items} for a
   * Distributed Map ({@link ExecutionInput#ofBatch}). Every member has the execution's outcome:
   * started together, and, when the end is polled, ended together by the execution's end.
   */
  @Override
  public BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
    return BatchOutcome.all(
        start(
            batch.members(),
            Math.min(batch.attempt(), ExecutionName.MAX_ATTEMPT),
            n -> ExecutionName.ofBatch(batch, n),
            n -> ExecutionInput.ofBatch(batch, n),
            arrival));
  }

  /**
   * Starts (or adopts) the execution of {@code attempt} of the work of {@code jobs}, whose names
   * and inputs by attempt are {@code nameOf} and {@code inputOf}.
   */
  private Outcome start(
      List<Job> jobs,
      int attempt,
      IntFunction<String> nameOf,
      IntFunction<String> inputOf,
      Arrival arrival) {
    try {
      Outcome earlier = adoptEarlierAttempt(jobs, nameOf, attempt);
      if (earlier != null) {
        arrival.arrived();
        return earlier;
      }
      for (int n = attempt;
          n <= Math.min(attempt + MAX_NAME_PROBES, ExecutionName.MAX_ATTEMPT);
          n++) {
        String name = nameOf.apply(n);
        String input = inputOf.apply(n);
        try {
          StartExecutionResponse r =
              sfn.startExecution(
                  b -> b.stateMachineArn(settings.stateMachineArn()).name(name).input(input));
          arrival.arrived();
          return started(jobs, r.executionArn(), false);
        } catch (ExecutionAlreadyExistsException e) {
          Outcome existing = adopt(jobs, settings.executionArn(name));
          if (existing != null) {
            arrival.arrived();
            return existing;
          }
          // That name's execution failed: this attempt needs a name of its own.
        }
      }
      return Outcome.permanent(
          "StartExecution: every execution name up to attempt "
              + (attempt + MAX_NAME_PROBES)
              + " is used by a failed execution");
    } catch (SdkException e) {
      return AwsOutcomes.of("StartExecution", e);
    }
  }

  /**
   * Looks for an execution started by an earlier attempt that never got its outcome settled (the
   * newest first, down to one that failed): one that runs or succeeded is this work.
   */
  private Outcome adoptEarlierAttempt(List<Job> jobs, IntFunction<String> nameOf, int attempt) {
    for (int a = attempt - 1; a >= 1; a--) {
      String arn = settings.executionArn(nameOf.apply(a));
      DescribeExecutionResponse d;
      try {
        d = sfn.describeExecution(b -> b.executionArn(arn));
      } catch (ExecutionDoesNotExistException never) {
        continue; // that attempt never started an execution
      }
      return ofExisting(jobs, d); // null if it failed: start anew
    }
    return null;
  }

  /** The existing execution {@code arn} as this work's outcome, or null if it failed. */
  private Outcome adopt(List<Job> jobs, String arn) {
    return ofExisting(jobs, sfn.describeExecution(b -> b.executionArn(arn)));
  }

  private Outcome ofExisting(List<Job> jobs, DescribeExecutionResponse d) {
    if (d.status() == ExecutionStatus.RUNNING || d.status() == ExecutionStatus.PENDING_REDRIVE) {
      return started(jobs, d.executionArn(), true);
    }
    if (d.status() == ExecutionStatus.SUCCEEDED) {
      return Outcome.completed();
    }
    return null;
  }

  private Outcome started(List<Job> jobs, String executionArn, boolean duplicate) {
    if (settings.completion() == StepFunctionsSettings.Completion.NONE) {
      return Outcome.completed();
    }
    ExecutionWatch w = watch;
    if (w != null) {
      w.watch(jobs, executionArn);
    }
    return new Outcome.Started(executionArn, settings.maxExecutionTime(), duplicate);
  }

  /** Executions watched for their end now; 0 when completion is not polled. */
  int watching() {
    ExecutionWatch w = watch;
    return w == null ? 0 : w.watching();
  }

  @Override
  public String describe() {
    return "step-functions " + settings.stateMachineArn();
  }

  @Override
  public void close() {
    ExecutionWatch w = watch;
    if (w != null) {
      w.close();
    }
    if (ownsClient) {
      sfn.close();
    }
  }
}
