package dev.sluice.core.backlog;

import dev.sluice.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps a backlog from growing without end: deletes done and purged events after the dedup horizon
 * and closed releases after the release-log horizon, through {@link Backlog#prune}, a bounded chunk
 * at a time with a pause between chunks, so the writer is never held for long and appends, claims
 * and settlements go on in between.
 *
 * <p>Neither horizon is ever shorter than what the gate needs now ({@code releaseLogNeeded}: the
 * longest limit window or refill time plus the lease, as the dispatcher reads the release log at a
 * restart), even after an operator lengthened a window at runtime beyond the configured horizon.
 */
public final class Pruner implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Pruner.class.getName());

  /**
   * How the pruner works.
   *
   * @param dedup how long a done or purged event stays, so a redelivery is still a duplicate
   * @param releases how long a closed release stays in the release log
   * @param chunk most events, and most releases, one transaction deletes
   * @param pause wait between chunks while there is more to delete
   * @param idle wait after catching up
   */
  public record Settings(
      Duration dedup, Duration releases, int chunk, Duration pause, Duration idle) {

    /**
     * 2000 rows hold the writer for a few milliseconds; the pause lets the dispatcher and intake in
     * between, and still deletes far faster than a busy bucket adds.
     */
    public static final int DEFAULT_CHUNK = 2000;

    public static final Duration DEFAULT_PAUSE = Duration.ofMillis(20);
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(5);

    public Settings {
      positive("dedup", dedup);
      positive("releases", releases);
      if (chunk < 1) {
        throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
      }
      Objects.requireNonNull(pause, "pause");
      Objects.requireNonNull(idle, "idle");
      if (pause.isNegative() || idle.isNegative()) {
        throw new IllegalArgumentException("pause and idle must be >= 0");
      }
    }

    /** These horizons with the default chunk, pause and idle wait. */
    public static Settings of(Duration dedup, Duration releases) {
      return new Settings(dedup, releases, DEFAULT_CHUNK, DEFAULT_PAUSE, DEFAULT_IDLE);
    }

    private static void positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, got " + d);
      }
    }
  }

  private final Backlog backlog;
  private final TimeSource time;
  private final Settings settings;
  private final Supplier<Duration> releaseLogNeeded;
  private final Consumer<Pruned> observer;
  private final BooleanSupplier mayPrune;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param releaseLogNeeded how far back the gate reads the release log now; neither horizon goes
   *     below it
   * @param observer told of every chunk that deleted something (metrics)
   */
  public Pruner(
      Backlog backlog,
      TimeSource time,
      Settings settings,
      Supplier<Duration> releaseLogNeeded,
      Consumer<Pruned> observer) {
    this(backlog, time, settings, releaseLogNeeded, observer, () -> true);
  }

  /**
   * A pruner that prunes only while {@code mayPrune} says so: on a store several nodes share, the
   * node holding the gate prunes and the others leave it to it, instead of all deleting the same
   * rows at once.
   */
  public Pruner(
      Backlog backlog,
      TimeSource time,
      Settings settings,
      Supplier<Duration> releaseLogNeeded,
      Consumer<Pruned> observer,
      BooleanSupplier mayPrune) {
    this.mayPrune = Objects.requireNonNull(mayPrune, "mayPrune");
    this.backlog = Objects.requireNonNull(backlog, "backlog");
    this.time = Objects.requireNonNull(time, "time");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.releaseLogNeeded = Objects.requireNonNull(releaseLogNeeded, "releaseLogNeeded");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** Deletes one chunk of what has expired now; nothing while it may not prune. */
  public Pruned pruneOnce() {
    if (!mayPrune.getAsBoolean()) {
      return new Pruned(0, 0, false);
    }
    Instant now = time.now();
    Duration needed = releaseLogNeeded.get();
    Pruned p =
        backlog.prune(
            now.minus(longer(settings.dedup(), needed)),
            now.minus(longer(settings.releases(), needed)),
            settings.chunk());
    if (p.events() > 0 || p.releases() > 0) {
      observer.accept(p);
    }
    return p;
  }

  /** Starts the background thread. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("pruner already started");
    }
    running = true;
    thread = new Thread(this::loop, "sluice-pruner");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      Duration wait = settings.idle();
      try {
        if (pruneOnce().more()) {
          wait = settings.pause();
        }
      } catch (RuntimeException e) {
        if (!running) {
          return; // the backlog closed under us
        }
        LOG.log(System.Logger.Level.WARNING, "pruning the backlog failed; retrying later", e);
      }
      try {
        time.sleepUntil(time.nanoTime() + wait.toNanos());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops the background thread and waits for its chunk in progress. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    if (t == null) {
      return;
    }
    t.interrupt();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
