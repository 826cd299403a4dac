package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.gate.Admission;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves events from the backlog to the target under the gate: asks the gate how many may start,
 * claims that many (the claim is the release and is logged), runs each job on the executor, and
 * settles outcomes (done, retry with backoff, dead letter).
 *
 * <p>Two ways to drive it: {@link #tick()} performs one step in the caller's thread (tests run it
 * in virtual time with a direct executor), {@link #start()} runs the loop on its own thread.
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
   * answered by then (see {@link CallsInProgress}). Longer than the time a loaded machine keeps a
   * thread from running, or a request takes to cross a network; short beside any window.
   */
  static final Duration ARRIVAL_MARGIN = Duration.ofMillis(50);

  private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
  private final CallsInProgress calls = new CallsInProgress(ARRIVAL_MARGIN);

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

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signal = lock.newCondition();
  private boolean signalled;
  private volatile boolean paused;
  private volatile boolean running;
  private Thread loop;

  /** A job the target answered, with when it reached the target and when the answer came. */
  private record Finished(Job job, Outcome outcome, long reachedNanos, long answeredNanos) {}

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
    restoreGateFromReleaseLog();
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
   * One step: release as many due events as the gate and the free workers allow, all at the instant
   * the gate decided (claims of at most {@code config.batch()} events each, so one transaction
   * never holds the backlog's writer long), then settle finished jobs. Releasing comes first: a
   * window that opens must not wait for a settlement's transaction; when nothing could be released,
   * a settlement may have freed concurrency slots, so the gate is asked again. Returns how many
   * were released.
   */
  public int tick() {
    int released = releaseDue();
    if (applyOutcomes() > 0 && released == 0) {
      released = releaseDue();
    }
    return released;
  }

  private int releaseDue() {
    if (paused) {
      return 0;
    }
    long now = time.nanoTime();
    calls.sweep(now, arrived -> gate.onStart(arrived, 1));
    int n = releasable(gate.admission(now));
    Instant at = time.instantAt(now);
    int releasedNow = 0;
    while (releasedNow < n) {
      int wanted = Math.min(n - releasedNow, config.batch());
      List<Job> jobs = backlog.claim(wanted, config.lease(), at);
      if (!jobs.isEmpty()) {
        handOut(now, jobs);
        releasedNow += jobs.size();
      }
      if (jobs.size() < wanted) {
        break; // nothing more is due
      }
    }
    return releasedNow;
  }

  /**
   * The gate counts the release at the instant it decided, the same instant the log records, and
   * counts each job against its windows from the instant the job reaches the target (see {@link
   * Gate#reserve}).
   */
  private void handOut(long decidedNanos, List<Job> jobs) {
    gate.reserve(decidedNanos, jobs.size());
    inFlight.addAndGet(jobs.size());
    busyWorkers.addAndGet(jobs.size());
    released.addAndGet(jobs.size());
    for (Job job : jobs) {
      executor.execute(() -> run(job));
    }
  }

  private int releasable(Admission admission) {
    int free = config.workers() - busyWorkers.get();
    return Math.max(0, Math.min(admission.permits(), free));
  }

  private void run(Job job) {
    long reached = time.nanoTime();
    CallsInProgress.Call call = calls.begin(reached);
    Outcome outcome;
    try {
      outcome = target.deliver(job);
      if (outcome == null) {
        outcome = Outcome.retryable("target returned no outcome");
      }
    } catch (RuntimeException e) {
      // A target must answer with an Outcome; an exception is a bug or broken infrastructure
      // there, and the safe reading of an unknown result is "try again".
      outcome = Outcome.retryable("target threw " + e);
    }
    long answered = time.nanoTime();
    long arrived = calls.end(call, answered);
    if (arrived >= 0) {
      gate.onStart(arrived, 1);
    }
    finished.add(new Finished(job, outcome, reached, answered));
    busyWorkers.decrementAndGet();
    wake();
  }

  /**
   * Settles every finished job in one backlog transaction and frees their gate slots. Returns how
   * many were settled.
   */
  public int applyOutcomes() {
    if (finished.isEmpty()) {
      return 0;
    }
    List<Finished> batch = new ArrayList<>();
    for (Finished f; (f = finished.poll()) != null; ) {
      batch.add(f);
    }
    long now = time.nanoTime();
    Instant at = time.instantAt(now);
    List<Settlement> settlements = new ArrayList<>(batch.size());
    for (Finished f : batch) {
      settlements.add(
          config
              .retry()
              .settle(f.job(), f.outcome(), at, random.nextDouble())
              .at(time.instantAt(f.reachedNanos()), time.instantAt(f.answeredNanos())));
    }
    try {
      backlog.settle(settlements, at);
    } catch (RuntimeException e) {
      // Put them back: the next step tries again. Should the process die first, the leases expire
      // and the events are released again (at-least-once).
      finished.addAll(batch);
      throw e;
    }
    // The outcomes are durable: the concurrency slots and workers are free now.
    gate.onCompletion(now, batch.size());
    inFlight.addAndGet(-batch.size());
    for (Settlement s : settlements) {
      switch (s.kind()) {
        case DONE -> completed.incrementAndGet();
        case RETRY -> retried.incrementAndGet();
        case DEAD -> deadLettered.incrementAndGet();
      }
    }
    return batch.size();
  }

  /** Starts the loop thread. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    loop = new Thread(this::loop, "sluice-dispatcher");
    loop.setDaemon(true);
    loop.start();
  }

  private void loop() {
    while (running) {
      try {
        if (tick() > 0) {
          continue; // the gate may allow more right now
        }
        awaitSignalUntil(nextWakeNanos());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "dispatcher step failed; retrying", e);
        awaitSignalUntil(time.nanoTime() + config.idlePoll().toNanos());
      }
    }
  }

  /** When to look again if nothing wakes us: the gate's next permit, or the idle poll. */
  private long nextWakeNanos() {
    long now = time.nanoTime();
    long idle = now + config.idlePoll().toNanos();
    if (paused) {
      return idle;
    }
    Admission a = gate.admission(now);
    if (a.admits()) {
      return idle; // permits but nothing due (or no free worker): wait for work or a completion
    }
    long retry = a.retryAtNanos() == Admission.ON_COMPLETION ? idle : a.retryAtNanos();
    // A long call that reaches the arrival margin stops counting at every instant.
    return Math.min(Math.min(retry, idle), calls.nextSweepNanos());
  }

  private void awaitSignalUntil(long deadlineNanos) {
    lock.lock();
    try {
      while (!signalled && running) {
        long wait = deadlineNanos - time.nanoTime();
        if (wait <= 0) {
          break;
        }
        signal.awaitNanos(wait);
      }
      signalled = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /** Tells the loop there is something to do: new events, a finished job, a changed limit. */
  public void wake() {
    lock.lock();
    try {
      signalled = true;
      signal.signalAll();
    } finally {
      lock.unlock();
    }
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

  /** Changes the limits at once; the release history and the in-flight count carry over. */
  public void setLimits(Limits limits) {
    gate.setLimits(limits, time.nanoTime());
    wake();
  }

  public Limits limits() {
    return gate.limits();
  }

  public DispatcherStats stats() {
    return new DispatcherStats(
        released.get(), completed.get(), retried.get(), deadLettered.get(), inFlight.get(), paused);
  }

  /**
   * Stops releasing, waits up to {@code graceMillis} for running jobs and settles what finished.
   * Jobs still running stay leased and are released again after a restart.
   */
  public void stop(long graceMillis) {
    Thread t;
    synchronized (this) {
      running = false;
      t = loop;
    }
    wake();
    if (t != null) {
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
    applyOutcomes();
  }

  @Override
  public void close() {
    stop(5_000);
  }
}
