package dev.sluice.core.dispatch;

import dev.sluice.core.time.TimeSource;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** Wakes a loop thread that waits for something to do or for a deadline, whichever comes first. */
final class WakeSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition condition = lock.newCondition();
  private final TimeSource time;
  private boolean signalled;

  WakeSignal(TimeSource time) {
    this.time = time;
  }

  /** Wakes the waiting thread, or makes its next wait return at once. */
  void signal() {
    lock.lock();
    try {
      signalled = true;
      condition.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until signalled, until {@code deadlineNanos} (of the time source), or until {@code
   * running} turns false. Returns false if interrupted (the interrupt flag is set again).
   */
  boolean awaitUntil(long deadlineNanos, BooleanSupplier running) {
    lock.lock();
    try {
      while (!signalled && running.getAsBoolean()) {
        long wait = deadlineNanos - time.nanoTime();
        if (wait <= 0) {
          break;
        }
        condition.awaitNanos(wait);
      }
      signalled = false;
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }
}
