package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.core.batch.BatchPlan;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.cluster.GateFence;
import dev.sluice.core.cluster.GateTerm;
import dev.sluice.core.cluster.NotGateHolderException;
import dev.sluice.core.gate.Admission;
import dev.sluice.core.gate.Capacity;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Grant;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionQuotas;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Moves events from the backlog to the target under the gate: asks the gate how many may start,
 * claims that many (the claim is the release and is logged), runs each job on the executor, and
 * settles outcomes (done, retry with backoff, dead letter).
 *
 * <p>An asynchronous target answers {@link Outcome.Started}: its worker is free at once, and the
 * job keeps its in-flight slot (so {@code max-in-flight} counts running executions, not open calls)
 * until the target reports the end of the work through {@link Target.Completions}; that end is
 * settled like any other outcome.
 *
 * <p>Several nodes on one shared store ({@link #shareGate}): only the node holding the gate
 * releases, so every limit is counted in one gate. A node that takes the gate over ({@link
 * #takeOver}) rebuilds its gate from the release log, counting the previous holder's open releases
 * until they can no longer reach the target; a node that loses it ({@link #gateLost}) releases
 * nothing more, and a job of its own that had not reached the target yet does not start.
 *
 * <p>A {@link CapacitySchedule} ({@link #setSchedule}) changes the gate's limits by time of day and
 * stops releases during a blackout: the releasing step applies the schedule at the instant it runs,
 * never grants ahead across the schedule's next change, and wakes at that change, so a change
 * applies at its boundary and the releases already counted stay counted ({@link Gate#setLimits}).
 * The limits the operator sets ({@link #setLimits}) are the base the schedule's rules override.
 *
 * <p>Two ways to drive it: {@link #tick()} performs one step in the caller's thread (tests run it
 * in virtual time with a direct executor), {@link #start()} runs a releasing loop and a settling
 * loop on threads of their own.
 */
public final class Dispatcher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

  private final Backlog backlog;
  private final Target target;
  private final Gate gate;
  private final TimeSource time;
  private final DispatcherConfig config;
  private final Executor executor;
  private final Random random;

  /**
   * How long after a call to the target began the job counts as arrived, when the target has not
   * answered by then (see {@link CallsInProgress}). Longer than a loaded machine keeps a thread
   * from running (with a thousand workers waking at once on 2 cores, over 100 ms was seen: 50 ms
   * let a window hold 1082) or a request takes to cross a network; short beside a long job.
   */
  static final Duration ARRIVAL_MARGIN = Duration.ofSeconds(1);

  /** Outcomes to settle, in the order they came: a started job's end always after its start. */
  private final ConcurrentLinkedDeque<Finished> finished = new ConcurrentLinkedDeque<>();

  /**
   * Guards {@link #startedWork} and {@link #earlyEnds}: a target may report the end of work before
   * the worker that started it has returned, and the end must be settled after the start.
   */
  private final Object startedLock = new Object();

  /**
   * Held while outcomes are taken and settled: by the settling loop, or by the releasing loop when
   * it settles them together with a claim. One at a time keeps settlements in the order the
   * outcomes came.
   */
  private final ReentrantLock settleLock = new ReentrantLock();

  /** Jobs the target answered started and whose end is not yet settled, by release id. */
  private final Map<Long, StartedWork> startedWork = new HashMap<>();

  /** A job whose work the target began, and when the call that began it reached the target. */
  private record StartedWork(Job job, long reachedNanos) {}

  private final List<DispatchObserver> observers = new CopyOnWriteArrayList<>();

  /**
   * When the gate first granted nothing since the last release, or {@link #NOT_TIMED}; touched only
   * by the releasing thread.
   */
  private long gateRefusedSince = NOT_TIMED;

  /** Ends reported before the worker handed over the start, by release id. */
  private final Map<Long, Finished> earlyEnds = new HashMap<>();

  private final CallsInProgress calls = new CallsInProgress(ARRIVAL_MARGIN);

  /** How releases are grouped into batches ({@link #batchBy}); null: one event per job. */
  private volatile BatchRelease batches;

  /** Adapts the gate's in-flight ceiling to the target's answers (when enabled). */
  private final AdaptiveLimiter adaptive;

  /** Released and not yet settled. */
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * Handed to a worker and not yet answered by the target; bounded by config.workers(). A worker is
   * free again as soon as the target answers, so a settlement never holds back the next release.
   * The gate's concurrency slot, by contrast, is held until the outcome is committed: a crash in
   * between makes the outcome unknown and the job is released again, so with max-in-flight M at
   * most M jobs are repeated after a crash.
   */
  private final AtomicInteger busyWorkers = new AtomicInteger();

  private final AtomicLong released = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong releasePasses = new AtomicLong();

  private final WakeSignal releaseSignal;
  private final WakeSignal settleSignal;

  /** How often a step that keeps failing (a full disk) is logged again. */
  static final Duration FAILURE_LOG_QUIET = Duration.ofMinutes(1);

  private final RepeatedFailureLog releaseFailures;
  private final RepeatedFailureLog settleFailures;
  private volatile boolean paused;
  private volatile boolean running;

  /** Whether this node holds the gate, when several nodes share the store; null on one node. */
  private volatile GateFence fence;

  /** The term this node was told it holds ({@link #takeOver}), or null. */
  private final AtomicReference<GateTerm> grantedTerm = new AtomicReference<>();

  /**
   * The term whose gate this dispatcher rebuilt and releases under, or null; written by the
   * releasing thread only.
   */
  private volatile GateTerm activeTerm;

  /**
   * Jobs of a previous holder the gate counts since a takeover, by when each is taken as started or
   * as ended; touched by the releasing thread only.
   */
  private final PriorityQueue<HeldChange> heldChanges =
      new PriorityQueue<>((a, b) -> Long.compare(a.atNanos(), b.atNanos()));

  /** At {@code atNanos}, {@code count} held jobs are taken as started, or (if not) as ended. */
  private record HeldChange(long atNanos, int count, boolean start) {}

  private Thread loop;
  private Thread settler;

  /** Guards the base limits, the schedule and the capacity applied to the gate. */
  private final Object capacityLock = new Object();

  /** The limits the operator set; the schedule's rules override their parts. */
  private Limits baseLimits;

  private CapacitySchedule schedule = CapacitySchedule.NONE;

  /** The capacity applied to the gate, and until when (monotonic nanos) it holds. */
  private AppliedCapacity applied;

  /** A capacity applied at a step, holding until {@code untilNanos} ({@link Long#MAX_VALUE}). */
  private record AppliedCapacity(Capacity capacity, long untilNanos) {}

  /**
   * Whether the releasing loop is claiming at this moment (the gate granted releases); its next
   * claim settles the outcomes waiting then in the same transaction. Read by the settling loop.
   */
  private volatile boolean claiming;

  /** When the releasing loop last finished claiming, or {@link #NOT_TIMED}. */
  private volatile long claimedNanos = NOT_TIMED;

  /** Whether the releasing loop is claiming, or finished a claim within the deferral. */
  private boolean claimingLately() {
    long last = claimedNanos;
    return claiming || (last != NOT_TIMED && time.nanoTime() - last < SETTLE_DEFER_NANOS);
  }

  /** How long the settling loop leaves waiting outcomes to a busy releasing loop at most. */
  private static final long SETTLE_DEFER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * A job's outcome to settle. {@code end} marks the reported end of started work; it carries no
   * time of reaching the target ({@link #NOT_TIMED}), so the times recorded at the start are kept,
   * and {@code answeredNanos} is when the end was reported.
   */
  private record Finished(
      Job job, Outcome outcome, long reachedNanos, long answeredNanos, boolean end) {}

  private static final long NOT_TIMED = Long.MIN_VALUE;

  private static final String NOT_STARTED_GATE_LOST_TEXT =
      "not started: this node no longer holds the gate";

  /**
   * The outcome of a job that did not start because its node lost the gate first: due again at
   * once, no attempt spent (the retry policy's backoff is for a target that refused).
   */
  private static final Outcome NOT_STARTED_GATE_LOST =
      Outcome.throttled(Duration.ZERO, NOT_STARTED_GATE_LOST_TEXT);

  /**
   * @param executor runs jobs; production passes a pool of {@code config.workers()} threads, tests
   *     a direct executor ({@code Runnable::run})
   * @param random jitter source; tests pass a seeded one
   */
  public Dispatcher(
      Backlog backlog,
      Target target,
      Gate gate,
      TimeSource time,
      DispatcherConfig config,
      Executor executor,
      Random random) {
    this.backlog = backlog;
    this.target = target;
    this.gate = gate;
    this.time = time;
    this.config = config;
    this.executor = executor;
    this.random = random;
    this.releaseSignal = new WakeSignal(time);
    this.settleSignal = new WakeSignal(time);
    this.releaseFailures = new RepeatedFailureLog("dispatcher step", time, FAILURE_LOG_QUIET);
    this.settleFailures = new RepeatedFailureLog("settling outcomes", time, FAILURE_LOG_QUIET);
    this.baseLimits = gate.limits();
    restoreGateFromReleaseLog();
    target.watchCompletions(this::endReported);
    this.adaptive = new AdaptiveLimiter(gate, time, config.workers(), config.adaptive());
    adaptive.keepWholeReleasesOf(this::wholeBatchPermits);
    observers.add(adaptive);
  }

  /** The permits one whole batch takes at once: K when batches count objects, else 1. */
  private int wholeBatchPermits() {
    BatchPlanner p = batchPlanner();
    return p != null && p.count() == dev.sluice.core.batch.LimitCount.OBJECTS
        ? p.settings().max()
        : 1;
  }

  /**
   * Divides each step's releases between partitions when the backlog is partitioned; null when it
   * is not (every event in one partition, released oldest first as ever).
   */
  private volatile PartitionSharing partitions;

  /**
   * Releases under fair share between partitions ({@code partitions} in the config): each step
   * divides the releases the gate granted between the partitions that have due events, by {@code
   * sharing}'s weights and caps, and claims at most each partition's part. Call before {@link
   * #start()} or the first {@link #tick()}.
   */
  public void sharePartitions(PartitionSharing sharing) {
    this.partitions = Objects.requireNonNull(sharing, "sharing");
    observers.add(sharing);
  }

  /** The fair share between partitions, or null when the backlog is not partitioned. */
  public PartitionSharing partitions() {
    return partitions;
  }

  /** The adapted concurrency: its settings (changeable at runtime) and its current limit. */
  public AdaptiveLimiter adaptive() {
    return adaptive;
  }

  /**
   * A dispatcher whose limits follow {@code schedule} over the gate's limits from the start: the
   * gate is seeded from the release log as far back as the longest limits the schedule brings.
   */
  public Dispatcher(
      Backlog backlog,
      Target target,
      Gate gate,
      TimeSource time,
      DispatcherConfig config,
      Executor executor,
      Random random,
      CapacitySchedule schedule) {
    this(backlog, target, keepingHistoryFor(gate, schedule), time, config, executor, random);
    setSchedule(schedule);
  }

  private static Gate keepingHistoryFor(Gate gate, CapacitySchedule schedule) {
    gate.keepHistoryFor(schedule.historyNeeded(gate.limits()));
    return gate;
  }

  /**
   * Adds an observer of releases, outcomes and settlements; call before {@link #start()} or the
   * first {@link #tick()}. Observers are called in the order they were added.
   */
  public void addObserver(DispatchObserver observer) {
    observers.add(java.util.Objects.requireNonNull(observer, "observer"));
  }

  /** Tells every observer; one that throws is logged and the others are still told. */
  private void report(Consumer<DispatchObserver> event) {
    for (DispatchObserver o : observers) {
      try {
        event.accept(o);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "dispatch observer " + o + " failed; ignored", e);
      }
    }
  }

  /** The target reports the end of work it answered started; see {@link Target.Completions}. */
  private void endReported(Job job, Outcome outcome) {
    Finished end = new Finished(job, outcome, NOT_TIMED, time.nanoTime(), true);
    synchronized (startedLock) {
      if (startedWork.containsKey(job.releaseId())) {
        finished.add(end);
      } else {
        earlyEnds.put(job.releaseId(), end);
      }
    }
    settleSignal.signal();
  }

  /**
   * Seeds the gate with the starts of the recent past, so a restart does not grant a fresh window:
   * the window that was used up before the restart stays used up. A job reaches the target within
   * its lease of its release, or its outcome counts as lost; so that is how far back to look.
   */
  private void restoreGateFromReleaseLog() {
    long now = time.nanoTime();
    Instant since = time.instantAt(now).minus(gate.historyNeeded());
    List<Long> past = new ArrayList<>();
    for (Instant t : backlog.startTimes(since, config.lease())) {
      past.add(time.nanoTimeAt(t));
    }
    gate.restore(past);
  }

  /**
   * One step: release as many due events as the gate and the free workers allow, now and, within
   * {@code config.lead()}, at the instants the gate frees them (claims of at most {@code
   * config.batch()} events each, so one transaction never holds the backlog's writer long), then
   * settle finished jobs. Releasing comes first: a window that opens must not wait for a
   * settlement's transaction (the first claim settles at most as many outcomes as it claims jobs,
   * in its own transaction); when nothing could be released, a settlement may have freed
   * concurrency slots, so the gate is asked again. Returns how many were released.
   */
  public int tick() {
    int released = releaseDue();
    if (applyOutcomes() > 0 && released == 0) {
      released = releaseDue();
    }
    return released;
  }

  private int releaseDue() {
    int n = releaseDueOnce();
    releasePasses.incrementAndGet();
    return n;
  }

  private int releaseDueOnce() {
    if (paused) {
      return 0;
    }
    long now = time.nanoTime();
    GateTerm term = null;
    if (fence != null) {
      term = termToReleaseUnder(now);
      if (term == null) {
        return 0;
      }
    }
    calls.sweep(now, gate::onStart);
    AppliedCapacity capacity = capacityAt(now);
    int free = config.workers() - busyWorkers.get();
    if (free <= 0) {
      return 0;
    }
    BatchRelease batching = batches;
    if (batching != null) {
      return releaseBatches(batching, now, term, capacity, free);
    }
    // Never ahead across the schedule's next change: the limits granting then are not these.
    long horizon = Math.min(now + config.lead().toNanos(), capacity.untilNanos() - 1);
    List<Grant> grants =
        capacity.capacity().blackout() ? List.of() : gate.reserveAhead(now, horizon, free);
    List<Long> grantedAt = new ArrayList<>();
    List<Instant> releaseTimes = new ArrayList<>();
    for (Grant g : grants) {
      Instant t = time.instantAt(g.atNanos());
      for (int i = 0; i < g.count(); i++) {
        grantedAt.add(g.atNanos());
        releaseTimes.add(t);
      }
    }
    if (releaseTimes.isEmpty()) {
      gateRefused(now);
      return 0;
    }
    // Every claim of the step first, then every hand-over: jobs handed out while the next claim
    // runs would take the CPU from it, and the window would reach the target spread out.
    Instant at = time.instantAt(now);
    List<Job> jobs = new ArrayList<>();
    // Outcomes that are waiting ride along with the first claim: one backlog transaction for both
    // instead of two, when the settling thread is not settling at this moment.
    // No more outcomes than the claim takes jobs: a window that opens waits for a settlement of
    // its own size at most.
    claiming = true;
    boolean settling = settleLock.tryLock();
    try {
      PartitionSharing sharing = partitions;
      // Partitioned: each claim takes at most each partition's share of the step's permits.
      // Asked before outcomes are taken, so a backlog that fails here loses none of them.
      PartitionStep shares =
          sharing == null ? null : PartitionStep.begin(sharing, backlog, releaseTimes.size(), at);
      PendingOutcomes outcomes =
          settling ? takeOutcomes(now, Math.min(config.batch(), releaseTimes.size())) : null;
      while (jobs.size() < releaseTimes.size()) {
        int from = jobs.size();
        if (term != null && !holds(term)) {
          break; // the term ran out between two claims
        }
        PartitionQuotas quotas = shares == null ? PartitionQuotas.ANY : shares.quotas();
        if (outcomes == null && !quotas.isAny() && quotas.asMap().isEmpty()) {
          break; // no partition may give any (none due, or every one at its cap)
        }
        int to = Math.min(releaseTimes.size(), from + config.batch());
        List<Instant> times = releaseTimes.subList(from, to);
        List<Job> claimed;
        if (outcomes == null) {
          try {
            claimed =
                shares == null
                    ? backlog.claim(times, config.lease(), at)
                    : backlog.claim(times, config.lease(), at, quotas);
          } catch (NotGateHolderException e) {
            gateRefusedClaim(e, term);
            break;
          }
        } else {
          try {
            claimed =
                shares == null
                    ? backlog.settleAndClaim(outcomes.settlements(), times, config.lease(), at)
                    : backlog.settleAndClaim(
                        outcomes.settlements(), times, config.lease(), at, quotas);
          } catch (NotGateHolderException e) {
            putBack(outcomes);
            gateRefusedClaim(e, term);
            break;
          } catch (RuntimeException e) {
            putBack(outcomes);
            throw e;
          }
          outcomesSettled(outcomes);
          outcomes = null;
        }
        jobs.addAll(claimed);
        if (shares != null) {
          shares.took(claimed);
        }
        if (claimed.size() < to - from
            && (shares == null || !shares.lendLeftover(releaseTimes.size() - jobs.size()))) {
          break; // nothing more is due (or, partitioned, none of the partitions has more)
        }
      }
    } finally {
      claimsEnded(settling, releaseTimes.size() - jobs.size());
    }
    Duration heldByGate = heldByGate(!jobs.isEmpty(), now);
    if (!jobs.isEmpty()) {
      // Told before the hand-over, so a worker's answer never reaches an observer first.
      List<Job> releasedJobs = List.copyOf(jobs);
      report(o -> o.released(releasedJobs, at, heldByGate));
      handOut(jobs, grantedAt, term);
    }
    return jobs.size();
  }

  /** The gate granted nothing at {@code now}: the limits hold releases back. */
  private void gateRefused(long now) {
    if (gateRefusedSince == NOT_TIMED) {
      gateRefusedSince = now;
    }
    if (!observers.isEmpty()) {
      Instant refusedAt = time.instantAt(now);
      report(o -> o.gateRefused(refusedAt));
    }
  }

  /**
   * Makes this dispatcher release batches: each step asks the backlog which partitions have events
   * due, lets {@code planner} decide how many to take from each (whole batches; a partial one once
   * a partition's oldest event has waited), claims them with those quotas, groups the jobs into
   * batches of the planner's K by {@code rule}, and runs each batch on one worker as one job of the
   * target ({@link Target#deliverBatch}). Each member keeps its own release and is settled on its
   * own: a member the target names as failed is retried alone. The gate counts a batch as one job
   * or as its events ({@link dev.sluice.core.batch.LimitCount}). Batches are claimed at the instant
   * the gate grants them, never ahead ({@code lead} is not used). Call before {@link #start()} or
   * the first {@link #tick()}. With {@link #sharePartitions} as well, each step's batches are
   * divided between the partitions by weight and within their caps ({@code SharedBatchPlan}).
   */
  public void batchBy(BatchPlanner planner, PartitionRule rule) {
    Objects.requireNonNull(planner, "planner");
    Objects.requireNonNull(rule, "rule");
    this.batches = planner.settings().batching() ? new BatchRelease(planner, rule) : null;
  }

  /**
   * Changes the batch size K and the wait of a dispatcher that releases batches: the next release
   * step plans with them; batches already formed keep their members. What the gate counts ({@link
   * dev.sluice.core.batch.LimitCount}) and whether jobs are batches at all stay as {@link #batchBy}
   * set them: a batch in flight holds its permits in that unit, and the release path is chosen
   * once.
   *
   * @throws IllegalStateException when this dispatcher does not release batches, or {@code
   *     settings} would stop batching
   */
  public void setBatchSettings(BatchSettings settings) {
    Objects.requireNonNull(settings, "settings");
    BatchRelease b = batches;
    if (b == null) {
      throw new IllegalStateException("this dispatcher releases one event per job, not batches");
    }
    if (!settings.batching()) {
      throw new IllegalStateException(
          "batch max must stay above 1 at runtime, got " + settings.max());
    }
    b.planner = new BatchPlanner(settings, b.planner.count());
    wake();
  }

  /** How batches are planned, or null when every job carries one event. */
  public BatchPlanner batchPlanner() {
    BatchRelease b = batches;
    return b == null ? null : b.planner;
  }

  /** The partition rule batches are grouped by, or null when every job carries one event. */
  public PartitionRule batchRule() {
    BatchRelease b = batches;
    return b == null ? null : b.rule;
  }

  /**
   * The release step of a dispatcher that releases batches ({@link #batchBy}): permits now, the
   * planner's quotas over the partitions due, one claim with them, the jobs grouped into batches,
   * each batch handed to one worker. Returns how many events were released.
   */
  private int releaseBatches(
      BatchRelease batching, long now, GateTerm term, AppliedCapacity capacity, int free) {
    BatchPlanner planner = batching.planner;
    int k = planner.settings().max();
    // One claim per step, of at most about config.batch() events, as a step of single jobs.
    int batchesAtMost = Math.min(free, Math.max(1, config.batch() / k));
    List<Grant> grants =
        capacity.capacity().blackout()
            ? List.of()
            : gate.reserveAhead(now, now, planner.permitsFor(batchesAtMost));
    int permits = 0;
    for (Grant g : grants) {
      permits += g.count();
    }
    if (permits == 0) {
      gateRefused(now);
      return 0;
    }
    Instant at = time.instantAt(now);
    BatchPlan plan;
    try {
      List<PartitionDue> dues = backlog.duePartitions(at, planner.countUpTo(permits));
      PartitionSharing sharing = partitions;
      plan =
          sharing == null
              ? planner.plan(dues, permits, at)
              : SharedBatchPlan.plan(planner, sharing, dues, permits, at);
    } catch (RuntimeException e) {
      gate.cancel(permits);
      throw e;
    }
    batching.nextReadyAt = plan.nextReadyAt();
    if (plan.isEmpty()) {
      gate.cancel(permits);
      return 0; // nothing ready: not the gate's doing
    }
    List<Instant> releaseTimes = Collections.nCopies(plan.events(), at);
    PartitionQuotas quotas = PartitionQuotas.limits(plan.quotas());
    List<Job> jobs = List.of();
    List<Batch> formed = List.of();
    claiming = true;
    boolean settling = settleLock.tryLock();
    try {
      PendingOutcomes outcomes =
          settling ? takeOutcomes(now, Math.min(config.batch(), plan.events())) : null;
      if (term == null || holds(term)) {
        if (outcomes == null) {
          try {
            jobs = backlog.claim(releaseTimes, config.lease(), at, quotas);
          } catch (NotGateHolderException e) {
            gateRefusedClaim(e, term);
          }
        } else {
          boolean settled = false;
          try {
            jobs =
                backlog.settleAndClaim(
                    outcomes.settlements(), releaseTimes, config.lease(), at, quotas);
            settled = true;
          } catch (NotGateHolderException e) {
            putBack(outcomes);
            gateRefusedClaim(e, term);
          } catch (RuntimeException e) {
            putBack(outcomes);
            throw e;
          }
          if (settled) {
            outcomesSettled(outcomes);
          }
        }
      } else if (outcomes != null) {
        putBack(outcomes);
      }
      formed = Batch.group(jobs, batching::partitionOf, k);
    } finally {
      claimsEnded(settling, permits - batching.slots.units(formed));
    }
    Duration heldByGate = heldByGate(!jobs.isEmpty(), now);
    if (!jobs.isEmpty()) {
      List<Job> releasedJobs = List.copyOf(jobs);
      report(o -> o.released(releasedJobs, at, heldByGate));
      for (Batch b : formed) {
        boolean partial = b.size() < k;
        report(o -> o.batchReleased(b, partial));
      }
      handOutBatches(batching, jobs.size(), formed, now, term);
    }
    return jobs.size();
  }

  private void handOutBatches(
      BatchRelease batching, int events, List<Batch> formed, long notBeforeNanos, GateTerm term) {
    inFlight.addAndGet(events);
    busyWorkers.addAndGet(formed.size());
    released.addAndGet(events);
    for (Batch batch : formed) {
      batching.slots.opened(batch);
      executor.execute(() -> runBatch(batching, batch, notBeforeNanos, term));
    }
  }

  /** Runs one batch as one job of the target; each member's outcome is settled on its own. */
  private void runBatch(BatchRelease batching, Batch batch, long notBeforeNanos, GateTerm term) {
    try {
      time.sleepUntil(notBeforeNanos);
    } catch (InterruptedException e) {
      // The pool is shutting down: the batch never reached the target and its leases bring its
      // members back.
      Thread.currentThread().interrupt();
      busyWorkers.decrementAndGet();
      return;
    }
    int units = batching.slots.units(batch);
    long reached = time.nanoTime();
    if (term != null && !holds(term)) {
      gate.onStart(reached, units);
      for (Job member : batch.members()) {
        finished.add(new Finished(member, NOT_STARTED_GATE_LOST, reached, reached, false));
      }
      busyWorkers.decrementAndGet();
      settleSignal.signal();
      return;
    }
    CallsInProgress.Call call = calls.begin(reached, units);
    Target.Arrival arrival =
        () -> {
          long at = time.nanoTime();
          if (calls.arrived(call)) {
            gate.onStart(at, units);
          }
        };
    BatchOutcome outcome;
    try {
      outcome = target.deliverBatch(batch, arrival);
      if (outcome == null) {
        outcome = BatchOutcome.all(Outcome.retryable("target returned no outcome"));
      }
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "target threw on batch "
              + batch.idempotencyKey()
              + " (release "
              + batch.reference()
              + ")",
          e);
      outcome = BatchOutcome.all(Outcome.retryable("target threw " + e));
    }
    long answered = time.nanoTime();
    if (!observers.isEmpty()) {
      BatchOutcome answer = outcome;
      Duration atTarget = Duration.ofNanos(answered - reached);
      report(o -> o.batchAnswered(batch, answer, atTarget));
      for (Job member : batch.members()) {
        Outcome memberAnswer = answer.of(member);
        report(o -> o.answered(member, memberAnswer, atTarget));
      }
    }
    long arrived = calls.end(call, answered);
    if (arrived >= 0) {
      gate.onStart(arrived, units);
    }
    int answeredUnits = batching.slots.answered(batch, outcome);
    if (answeredUnits > 0) {
      gate.onAnswered(answeredUnits);
    }
    synchronized (startedLock) {
      // Under the lock, as for one job: a member's reported end always follows its start.
      for (Job member : batch.members()) {
        Outcome o = outcome.of(member);
        finished.add(new Finished(member, o, reached, answered, false));
        if (o instanceof Outcome.Started) {
          startedWork.put(member.releaseId(), new StartedWork(member, reached));
          Finished early = earlyEnds.remove(member.releaseId());
          if (early != null) {
            finished.add(early);
          }
        }
      }
    }
    busyWorkers.decrementAndGet();
    settleSignal.signal();
    wake(); // a worker is free
  }

  /**
   * Ends a step's claims: the settling loop may settle on its own again, and the permits the claims
   * did not use go back to the gate.
   */
  private void claimsEnded(boolean settling, int unusedPermits) {
    claimedNanos = time.nanoTime();
    claiming = false;
    if (settling) {
      settleLock.unlock();
    }
    if (unusedPermits > 0) {
      gate.cancel(unusedPermits);
    }
  }

  /** How long the gate held back what a step released, and the refusals forgotten. */
  private Duration heldByGate(boolean releasedAny, long now) {
    // Granted with nothing due: the gate held nothing back, whatever it refused before.
    Duration held =
        !releasedAny || gateRefusedSince == NOT_TIMED
            ? Duration.ZERO
            : Duration.ofNanos(now - gateRefusedSince);
    gateRefusedSince = NOT_TIMED;
    return held;
  }

  /**
   * The store refused a claim under {@code term}: the store's record says this node no longer holds
   * it, whatever the node's own clock says. Nothing more is released under it; the gate keeper's
   * next renewal brings a new term ({@link #takeOver}) or says it is lost.
   */
  private void gateRefusedClaim(NotGateHolderException e, GateTerm term) {
    LOG.log(System.Logger.Level.INFO, "claim refused: " + e.getMessage());
    activeTerm = null;
    grantedTerm.compareAndSet(term, null);
  }

  /**
   * Starts each job on a worker; the i-th waits there until {@code notBeforeNanos.get(i)}, the
   * instant the gate granted it (the gate counts it from its release until it is known to have
   * arrived, see {@link Gate#reserve}).
   */
  private void handOut(List<Job> jobs, List<Long> notBeforeNanos, GateTerm term) {
    inFlight.addAndGet(jobs.size());
    busyWorkers.addAndGet(jobs.size());
    released.addAndGet(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      Job job = jobs.get(i);
      long notBefore = notBeforeNanos.get(i);
      executor.execute(() -> run(job, notBefore, term));
    }
  }

  private void run(Job job, long notBeforeNanos, GateTerm term) {
    try {
      time.sleepUntil(notBeforeNanos);
    } catch (InterruptedException e) {
      // The pool is shutting down: the job never reached the target and its lease brings it back.
      Thread.currentThread().interrupt();
      busyWorkers.decrementAndGet();
      return;
    }
    long reached = time.nanoTime();
    if (term != null && !holds(term)) {
      notStartedGateLost(job, reached);
      return;
    }
    CallsInProgress.Call call = calls.begin(reached);
    Target.Arrival arrival =
        () -> {
          long at = time.nanoTime();
          if (calls.arrived(call)) {
            gate.onStart(at, 1);
          }
        };
    Outcome outcome;
    try {
      outcome = target.deliver(job, arrival);
      if (outcome == null) {
        outcome = Outcome.retryable("target returned no outcome");
      }
    } catch (RuntimeException e) {
      // A target must answer with an Outcome; an exception is a bug or broken infrastructure
      // there, and the safe reading of an unknown result is "try again". The release log keeps
      // the message; the stack trace, which says where it broke, goes to the log.
      LOG.log(
          System.Logger.Level.WARNING,
          "target threw on event " + job.eventId() + " (release " + job.releaseId() + ")",
          e);
      outcome = Outcome.retryable("target threw " + e);
    }
    long answered = time.nanoTime();
    if (!observers.isEmpty()) {
      Outcome answer = outcome;
      Duration atTarget = Duration.ofNanos(answered - reached);
      report(o -> o.answered(job, answer, atTarget));
    }
    long arrived = calls.end(call, answered);
    if (arrived >= 0) {
      gate.onStart(arrived, 1);
    }
    if (!(outcome instanceof Outcome.Started)) {
      // The target is done with the job: an adapted limit counts it no longer, though its slot
      // under max-in-flight is held until its outcome is committed.
      gate.onAnswered(1);
    }
    Finished done = new Finished(job, outcome, reached, answered, false);
    if (outcome instanceof Outcome.Started) {
      synchronized (startedLock) {
        startedWork.put(job.releaseId(), new StartedWork(job, reached));
        finished.add(done);
        Finished early = earlyEnds.remove(job.releaseId());
        if (early != null) {
          finished.add(early);
        }
      }
    } else {
      finished.add(done);
    }
    busyWorkers.decrementAndGet();
    settleSignal.signal();
    wake(); // a worker is free
  }

  /**
   * The node lost the gate while the job waited for its instant: it does not start, and goes back
   * to waiting without spending an attempt. The new holder counts it from the release log until it
   * is settled or its lease ends; here it counts as started now (it holds its place in the windows
   * it was granted, never more than it was granted).
   */
  private void notStartedGateLost(Job job, long now) {
    gate.onStart(now, 1);
    finished.add(new Finished(job, NOT_STARTED_GATE_LOST, now, now, false));
    busyWorkers.decrementAndGet();
    settleSignal.signal();
  }

  /**
   * Makes this dispatcher one node of several sharing its store: it releases only while {@code
   * fence} says this node holds the gate and after {@link #takeOver} told it the term. Call before
   * {@link #start()} or the first {@link #tick()}.
   */
  public void shareGate(GateFence fence) {
    this.fence = java.util.Objects.requireNonNull(fence, "fence");
  }

  /**
   * This node holds the gate under {@code term} (from the gate keeper's thread). Its next step
   * rebuilds the gate from the release log, once no job of its own is on its way to the target
   * (they were counted by the gate of an earlier term), and then releases.
   */
  public void takeOver(GateTerm term) {
    grantedTerm.set(java.util.Objects.requireNonNull(term, "term"));
    wake();
  }

  /** The term ended or another node took the gate: nothing more is released under it. */
  public void gateLost(GateTerm term) {
    GateTerm granted = grantedTerm.get();
    if (granted != null && granted.epoch() == term.epoch()) {
      grantedTerm.compareAndSet(granted, null);
    }
    wake();
  }

  /**
   * Whether this dispatcher releases: always on one node; with a shared gate, while it holds the
   * gate and has rebuilt it.
   */
  public boolean holdsGate() {
    return fence == null || activeTerm != null;
  }

  private boolean holds(GateTerm term) {
    return fence
        .heldTerm()
        .map(t -> t.epoch() == term.epoch() && t.nodeId().equals(term.nodeId()))
        .orElse(false);
  }

  /**
   * The term to release under at {@code now}, rebuilding the gate first on a new term; null when
   * this node may not release now.
   */
  private GateTerm termToReleaseUnder(long now) {
    GateTerm granted = grantedTerm.get();
    if (granted == null || !holds(granted)) {
      activeTerm = null;
      return null;
    }
    GateTerm active = activeTerm;
    if (active == null || active.epoch() != granted.epoch()) {
      // What an earlier rebuild held is counted afresh from the log now.
      releaseHeld(Long.MAX_VALUE, now);
      if (busyWorkers.get() > 0 || gate.notYetStarted() > 0 || !finished.isEmpty()) {
        return null; // own jobs of an earlier term are still on their way: wait for them
      }
      rebuildGate(now);
      activeTerm = granted;
      LOG.log(
          System.Logger.Level.DEBUG,
          "gate rebuilt from the release log (epoch " + granted.epoch() + "); releasing");
    }
    releaseHeld(now, now);
    return granted;
  }

  /**
   * Counts again, from the release log, what the gate must hold when this node takes it over: every
   * start the log knows, and the other nodes' releases still open, in flight until their lease ends
   * (for a job answered as started, its hold: {@link #heldUntil}), and not yet started (counting at
   * every instant) until the arrival margin after now: a holder stops handing jobs to the target
   * when its term runs out, which is before this takeover, so a job of its that has not reached the
   * target by then no longer will.
   */
  private void rebuildGate(long now) {
    Instant at = time.instantAt(now);
    Duration back =
        gate.historyNeeded().compareTo(config.lease()) > 0 ? gate.historyNeeded() : config.lease();
    Set<Long> own;
    synchronized (startedLock) {
      own = new HashSet<>(startedWork.keySet());
    }
    List<Long> starts = new ArrayList<>();
    int held = 0;
    int heldNotStarted = 0;
    long after = 0;
    final int page = 1000;
    // Caps on a partition's events in flight count the previous holder's open releases, as the gate
    // does.
    PartitionSharing sharing = partitions;
    if (sharing != null) {
      sharing.forgetHeldElsewhere();
    }
    while (true) {
      List<ReleaseRecord> records = backlog.releases(at.minus(back), after, page);
      for (ReleaseRecord r : records) {
        after = r.releaseId();
        if (r.finishedAt() != null) {
          Instant start = r.answeredAt() != null ? r.answeredAt() : r.finishedAt();
          starts.add(time.nanoTimeAt(start));
        } else if (own.contains(r.releaseId())) {
          if (r.answeredAt() != null) {
            starts.add(time.nanoTimeAt(r.answeredAt())); // in flight in this gate already
          }
        } else {
          held++;
          heldChanges.add(new HeldChange(time.nanoTimeAt(heldUntil(r)), 1, false));
          if (sharing != null) {
            sharing.heldElsewhere(r.bucket(), r.key(), heldUntil(r));
          }
          if (r.answeredAt() != null) {
            starts.add(time.nanoTimeAt(r.answeredAt()));
          } else {
            heldNotStarted++;
          }
        }
      }
      if (records.size() < page) {
        break;
      }
    }
    // Open releases older than that: jobs a target answered as started and still holds (an
    // asynchronous job can run for hours). Long out of every window, but in flight until then.
    after = 0;
    while (true) {
      List<ReleaseRecord> records = backlog.openReleases(at.minus(back), after, page);
      for (ReleaseRecord r : records) {
        after = r.releaseId();
        if (!own.contains(r.releaseId())) {
          held++;
          heldChanges.add(new HeldChange(time.nanoTimeAt(heldUntil(r)), 1, false));
          if (sharing != null) {
            sharing.heldElsewhere(r.bucket(), r.key(), heldUntil(r));
          }
        }
      }
      if (records.size() < page) {
        break;
      }
    }
    gate.takeOver(starts, held, heldNotStarted);
    if (heldNotStarted > 0) {
      heldChanges.add(new HeldChange(now + ARRIVAL_MARGIN.toNanos(), heldNotStarted, true));
    }
  }

  /**
   * Until when another node's open release counts as in flight: its lease, or the hold of a job the
   * target answered as started (its event's lease was extended to it), whichever ends later.
   */
  private Instant heldUntil(ReleaseRecord r) {
    Instant lease = r.releasedAt().plus(config.lease());
    return r.leaseUntil() != null && r.leaseUntil().isAfter(lease) ? r.leaseUntil() : lease;
  }

  /** Applies the held changes due at or before {@code dueNanos}, at their own instants. */
  private void releaseHeld(long dueNanos, long now) {
    for (HeldChange c; (c = heldChanges.peek()) != null && c.atNanos() <= dueNanos; ) {
      heldChanges.poll();
      long at = Math.min(c.atNanos(), now);
      if (c.start()) {
        gate.onStart(at, c.count());
      } else {
        gate.onCompletion(at, c.count());
      }
    }
  }

  /**
   * Settles every finished job in one backlog transaction and frees their gate slots. Returns how
   * many were settled.
   */
  public int applyOutcomes() {
    if (finished.isEmpty()) {
      return 0;
    }
    settleLock.lock();
    try {
      PendingOutcomes outcomes = takeOutcomes(time.nanoTime(), config.batch());
      if (outcomes == null) {
        return 0;
      }
      try {
        backlog.settle(outcomes.settlements(), outcomes.at());
      } catch (RuntimeException e) {
        putBack(outcomes);
        throw e;
      }
      outcomesSettled(outcomes);
      return outcomes.batch().size();
    } finally {
      settleLock.unlock();
    }
  }

  /**
   * Outcomes taken from {@link #finished} to settle in one transaction, with the settlements the
   * retry policy made of them at {@code at}.
   */
  private record PendingOutcomes(
      List<Finished> batch,
      List<StartedWork> ended,
      List<Finished> ends,
      List<Settlement> settlements,
      long nanos,
      Instant at) {}

  /**
   * Takes at most {@code max} finished jobs, at most a claim's worth (a release waiting for the
   * writer waits for one short settlement, not for thousands of rows); null when none is waiting.
   * Called under settleLock, so a started job's end is never settled before its start.
   */
  private PendingOutcomes takeOutcomes(long now, int max) {
    if (finished.isEmpty()) {
      return null;
    }
    List<Finished> batch = new ArrayList<>();
    List<StartedWork> ended = new ArrayList<>();
    List<Finished> ends = new ArrayList<>();
    for (Finished f; batch.size() < max && (f = finished.poll()) != null; ) {
      if (f.answeredNanos() > now) {
        // Answered after this step began: settled at the step's instant, it would be recorded as
        // finished before its answer. The next settlement takes it.
        finished.offerFirst(f);
        break;
      }
      if (f.end()) {
        StartedWork work;
        synchronized (startedLock) {
          work = startedWork.remove(f.job().releaseId());
        }
        if (work == null) {
          continue; // the end of this work was reported and settled already
        }
        ended.add(work);
        ends.add(f);
      }
      batch.add(f);
    }
    if (batch.isEmpty()) {
      return null;
    }
    Instant at = time.instantAt(now);
    List<Settlement> settlements = new ArrayList<>(batch.size());
    for (Finished f : batch) {
      Settlement s =
          f.outcome() == NOT_STARTED_GATE_LOST
              ? Settlement.throttled(f.job(), "throttled: " + NOT_STARTED_GATE_LOST_TEXT, at)
              : config.retry().settle(f.job(), f.outcome(), at, random.nextDouble());
      if (!f.end()) {
        s = s.at(time.instantAt(f.reachedNanos()), time.instantAt(f.answeredNanos()));
      }
      BatchRelease batching = batches;
      if (batching != null) {
        Long reference = batching.slots.referenceOf(f.job().releaseId());
        if (reference != null) {
          s = s.inBatch(reference);
        }
      }
      settlements.add(s);
    }
    return new PendingOutcomes(batch, ended, ends, settlements, now, at);
  }

  /**
   * The settlement failed: puts the outcomes back, in front and in their order, so the next step
   * tries again and a started job's end stays behind its start. Should the process die first, the
   * leases expire and the events are released again (at-least-once).
   */
  private void putBack(PendingOutcomes outcomes) {
    synchronized (startedLock) {
      for (StartedWork work : outcomes.ended()) {
        startedWork.put(work.job().releaseId(), work);
      }
    }
    List<Finished> batch = outcomes.batch();
    for (int i = batch.size() - 1; i >= 0; i--) {
      finished.addFirst(batch.get(i));
    }
  }

  /** The outcomes are committed: counts, gate slots and observers learn of them. */
  private void outcomesSettled(PendingOutcomes outcomes) {
    List<Settlement> settlements = outcomes.settlements();
    Instant at = outcomes.at();
    // The outcomes are durable: the concurrency slots are free now, except a started job's, which
    // it holds until its end is settled.
    // The count first, then the slots: the release loop runs on another thread, and the other way
    // round it could release into a freed slot while the count still held the settled jobs.
    int freed = 0;
    for (Settlement s : settlements) {
      switch (s.kind()) {
        case DONE -> completed.incrementAndGet();
        case RETRY, THROTTLED -> retried.incrementAndGet();
        case DEAD -> deadLettered.incrementAndGet();
        case STARTED -> started.incrementAndGet();
      }
      if (s.kind() != Settlement.Kind.STARTED) {
        freed++;
      }
    }
    int answersSettled = answersSettled(outcomes);
    int freedSlots = freed;
    BatchRelease batching = batches;
    if (batching != null) {
      BatchSlots.Freed units = permitsFreed(batching, outcomes);
      answersSettled = units.answers;
      freedSlots = units.slots;
    }
    if (answersSettled > 0) {
      gate.onAnswersSettled(answersSettled);
    }
    if (freed > 0) {
      inFlight.addAndGet(-freed);
    }
    if (freedSlots > 0) {
      gate.onCompletion(outcomes.nanos(), freedSlots);
    }
    if (!observers.isEmpty()) {
      // Ends are told once they are durable, so a failed commit that is tried again tells them
      // once.
      List<Finished> ends = outcomes.ends();
      for (int i = 0; i < ends.size(); i++) {
        Finished f = ends.get(i);
        Duration sinceReached =
            Duration.ofNanos(f.answeredNanos() - outcomes.ended().get(i).reachedNanos());
        report(o -> o.ended(f.job(), f.outcome(), sinceReached));
      }
      List<Settlement> committed = List.copyOf(settlements);
      report(o -> o.settled(committed, at));
    }
  }

  /**
   * The permits the settled outcomes free when jobs are batches: per member, or per batch once its
   * last member is settled ({@link BatchSlots}).
   */
  private static BatchSlots.Freed permitsFreed(BatchRelease batching, PendingOutcomes outcomes) {
    BatchSlots.Freed freed = new BatchSlots.Freed();
    List<Finished> batch = outcomes.batch();
    for (int i = 0; i < batch.size(); i++) {
      Finished f = batch.get(i);
      Settlement.Kind kind = outcomes.settlements().get(i).kind();
      boolean answer =
          !f.end() && f.outcome() != NOT_STARTED_GATE_LOST && kind != Settlement.Kind.STARTED;
      batching.slots.settled(f.job().releaseId(), answer, kind != Settlement.Kind.STARTED, freed);
    }
    return freed;
  }

  /**
   * How many of the settled outcomes are answers the gate was told of by {@link Gate#onAnswered}:
   * not a started job (it holds its slot), not the end of one, not a job that never reached the
   * target.
   */
  private static int answersSettled(PendingOutcomes outcomes) {
    int n = 0;
    List<Finished> batch = outcomes.batch();
    for (int i = 0; i < batch.size(); i++) {
      Finished f = batch.get(i);
      if (!f.end()
          && f.outcome() != NOT_STARTED_GATE_LOST
          && outcomes.settlements().get(i).kind() != Settlement.Kind.STARTED) {
        n++;
      }
    }
    return n;
  }

  /**
   * Starts the loop threads: one releases, one settles. Apart, a window that opens never waits for
   * the settlement of the jobs that just answered, only (at the backlog's writer) for one
   * settlement transaction of at most {@code config.batch()} rows, or for as many outcomes as it
   * claims jobs when its claim carries the outcomes waiting then ({@link Backlog#settleAndClaim}):
   * while claims follow each other, the settling loop leaves outcomes to them, one commit instead
   * of two.
   */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    loop = new Thread(this::loop, "sluice-dispatcher");
    loop.setDaemon(true);
    settler = new Thread(this::settleLoop, "sluice-settler");
    settler.setDaemon(true);
    loop.start();
    settler.start();
  }

  private void loop() {
    while (running) {
      try {
        int released = releaseDue();
        releaseFailures.succeeded();
        if (released > 0) {
          continue; // the gate may allow more right now
        }
        awaitOrStop(releaseSignal, nextWakeNanos());
      } catch (RuntimeException e) {
        // A backlog that cannot commit (disk full) fails every claim until space returns: the
        // events stay waiting, and the next step claims them.
        releaseFailures.failed(e);
        awaitOrStop(releaseSignal, time.nanoTime() + config.idlePoll().toNanos());
      }
    }
  }

  private void settleLoop() {
    while (running) {
      try {
        if (claimingLately() && finished.size() < config.batch()) {
          // The releasing loop is claiming, and a step that claims again takes the outcomes along
          // in its claim's transaction: one commit for both. Looked at again shortly, in case
          // that step claims nothing.
          awaitOrStop(settleSignal, time.nanoTime() + SETTLE_DEFER_NANOS);
          continue;
        }
        int settled = applyOutcomes();
        settleFailures.succeeded();
        if (settled > 0) {
          wake(); // completions may have freed concurrency slots
          continue;
        }
        awaitOrStop(settleSignal, time.nanoTime() + config.idlePoll().toNanos());
      } catch (RuntimeException e) {
        // The outcomes are kept (applyOutcomes puts them back) and their events stay leased:
        // the next step settles them once the backlog commits again.
        settleFailures.failed(e);
        awaitOrStop(settleSignal, time.nanoTime() + config.idlePoll().toNanos());
      }
    }
  }

  private void awaitOrStop(WakeSignal signal, long deadlineNanos) {
    if (!signal.awaitUntil(deadlineNanos, () -> running)) {
      running = false;
    }
  }

  /** When to look again if nothing wakes us: the gate's next permit, or the idle poll. */
  private long nextWakeNanos() {
    long now = time.nanoTime();
    long idle = now + config.idlePoll().toNanos();
    BatchRelease batching = batches;
    Instant ready = batching == null ? null : batching.nextReadyAt;
    if (ready != null) {
      // A partial batch becomes ready when its oldest event has waited.
      idle = Math.max(now, Math.min(idle, time.nanoTimeAt(ready)));
    }
    if (paused) {
      return idle;
    }
    AppliedCapacity capacity = capacityAt(now);
    if (capacity.capacity().blackout()) {
      return Math.min(idle, capacity.untilNanos());
    }
    Admission a = gate.admission(now);
    if (a.admits()) {
      return idle; // permits but nothing due (or no free worker): wait for work or a completion
    }
    // A window that opens within the lead is claimed ahead: wake that much before it.
    long retry =
        a.retryAtNanos() == Admission.ON_COMPLETION
            ? idle
            : a.retryAtNanos() - config.lead().toNanos();
    // A long call that reaches the arrival margin stops counting at every instant.
    long wake = Math.min(Math.min(retry, idle), calls.nextSweepNanos());
    wake = Math.min(wake, capacity.untilNanos());
    HeldChange held = heldChanges.peek();
    return held == null ? wake : Math.min(wake, held.atNanos());
  }

  /** Tells the loop there is something to do: new events, a free worker, a changed limit. */
  public void wake() {
    releaseSignal.signal();
  }

  /**
   * How many release steps have run to the end since this dispatcher was built, those that found it
   * paused or the gate closed included. A step that begins after a change (events appended, a limit
   * set, a pause) sees it; so once this has advanced by two past a reading taken after the change,
   * the dispatcher has had its chance to act on it. Lets a check that nothing was released wait for
   * that proof instead of for a while.
   */
  public long releasePasses() {
    return releasePasses.get();
  }

  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
    wake();
  }

  public boolean isPaused() {
    return paused;
  }

  /**
   * Changes the base limits at once; the schedule's rules override their parts. The release history
   * and the in-flight count carry over.
   */
  public void setLimits(Limits limits) {
    Objects.requireNonNull(limits, "limits");
    synchronized (capacityLock) {
      baseLimits = limits;
      applied = null;
      gate.keepHistoryFor(schedule.historyNeeded(limits));
      capacityAt(time.nanoTime());
    }
    wake();
  }

  /**
   * Changes the capacity schedule at once: its limits apply from now, counting the releases already
   * made. A longer window the new schedule brings counts the releases the gate kept; from then on
   * the gate keeps as much as the schedule's longest limits need.
   */
  public void setSchedule(CapacitySchedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    synchronized (capacityLock) {
      this.schedule = schedule;
      applied = null;
      gate.keepHistoryFor(schedule.historyNeeded(baseLimits));
      capacityAt(time.nanoTime());
    }
    wake();
  }

  /** The base limits: those the operator set, before the schedule's rules. */
  public Limits limits() {
    synchronized (capacityLock) {
      return baseLimits;
    }
  }

  public CapacitySchedule schedule() {
    synchronized (capacityLock) {
      return schedule;
    }
  }

  /**
   * The capacity in effect now: the limits the gate applies, whether a blackout holds, the rules
   * holding and the next change. Applies a change that is due.
   */
  public Capacity capacity() {
    return capacityAt(time.nanoTime()).capacity();
  }

  /**
   * The capacity to release under at {@code now}: the one applied, or, once its next change is due
   * (or the base or the schedule changed), the schedule's at {@code now}, set on the gate.
   */
  private AppliedCapacity capacityAt(long now) {
    synchronized (capacityLock) {
      if (applied == null || now >= applied.untilNanos()) {
        Capacity c = schedule.at(time.instantAt(now), baseLimits);
        if (!c.limits().equals(gate.limits())) {
          gate.setLimits(c.limits(), now);
        }
        long until = c.nextChange() == null ? Long.MAX_VALUE : time.nanoTimeAt(c.nextChange());
        applied = new AppliedCapacity(c, Math.max(until, now + 1));
      }
      return applied;
    }
  }

  public DispatcherStats stats() {
    return new DispatcherStats(
        released.get(),
        completed.get(),
        retried.get(),
        deadLettered.get(),
        inFlight.get(),
        runningCount(),
        paused);
  }

  private int runningCount() {
    synchronized (startedLock) {
      return startedWork.size();
    }
  }

  /**
   * Stops releasing, waits up to {@code graceMillis} for running jobs and settles what finished.
   * Jobs still running stay leased and are released again after a restart.
   */
  public void stop(long graceMillis) {
    List<Thread> threads = new ArrayList<>();
    synchronized (this) {
      running = false;
      if (loop != null) {
        threads.add(loop);
        threads.add(settler);
      }
    }
    wake();
    settleSignal.signal();
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long deadline = System.currentTimeMillis() + graceMillis;
    while (busyWorkers.get() > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    while (applyOutcomes() > 0) {
      // every finished job, in transactions of at most config.batch()
    }
  }

  @Override
  public void close() {
    stop(5_000);
  }
}
