package dev.sluice.e2e;

import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.WorkerPool;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.time.TimeSource;
import java.util.Random;
import java.util.concurrent.ExecutorService;

/**
 * A dispatcher running its own loop in real time, with a worker pool shaped like the service's: one
 * thread per worker. Closing it stops the loop, settles what finished and ends the pool.
 */
final class RunningDispatcher implements AutoCloseable {

  private final Dispatcher dispatcher;
  private final ExecutorService workers;

  private RunningDispatcher(Dispatcher dispatcher, ExecutorService workers) {
    this.dispatcher = dispatcher;
    this.workers = workers;
  }

  /**
   * Builds a dispatcher (which restores the gate from the backlog's release log) and starts its
   * loop.
   */
  static RunningDispatcher start(
      Backlog backlog, Target target, Gate gate, TimeSource time, DispatcherConfig config) {
    return start(
        backlog,
        target,
        gate,
        time,
        config,
        WorkerPool.create(config.workers(), "precision-worker"));
  }

  /** As above, on a worker pool started before (it is shut down with the dispatcher). */
  static RunningDispatcher start(
      Backlog backlog,
      Target target,
      Gate gate,
      TimeSource time,
      DispatcherConfig config,
      ExecutorService workers) {
    Dispatcher dispatcher =
        new Dispatcher(backlog, target, gate, time, config, workers, new Random(42));
    dispatcher.start();
    return new RunningDispatcher(dispatcher, workers);
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public void close() {
    try {
      dispatcher.close();
    } finally {
      workers.shutdownNow();
    }
  }
}
