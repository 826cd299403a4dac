package dev.sluice.serverless.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * EventBridge Scheduler for the scheduler function: an invocation with {@code {"scheduledTime":
 * "..."}} at every multiple of {@code every} since the epoch, the same aligned instants the
 * scheduler's windows start at. Like the service, it invokes on time even while an earlier
 * invocation still runs (they then share the tick's budget through the table), and invokes a failed
 * tick again with the same scheduled time.
 */
public final class ScheduleTicker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ScheduleTicker.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Invocations of one tick at most, the first included, when the function keeps failing. */
  static final int MAX_ATTEMPTS = 3;

  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private final LocalFunction scheduler;
  private final ReleasedNames releasedNames;
  private final Duration every;
  private final Clock clock;
  private final List<Tick> ticks = new ArrayList<>();
  private final ExecutorService invocations =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "schedule-tick");
            t.setDaemon(true);
            return t;
          });
  private Thread timer;
  private volatile boolean closed;

  /**
   * @param releasedNames the interceptor on the scheduler function's SQS client
   * @param every the schedule's period, a whole number of seconds
   */
  public ScheduleTicker(
      LocalFunction scheduler, ReleasedNames releasedNames, Duration every, Clock clock) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.releasedNames = Objects.requireNonNull(releasedNames, "releasedNames");
    this.every = Objects.requireNonNull(every, "every");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (every.toMillis() < 1000 || every.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("every must be a whole number of seconds, got " + every);
    }
  }

  /** The first aligned instant strictly after {@code now}. */
  public static Instant nextAfter(Instant now, Duration every) {
    long period = every.toMillis();
    long at = Math.floorDiv(now.toEpochMilli(), period) * period + period;
    return Instant.ofEpochMilli(at);
  }

  /**
   * Invokes the scheduler function once for {@code scheduledTime}, now, on this thread.
   *
   * @throws FunctionErrorException if the function failed
   */
  public Tick tick(Instant scheduledTime) {
    String event =
        JSON.createObjectNode().put("scheduledTime", scheduledTime.toString()).toString();
    ReleasedNames.Marked<String> answer = releasedNames.during(() -> scheduler.invoke(event));
    Tick tick = Tick.of(scheduledTime, answer.result(), answer.names());
    synchronized (ticks) {
      ticks.add(tick);
    }
    return tick;
  }

  /** Every tick run so far, by scheduled time. */
  public List<Tick> ticks() {
    synchronized (ticks) {
      List<Tick> copy = new ArrayList<>(ticks);
      copy.sort(Comparator.comparing(Tick::scheduledTime));
      return copy;
    }
  }

  /**
   * Starts invoking at every aligned instant from the next one on; {@code onTick} is told of each
   * tick (on the thread that ran it), {@code onFailure} of a tick that failed every attempt.
   */
  public synchronized void start(Consumer<Tick> onTick, Consumer<RuntimeException> onFailure) {
    if (timer != null) {
      throw new IllegalStateException("already started");
    }
    timer =
        new Thread(
            () -> {
              Instant next = nextAfter(clock.instant(), every);
              while (!closed) {
                long wait = Duration.between(clock.instant(), next).toMillis();
                if (wait > 0) {
                  try {
                    Thread.sleep(wait);
                  } catch (InterruptedException e) {
                    return;
                  }
                  continue;
                }
                Instant scheduled = next;
                invocations.execute(() -> runWithRetries(scheduled, onTick, onFailure));
                next = next.plus(every);
              }
            },
            "schedule-timer");
    timer.setDaemon(true);
    timer.start();
  }

  private void runWithRetries(
      Instant scheduled, Consumer<Tick> onTick, Consumer<RuntimeException> onFailure) {
    for (int attempt = 1; !closed; attempt++) {
      try {
        onTick.accept(tick(scheduled));
        return;
      } catch (RuntimeException e) {
        if (attempt >= MAX_ATTEMPTS) {
          onFailure.accept(e);
          return;
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "tick {0} failed (attempt {1}), invoking again: {2}",
            scheduled,
            attempt,
            e.toString());
        try {
          Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Stops the timer and waits briefly for ticks in progress. */
  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = timer;
    }
    if (t != null) {
      t.interrupt();
    }
    invocations.shutdown();
    try {
      invocations.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
