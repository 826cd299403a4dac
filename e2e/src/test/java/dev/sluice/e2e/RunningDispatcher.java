package dev.sluice.e2e;

import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.time.TimeSource;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
    ExecutorService workers = workerPool(config.workers());
    Dispatcher dispatcher =
        new Dispatcher(backlog, target, gate, time, config, workers, new Random(42));
    dispatcher.start();
    return new RunningDispatcher(dispatcher, workers);
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  private static ExecutorService workerPool(int size) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        size,
        size,
        30,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "precision-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
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
