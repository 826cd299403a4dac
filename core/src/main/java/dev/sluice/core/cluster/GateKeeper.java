package dev.sluice.core.cluster;

import dev.sluice.core.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps this node's hold on the gate: asks the {@link GateHolderStore} for the term (acquiring it
 * when nobody holds it, renewing it while this node does) every third of a term, and answers {@link
 * #heldTerm()} for the claims this node makes.
 *
 * <p>This node treats a term as held only until {@code sent + term - margin} by its own monotonic
 * clock, where {@code sent} is the instant it sent the request that granted or renewed the term.
 * The store counts the same term from when it ran the request (later than {@code sent}) by its own
 * clock, so the node stops believing it holds the gate before the store lets another node take it,
 * even when the request or its answer was slow. A failed request never extends the hold: it runs
 * out at the instant the last successful one set.
 *
 * <p>Each period of holding is reported to the {@link Listener} once when it starts and once when
 * it ends. {@link #step()} does one attempt; {@link #start()} runs it on a daemon thread; tests
 * call {@link #step()} themselves in virtual time.
 */
public final class GateKeeper implements GateFence, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GateKeeper.class.getName());
  private static final long FAILURE_LOG_QUIET_NANOS = Duration.ofMinutes(1).toNanos();

  /**
   * Told when this node starts and stops holding the gate. Called from the thread that runs {@link
   * #step()} (or {@link #close()}), under the keeper's lock: answer quickly and do not wait for
   * another thread that calls the keeper. {@link #heldTerm()} takes no lock.
   */
  public interface Listener {

    /**
     * This node holds the gate from now until {@link GateKeeper#heldTerm()} says otherwise or
     * {@link #lost} is called.
     */
    void acquired(GateTerm term);

    /**
     * This node no longer holds the gate: the term ran out unrenewed, another node holds it, or the
     * keeper closed. Called exactly once after each {@link #acquired}.
     */
    void lost(GateTerm term);

    /** A listener that does nothing. */
    Listener NONE =
        new Listener() {
          @Override
          public void acquired(GateTerm term) {}

          @Override
          public void lost(GateTerm term) {}
        };
  }

  /** A term and the monotonic instant at which this node stops treating it as held. */
  private record Hold(GateTerm term, long validUntilNanos) {}

  private final String nodeId;
  private final GateHolderStore store;
  private final TimeSource time;
  private final Duration term;
  private final long termNanos;
  private final long marginNanos;
  private final long periodNanos;
  private final Listener listener;

  /** Non-null from {@code acquired} until {@code lost}; read without the lock by heldTerm(). */
  private volatile Hold hold;

  // Guarded by this.
  private GateTerm
      lastGranted; // what the store last granted, held locally or not: close resigns it
  private boolean closed;
  private Thread loop;

  // Used by the stepping thread only.
  private long failuresInARow;
  private long lastFailureLoggedNanos;

  /**
   * @param nodeId this node's id, as the store records the holder
   * @param term how long a term lasts unrenewed; renewed every third of it
   * @param listener told when this node starts and stops holding the gate
   */
  public GateKeeper(
      String nodeId, GateHolderStore store, TimeSource time, Duration term, Listener listener) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId must not be blank");
    }
    this.store = Objects.requireNonNull(store, "store");
    this.time = Objects.requireNonNull(time, "time");
    InMemoryGateHolderStore.requirePositive(term);
    this.term = term;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.termNanos = term.toNanos();
    // The margin absorbs the difference in rate between this node's monotonic clock and the
    // store's clock over one term (NTP slews a clock by up to 0.05%; a virtual machine's clock can
    // drift far more), so that measured by any clock this node stops before the store's term ends.
    // A tenth of the term covers any drift a working machine has, and still leaves renewals every
    // third of a term two chances to succeed before the hold runs out.
    this.marginNanos = termNanos / 10;
    this.periodNanos = termNanos / 3;
  }

  public String nodeId() {
    return nodeId;
  }

  @Override
  public Optional<GateTerm> heldTerm() {
    Hold h = hold;
    if (h == null || time.nanoTime() - h.validUntilNanos >= 0) {
      return Optional.empty();
    }
    return Optional.of(h.term);
  }

  /**
   * One attempt to acquire or renew the term, and the listener calls it leads to. Called by one
   * thread at a time: the keeper's own after {@link #start()}, or a test. Does nothing once closed.
   */
  public void step() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    // Read before the request leaves: the term can only have been granted after this instant.
    long sent = time.nanoTime();
    Optional<GateTerm> answer;
    try {
      answer = store.acquireOrRenew(nodeId, term);
    } catch (RuntimeException e) {
      storeFailed(e);
      synchronized (this) {
        long now = time.nanoTime();
        if (hold != null && now - hold.validUntilNanos >= 0) {
          endHold();
        }
      }
      return;
    }
    storeAnswered();
    long answered = time.nanoTime();
    boolean resignAtOnce = false;
    synchronized (this) {
      if (closed) {
        // Closed while the request was out: give back what it got, so another node need not
        // wait for the term to run out.
        resignAtOnce = answer.isPresent();
      } else {
        apply(answer, sent + termNanos - marginNanos, answered);
      }
    }
    if (resignAtOnce) {
      resign(answer.get());
    }
  }

  private void apply(Optional<GateTerm> answer, long validUntil, long answered) {
    answer.ifPresent(t -> lastGranted = t);
    if (answer.isEmpty() || answered - validUntil >= 0) {
      // Another node holds the gate, or the answer came too late to count on: the store may still
      // hold this node's term, but this node cannot know for how long.
      endHold();
      return;
    }
    GateTerm granted = answer.get();
    Hold previous = hold;
    if (previous != null) {
      boolean continuous = answered - previous.validUntilNanos < 0;
      if (!continuous || previous.term.epoch() != granted.epoch()) {
        // The hold ran out before this renewal (heldTerm() said empty meanwhile), or the store
        // moved to a new epoch: that period of holding ended, whatever the store says now.
        endHold();
      }
    }
    boolean starts = hold == null;
    hold = new Hold(granted, validUntil);
    if (starts) {
      tell(true, granted);
    }
  }

  /** Ends the current period of holding, if any, and says so. Called under the lock. */
  private void endHold() {
    Hold h = hold;
    if (h != null) {
      hold = null;
      tell(false, h.term);
    }
  }

  private void tell(boolean acquired, GateTerm t) {
    try {
      if (acquired) {
        listener.acquired(t);
      } else {
        listener.lost(t);
      }
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "gate listener failed on " + (acquired ? "acquired " : "lost ") + t,
          e);
    }
  }

  private void storeFailed(RuntimeException e) {
    long now = time.nanoTime();
    failuresInARow++;
    if (failuresInARow == 1) {
      LOG.log(
          System.Logger.Level.ERROR,
          "node " + nodeId + ": acquiring or renewing the gate term failed; retrying",
          e);
      lastFailureLoggedNanos = now;
    } else if (now - lastFailureLoggedNanos >= FAILURE_LOG_QUIET_NANOS) {
      LOG.log(
          System.Logger.Level.ERROR,
          "node "
              + nodeId
              + ": acquiring or renewing the gate term still failing ("
              + failuresInARow
              + " times in a row); retrying: "
              + e,
          e);
      lastFailureLoggedNanos = now;
    }
  }

  private void storeAnswered() {
    if (failuresInARow > 0) {
      LOG.log(
          System.Logger.Level.INFO,
          "node "
              + nodeId
              + ": the gate term store answered again after "
              + failuresInARow
              + " failures in a row");
      failuresInARow = 0;
    }
  }

  /** Runs {@link #step()} every third of a term on a daemon thread until {@link #close()}. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("gate keeper of node " + nodeId + " is closed");
    }
    if (loop != null) {
      throw new IllegalStateException("gate keeper of node " + nodeId + " is already started");
    }
    loop = new Thread(this::run, "sluice-gate-keeper");
    loop.setDaemon(true);
    loop.start();
  }

  private void run() {
    try {
      while (!isClosed()) {
        long began = time.nanoTime();
        step();
        long next = began + periodNanos;
        Hold h = hold;
        if (h != null && h.validUntilNanos - next < 0) {
          // Wake when the hold runs out, so the listener hears of it then, not a step later.
          next = h.validUntilNanos;
        }
        time.sleepUntil(next);
      }
    } catch (InterruptedException e) {
      // close() stops the loop.
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "gate keeper of node " + nodeId + " stopped", e);
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Stops the loop, reports the end of any hold, and resigns the term in the store so that another
   * node takes the gate at its next step instead of waiting for the term to run out.
   */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = loop;
    }
    if (running != null && running != Thread.currentThread()) {
      running.interrupt();
      try {
        // A request stuck in the store does not answer interrupts: wait a while, not forever
        // (step() resigns what such a request returns once it sees the keeper closed).
        running.join(Math.max(1000, term.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    GateTerm toResign;
    synchronized (this) {
      endHold();
      toResign = lastGranted;
    }
    if (toResign != null) {
      resign(toResign);
    }
  }

  private void resign(GateTerm t) {
    try {
      store.resign(nodeId, t.epoch());
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "node " + nodeId + " could not resign gate term " + t.epoch() + "; it runs out at " + t,
          e);
    }
  }
}
