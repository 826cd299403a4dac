package dev.sluice.core.dispatch;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The calls to the target that are in progress, and from when each job counts as arrived there.
 *
 * <p>The instant a worker begins a call is earlier than the instant the target records the job (a
 * thread can be preempted, a request crosses a network), so a window counted from the call's
 * beginning could let the target see one job too many in an interval. The instant the target
 * answered is known to be after its record. So a job counts from the moment the target says it has
 * it (see {@link dev.sluice.core.Target#deliver(dev.sluice.core.Job,
 * dev.sluice.core.Target.Arrival)}), else from its answer; a call still running after {@code
 * margin} counts from its beginning plus the margin, so a long job does not hold a window slot for
 * as long as it runs. Until then the gate counts the job at every instant (see {@link
 * dev.sluice.core.gate.Gate#reserve}).
 *
 * <p>Each call is counted exactly once, by whichever comes first: its answer ({@link #end}) or the
 * dispatcher's {@link #sweep}.
 */
final class CallsInProgress {

  /** One call to the target. */
  static final class Call {
    private final long beganNanos;
    private final int units;
    private final AtomicBoolean counted = new AtomicBoolean();

    private Call(long beganNanos, int units) {
      this.beganNanos = beganNanos;
      this.units = units;
    }

    /** How many permits the call's job holds: 1, or a batch's count under objects counting. */
    int units() {
      return units;
    }

    long beganNanos() {
      return beganNanos;
    }
  }

  private final long marginNanos;
  // In the order calls began, give or take the microseconds between two workers' clock readings:
  // a call a little out of order is swept at the next sweep, which counts it later, never sooner.
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

  CallsInProgress(Duration margin) {
    this.marginNanos = margin.toNanos();
  }

  /** Records that a call of a job holding one permit began at {@code nanos}. */
  Call begin(long nanos) {
    return begin(nanos, 1);
  }

  /** Records that a call of a job holding {@code units} permits began at {@code nanos}. */
  Call begin(long nanos, int units) {
    Call call = new Call(nanos, units);
    calls.add(call);
    return call;
  }

  /** Told the instant a swept call counts from, and how many permits it holds. */
  @FunctionalInterface
  interface Arrivals {
    void arrived(long atNanos, int units);
  }

  /**
   * Records that the target said it has the job. Returns whether this counts the call (false if a
   * sweep, or an earlier call of this, counted it already).
   */
  boolean arrived(Call call) {
    return call.counted.compareAndSet(false, true);
  }

  /**
   * Records that the target answered at {@code answeredNanos}. Returns from when the job counts as
   * arrived, or -1 if a sweep counted it already.
   */
  long end(Call call, long answeredNanos) {
    if (!call.counted.compareAndSet(false, true)) {
      return -1;
    }
    return Math.min(answeredNanos, call.beganNanos + marginNanos);
  }

  /**
   * Counts every call running for {@code margin} or longer at {@code nowNanos}, passing the instant
   * each counts from (its beginning plus the margin) to {@code arrived}; forgets answered calls.
   */
  void sweep(long nowNanos, Arrivals arrived) {
    for (Call head; (head = calls.peek()) != null; ) {
      boolean answered = head.counted.get();
      if (!answered && nowNanos - head.beganNanos < marginNanos) {
        return;
      }
      calls.poll();
      if (!answered && head.counted.compareAndSet(false, true)) {
        arrived.arrived(head.beganNanos + marginNanos, head.units);
      }
    }
  }

  /** When the oldest call still unanswered reaches the margin; {@link Long#MAX_VALUE} if none. */
  long nextSweepNanos() {
    for (Call c : calls) {
      if (!c.counted.get()) {
        return c.beganNanos + marginNanos;
      }
    }
    return Long.MAX_VALUE;
  }
}
