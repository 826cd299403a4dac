package dev.sluice.core.dispatch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads a {@link Dispatcher} runs jobs on: a fixed pool of daemon threads. */
public final class WorkerPool {
  private WorkerPool() {}

  /**
   * A pool of {@code size} daemon threads named {@code <namePrefix>-<n>}. The dispatcher never has
   * more jobs out than workers, so the queue stays short; idle threads end after 30 s.
   */
  public static ExecutorService create(int size, String namePrefix) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            size,
            size,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, namePrefix + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
