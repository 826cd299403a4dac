package dev.sluice.sfnlocal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every execution the endpoint started and the StartExecution counts, behind one lock. Executions
 * close when their due instant has passed, checked on every read, so what Describe and List answer
 * never contradicts the clock whatever the background finisher is doing.
 */
final class ExecutionStore {

  /** What a StartExecution that got past the request checks came to. */
  sealed interface StartResult {
    /** The execution started now, or the running one an identical earlier call started. */
    record Started(RecordedExecution execution) implements StartResult {}

    /** Refused with this error. */
    record Refused(ApiError error) implements StartResult {}
  }

  private final Clock clock;
  private final Set<String> stateMachines;
  private final Function<ExecutionStart, ExecutionOutcome> outcomes;
  private final Function<ExecutionStart, Duration> durations;
  private final StartRateLimit rateLimit;
  private final StatusChangeJson eventJson;
  private final Consumer<StatusChangeEvent> publish;
  private final BiConsumer<String, Instant> scheduleFinish;

  private final Map<String, Execution> byArn = new LinkedHashMap<>();
  private final Map<String, List<Execution>> byMachine = new HashMap<>();
  private final PriorityQueue<Execution> running =
      new PriorityQueue<>(
          Comparator.comparing((Execution e) -> e.dueAt).thenComparingLong(e -> e.sequence));
  private final List<StatusChangeEvent> events = new ArrayList<>();
  private long nextSequence;
  private long answered;
  private long throttled;
  private long refused;

  ExecutionStore(
      Clock clock,
      Set<String> stateMachines,
      Function<ExecutionStart, ExecutionOutcome> outcomes,
      Function<ExecutionStart, Duration> durations,
      StartRateLimit rateLimit,
      StatusChangeJson eventJson,
      Consumer<StatusChangeEvent> publish,
      BiConsumer<String, Instant> scheduleFinish) {
    this.clock = clock;
    this.stateMachines = Collections.unmodifiableSet(new LinkedHashSet<>(stateMachines));
    this.outcomes = outcomes;
    this.durations = durations;
    this.rateLimit = rateLimit;
    this.eventJson = eventJson;
    this.publish = publish;
    this.scheduleFinish = scheduleFinish;
  }

  /** Takes a StartExecution token; false when the call must be throttled. */
  synchronized boolean tryTakeStartToken() {
    return rateLimit == null || rateLimit.tryTake(clock.instant());
  }

  /** Counts the answer to one StartExecution call. */
  synchronized void countStartAnswer(Answer answer) {
    if (answer instanceof Answer.Ok) {
      answered++;
    } else if (((Answer.Refused) answer).error().code().equals("ThrottlingException")) {
      throttled++;
    } else {
      refused++;
    }
  }

  Set<String> stateMachines() {
    return stateMachines;
  }

  synchronized boolean hasStateMachine(String arn) {
    return stateMachines.contains(arn);
  }

  /**
   * Starts an execution named {@code name} of {@code stateMachineArn}, or answers as the service
   * does for a name already used: the same running execution when the input is the same, else
   * {@code ExecutionAlreadyExists}.
   */
  synchronized StartResult start(
      String stateMachineArn, String name, String input, String traceHeader) {
    Instant now = now();
    finishDue(now);
    if (!stateMachines.contains(stateMachineArn)) {
      return new StartResult.Refused(ApiError.stateMachineDoesNotExist(stateMachineArn));
    }
    String executionArn = Arns.execution(stateMachineArn, name);
    Execution existing = byArn.get(executionArn);
    if (existing != null) {
      if (existing.status == ExecutionStatus.RUNNING && existing.input.equals(input)) {
        return new StartResult.Started(existing.snapshot());
      }
      return new StartResult.Refused(ApiError.executionAlreadyExists(executionArn));
    }
    ExecutionStart start = new ExecutionStart(executionArn, stateMachineArn, name, input);
    ExecutionOutcome outcome = outcomes.apply(start);
    Duration duration = durations.apply(start);
    if (outcome == null || duration == null || duration.isNegative()) {
      throw new IllegalStateException(
          "the outcome and duration functions must answer an outcome and a duration >= 0 for "
              + executionArn
              + ", got "
              + outcome
              + " and "
              + duration);
    }
    Execution e = new Execution(nextSequence++, start, traceHeader, now, outcome, duration);
    byArn.put(executionArn, e);
    byMachine.computeIfAbsent(stateMachineArn, k -> new ArrayList<>()).add(e);
    running.add(e);
    emit(e, now);
    scheduleFinish.accept(executionArn, e.dueAt);
    return new StartResult.Started(e.snapshot());
  }

  /** The execution with this ARN, closed first if it is due. */
  synchronized Optional<RecordedExecution> describe(String executionArn) {
    finishDue(now());
    return Optional.ofNullable(byArn.get(executionArn)).map(Execution::snapshot);
  }

  /**
   * Up to {@code limit} executions of a state machine started before {@code beforeSequence}, newest
   * first.
   */
  synchronized List<Listed> list(
      String stateMachineArn, ExecutionStatus filter, long beforeSequence, int limit) {
    finishDue(now());
    List<Execution> all = byMachine.getOrDefault(stateMachineArn, List.of());
    List<Listed> page = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && page.size() < limit; i--) {
      Execution e = all.get(i);
      if (e.sequence < beforeSequence && (filter == null || e.status == filter)) {
        page.add(new Listed(e.sequence, e.snapshot()));
      }
    }
    return page;
  }

  /** One execution in a listing, with its place in start order (for the next page's token). */
  record Listed(long sequence, RecordedExecution execution) {}

  /** Whether any execution of the machine older than {@code beforeSequence} passes the filter. */
  synchronized boolean hasMore(
      String stateMachineArn, ExecutionStatus filter, long beforeSequence) {
    for (Execution e : byMachine.getOrDefault(stateMachineArn, List.of())) {
      if (e.sequence < beforeSequence && (filter == null || e.status == filter)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Stops a running execution as ABORTED; a closed one is answered with its stop date, unchanged.
   */
  synchronized Optional<RecordedExecution> stop(String executionArn, String error, String cause) {
    Instant now = now();
    finishDue(now);
    Execution e = byArn.get(executionArn);
    if (e == null) {
      return Optional.empty();
    }
    if (e.status == ExecutionStatus.RUNNING) {
      e.close(ExecutionStatus.ABORTED, now, null, error, cause);
      emit(e, now);
    }
    return Optional.of(e.snapshot());
  }

  /** Closes every running execution whose due instant is not after {@code now}. */
  synchronized void finishDue(Instant now) {
    // Taken in the order they became due, so events come out in time order.
    while (!running.isEmpty() && !running.peek().dueAt.isAfter(now)) {
      Execution e = running.poll();
      if (e.status != ExecutionStatus.RUNNING) {
        continue; // stopped before it was due
      }
      // The execution ended when it was due, not when someone looked.
      if (e.outcome instanceof ExecutionOutcome.Succeed s) {
        e.close(ExecutionStatus.SUCCEEDED, e.dueAt, s.output(), null, null);
      } else if (e.outcome instanceof ExecutionOutcome.Fail f) {
        e.close(ExecutionStatus.FAILED, e.dueAt, null, f.error(), f.cause());
      } else if (e.outcome instanceof ExecutionOutcome.TimeOut t) {
        e.close(ExecutionStatus.TIMED_OUT, e.dueAt, null, t.error(), t.cause());
      }
      emit(e, e.dueAt);
    }
  }

  synchronized boolean isRunning(String executionArn) {
    Execution e = byArn.get(executionArn);
    return e != null && e.status == ExecutionStatus.RUNNING;
  }

  synchronized List<RecordedExecution> executions() {
    finishDue(now());
    return byArn.values().stream().map(Execution::snapshot).toList();
  }

  synchronized List<StatusChangeEvent> statusChanges() {
    finishDue(now());
    return List.copyOf(events);
  }

  synchronized StartExecutionCounts startCounts() {
    return new StartExecutionCounts(answered, throttled, refused);
  }

  private void emit(Execution e, Instant time) {
    StatusChangeEvent event = eventJson.eventOf(e.snapshot(), time);
    events.add(event);
    publish.accept(event);
  }

  private Instant now() {
    // The service reports dates to the millisecond; keeping that precision makes every answer
    // agree.
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** One execution's mutable state, guarded by the store's lock. */
  private static final class Execution {
    final long sequence;
    final ExecutionStart start;
    final String input;
    final String traceHeader;
    final Instant startedAt;
    final Instant dueAt;
    final ExecutionOutcome outcome;
    ExecutionStatus status = ExecutionStatus.RUNNING;
    Instant stoppedAt;
    String output;
    String error;
    String cause;

    Execution(
        long sequence,
        ExecutionStart start,
        String traceHeader,
        Instant startedAt,
        ExecutionOutcome outcome,
        Duration duration) {
      this.sequence = sequence;
      this.start = start;
      this.input = start.input();
      this.traceHeader = traceHeader;
      this.startedAt = startedAt;
      this.dueAt = startedAt.plus(duration).truncatedTo(ChronoUnit.MILLIS);
      this.outcome = outcome;
    }

    void close(ExecutionStatus to, Instant at, String output, String error, String cause) {
      this.status = to;
      this.stoppedAt = at;
      this.output = output;
      this.error = error;
      this.cause = cause;
    }

    RecordedExecution snapshot() {
      return new RecordedExecution(
          start.executionArn(),
          start.stateMachineArn(),
          start.name(),
          input,
          traceHeader,
          startedAt,
          stoppedAt,
          status,
          output,
          error,
          cause);
    }
  }
}
