package dev.sluice.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.dispatch.AdaptiveLimiter;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.SluiceService;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adaptive concurrency in real time: a real {@link SluiceService} (SQLite) releases to the HTTP
 * target, built from its config as {@code sluice serve} builds it, against an endpoint on 127.0.0.1
 * that works {@code --service-ms} on a request while fewer than its capacity are in progress and
 * answers 429 at once beyond it. The capacity steps through {@code --steps} (50, 10, 40 by
 * default), each held {@code --step-seconds}; the second half of each step is measured: the share
 * of calls answered 429, the goodput (requests done per second) against what the capacity allows
 * (capacity / service time), the mean concurrency at the endpoint, the mean adapted limit, and the
 * most requests the endpoint saw at once (never above the ceiling). {@code --adaptive off} runs the
 * same without adapting, for contrast. Prints the figures; asserts nothing.
 *
 * <pre>
 * AdaptiveBenchmark [--steps 50,10,40] [--step-seconds 20] [--service-ms 50] [--ceiling 64]
 *                   [--adaptive on|off] [--dir DIR]
 * </pre>
 */
public final class AdaptiveBenchmark {
  private static final int POST_BATCH = 500;

  private AdaptiveBenchmark() {}

  /** The endpoint: capacity requests at once, 429 beyond. */
  private static final class CapacityEndpoint implements AutoCloseable {
    final HttpServer server;
    final ExecutorService threads = Executors.newFixedThreadPool(256);
    final long serviceMs;
    volatile int capacity;
    final AtomicInteger atOnce = new AtomicInteger();
    final AtomicInteger working = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong done = new AtomicLong();

    CapacityEndpoint(long serviceMs) throws IOException {
      this.serviceMs = serviceMs;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      server.setExecutor(threads);
      server.createContext("/jobs", this::answer);
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jobs");
    }

    private void answer(HttpExchange exchange) throws IOException {
      exchange.getRequestBody().readAllBytes();
      calls.incrementAndGet();
      int now = atOnce.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      int status = 200;
      try {
        if (working.incrementAndGet() > capacity) {
          working.decrementAndGet();
          throttled.incrementAndGet();
          status = 429;
        } else {
          try {
            Thread.sleep(serviceMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 503;
          } finally {
            working.decrementAndGet();
          }
          done.incrementAndGet();
        }
      } finally {
        atOnce.decrementAndGet();
      }
      byte[] body = (status == 200 ? "ok" : "slow down").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  public static void main(String[] args) throws Exception {
    int[] steps = {50, 10, 40};
    int stepSeconds = 20;
    long serviceMs = 50;
    int ceiling = 64;
    boolean adaptive = true;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--steps" ->
            steps = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--step-seconds" -> stepSeconds = Integer.parseInt(args[++i]);
        case "--service-ms" -> serviceMs = Long.parseLong(args[++i]);
        case "--ceiling" -> ceiling = Integer.parseInt(args[++i]);
        case "--adaptive" -> adaptive = args[++i].equals("on");
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("sluice-adaptive-bench");
    }
    System.out.printf(
        "adaptive concurrency: capacity steps %s, %d s each (second half measured); endpoint works"
            + " %d ms per request, 429 beyond capacity; max-in-flight %d (the ceiling); adaptive"
            + " %s; data in %s%n",
        Arrays.toString(steps), stepSeconds, serviceMs, ceiling, adaptive ? "on" : "off", dir);
    try (CapacityEndpoint endpoint = new CapacityEndpoint(serviceMs)) {
      endpoint.capacity = steps[0];
      SluiceConfig config =
          new SluiceConfig(
              dir,
              new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
              new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
              Limits.none().withMaxInFlight(ceiling),
              RetryPolicy.defaults(),
              DispatcherConfig.defaults()
                  .withWorkers(ceiling)
                  .withAdaptive(adaptive ? AdaptiveSettings.on() : AdaptiveSettings.off()),
              TargetConfig.http(endpoint.url(), Duration.ofSeconds(30), Map.of()),
              StoreConfig.defaults());
      try (SluiceService service =
          SluiceService.start(config, SluiceService.Options.defaults().paused(true))) {
        run(service, endpoint, steps, stepSeconds, ceiling);
      }
    }
  }

  private static void run(
      SluiceService service, CapacityEndpoint endpoint, int[] steps, int stepSeconds, int ceiling)
      throws Exception {
    URI api = service.apiUrl();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // More than the steps can take at full capacity, so the backlog never runs dry.
    long needed = 0;
    for (int c : steps) {
      needed += (long) c * stepSeconds * 1000 / endpoint.serviceMs;
    }
    int events = (int) Math.min(Integer.MAX_VALUE - 1, needed * 12 / 10 + 1000);
    for (int from = 0; from < events; from += POST_BATCH) {
      int count = Math.min(POST_BATCH, events - from);
      post(http, api.resolve("/v1/events"), "POST", S3NotificationBodies.of(from, count));
    }
    System.out.printf("  %,d events accepted (paused); resuming%n", events);
    AdaptiveLimiter adaptive = service.sluice().dispatcher().adaptive();
    post(http, api.resolve("/v1/resume"), "POST", "");

    System.out.println(
        "  capacity | calls  | 429s  | 429 share | goodput/s | of capacity | mean at endpoint"
            + " | mean limit | most at once");
    List<String> rows = new ArrayList<>();
    for (int capacity : steps) {
      endpoint.capacity = capacity;
      Thread.sleep(stepSeconds * 500L);
      long calls0 = endpoint.calls.get();
      long throttled0 = endpoint.throttled.get();
      long done0 = endpoint.done.get();
      endpoint.mostAtOnce.set(0);
      long t0 = System.nanoTime();
      long samples = 0;
      double workingSum = 0;
      double limitSum = 0;
      long end = t0 + stepSeconds * 500_000_000L;
      while (System.nanoTime() < end) {
        workingSum += endpoint.working.get();
        limitSum += adaptive.state().limit();
        samples++;
        Thread.sleep(10);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long calls = endpoint.calls.get() - calls0;
      long throttled = endpoint.throttled.get() - throttled0;
      double goodput = (endpoint.done.get() - done0) / seconds;
      double possible = capacity * 1000.0 / endpoint.serviceMs;
      String row =
          String.format(
              "  %8d | %6d | %5d | %8.2f%% | %9.1f | %10.1f%% | %16.1f | %10.1f | %12d",
              capacity,
              calls,
              throttled,
              calls == 0 ? 0.0 : 100.0 * throttled / calls,
              goodput,
              100.0 * goodput / possible,
              workingSum / samples,
              limitSum / samples,
              endpoint.mostAtOnce.get());
      System.out.println(row);
      rows.add(row);
    }
    AdaptiveLimiter.State s = adaptive.state();
    System.out.printf(
        "  adaptive at the end: limit %d of ceiling %d, %d decreases, %d increases, last %s%n",
        s.limit(), s.ceiling(), s.decreases(), s.increases(), s.reason());
    post(http, api.resolve("/v1/pause"), "POST", "");
  }

  private static void post(HttpClient http, URI uri, String method, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + uri + ": " + r.statusCode() + " " + r.body());
    }
  }
}
