package dev.sluice.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * A real HTTP target on 127.0.0.1: answers every POST 200 after {@code answerNanos}, and logs the
 * {@link System#nanoTime()} at which each request arrived, so release rates are measured where the
 * jobs land, by a clock that is not the dispatcher's.
 */
final class SlowTargetEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;
  private final long answerNanos;
  private long[] arrivals = new long[1 << 16];
  private int count;

  /**
   * @param answerNanos how long each request takes to answer
   * @param threads requests handled at once; more than the most jobs in flight
   */
  SlowTargetEndpoint(long answerNanos, int threads) throws IOException {
    this.answerNanos = answerNanos;
    this.threads = Executors.newFixedThreadPool(threads);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.setExecutor(this.threads);
    server.createContext("/jobs", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jobs");
  }

  private void handle(HttpExchange exchange) throws IOException {
    long arrived = System.nanoTime();
    record(arrived);
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    LockSupport.parkNanos(answerNanos);
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  private synchronized void record(long nanos) {
    if (count == arrivals.length) {
      arrivals = Arrays.copyOf(arrivals, count * 2);
    }
    arrivals[count++] = nanos;
  }

  /** Requests that arrived in [fromNanos, toNanos). */
  synchronized long arrivalsBetween(long fromNanos, long toNanos) {
    long n = 0;
    for (int i = 0; i < count; i++) {
      if (arrivals[i] - fromNanos >= 0 && arrivals[i] - toNanos < 0) {
        n++;
      }
    }
    return n;
  }

  /** Requests that arrived in each whole second from {@code fromNanos}, {@code seconds} of them. */
  synchronized long[] arrivalsPerSecond(long fromNanos, int seconds) {
    long[] perSecond = new long[Math.max(0, seconds)];
    for (int i = 0; i < count; i++) {
      long s = Math.floorDiv(arrivals[i] - fromNanos, 1_000_000_000L);
      if (s >= 0 && s < perSecond.length) {
        perSecond[(int) s]++;
      }
    }
    return perSecond;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
