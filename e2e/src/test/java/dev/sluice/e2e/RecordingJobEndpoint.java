package dev.sluice.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The target the end-to-end tests release to: a real HTTP server in the test JVM that records every
 * job it is sent (decoded key, {@code Idempotency-Key} header, attempt, when it arrived) and
 * answers 200 after a short delay, so that jobs are really in flight when the service is killed.
 */
final class RecordingJobEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One job as the endpoint received it.
   *
   * @param receivedAtNanos the test JVM's {@code System.nanoTime()} when the handler saw it
   * @param route what followed {@code /jobs/} in the path it was sent to ({@link #url(String)}), or
   *     empty: several services may share the endpoint, each on its own route
   */
  record Receipt(
      String key, String idempotencyKey, int attempt, long receivedAtNanos, String route) {}

  private final HttpServer server;
  private final ExecutorService handlers;
  private final Duration answerDelay;
  private final ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();
  private final AtomicInteger received = new AtomicInteger();

  private RecordingJobEndpoint(Duration answerDelay, int threads) throws IOException {
    this.answerDelay = answerDelay;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    // More handler threads than the service keeps jobs in flight: a job is recorded the moment it
    // arrives, never after waiting for a free handler.
    this.handlers = Executors.newFixedThreadPool(threads);
    server.setExecutor(handlers);
    server.createContext("/jobs", this::handle);
    server.start();
  }

  /** Starts on a free loopback port. */
  static RecordingJobEndpoint start(Duration answerDelay, int threads) {
    try {
      return new RecordingJobEndpoint(answerDelay, threads);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the recording endpoint", e);
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jobs");
  }

  /**
   * The URL of a route of its own, e.g. one per service, so each receipt says which service sent
   * it.
   */
  URI url(String route) {
    return URI.create(url() + "/" + route);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      long at = System.nanoTime();
      JsonNode job;
      try (InputStream in = exchange.getRequestBody()) {
        job = JSON.readTree(in);
      }
      receipts.add(
          new Receipt(
              job.path("key").asText(null),
              exchange.getRequestHeaders().getFirst("Idempotency-Key"),
              job.path("attempt").asInt(-1),
              at,
              routeOf(exchange.getRequestURI().getPath())));
      received.incrementAndGet();
      sleep(answerDelay);
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private static String routeOf(String path) {
    return path.startsWith("/jobs/") ? path.substring("/jobs/".length()) : "";
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Jobs received so far, repeats included. */
  int receivedCount() {
    return received.get();
  }

  /** Every receipt so far, in arrival order. */
  List<Receipt> receipts() {
    return new ArrayList<>(receipts);
  }

  /** Receipts grouped by key, each key's receipts in arrival order. */
  Map<String, List<Receipt>> receiptsByKey() {
    Map<String, List<Receipt>> byKey = new LinkedHashMap<>();
    for (Receipt r : receipts()) {
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
    }
    byKey
        .values()
        .forEach(
            list -> list.sort((a, b) -> Long.compare(a.receivedAtNanos(), b.receivedAtNanos())));
    return byKey;
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
