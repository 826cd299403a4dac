package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.dispatch.AdaptiveLimiter;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.TargetConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive concurrency with the real HTTP target, a real dispatcher and SQLite backlog, against a
 * local endpoint that takes {@link #CAPACITY} requests at once and answers 429 beyond that.
 */
class AdaptiveHttpTargetTest {
  private static final int CAPACITY = 4;
  private static final int CEILING = 12;
  private static final int EVENTS = 200;

  @TempDir Path dataDir;

  private HttpServer endpoint;
  private ExecutorService endpointThreads;
  private final AtomicInteger atOnce = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private final AtomicInteger taken = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  @BeforeEach
  void startEndpoint() throws IOException {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    endpointThreads = Executors.newFixedThreadPool(32);
    endpoint.setExecutor(endpointThreads);
    endpoint.createContext("/jobs", this::answer);
    endpoint.start();
  }

  @AfterEach
  void stopEndpoint() {
    endpoint.stop(0);
    endpointThreads.shutdownNow();
  }

  /** Works 30 ms on a request when fewer than CAPACITY are in progress; else 429 at once. */
  private void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    int now = atOnce.incrementAndGet();
    mostAtOnce.accumulateAndGet(now, Math::max);
    int status;
    try {
      if (now > CAPACITY) {
        refused.incrementAndGet();
        status = 429;
      } else {
        Thread.sleep(30);
        taken.incrementAndGet();
        status = 200;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 503;
    } finally {
      atOnce.decrementAndGet();
    }
    byte[] body = (status == 429 ? "slow down" : "ok").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private RunningSluice start() {
    URI url = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/jobs");
    TargetConfig target = TargetConfig.http(url, Duration.ofSeconds(5), Map.of());
    return RunningSluice.startWith(
        dataDir,
        null,
        c ->
            c.withLimits(Limits.none().withMaxInFlight(CEILING))
                .withTarget(target)
                .withDispatcher(c.dispatcher().withAdaptive(AdaptiveSettings.on())));
  }

  @Test
  void adaptive_whenTheEndpointAnswers429BeyondItsCapacity_comesDownAndNeverExceedsTheCeiling()
      throws InterruptedException {
    try (RunningSluice sluice = start()) {
      AdaptiveLimiter adaptive = sluice.service.sluice().dispatcher().adaptive();
      AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
      AtomicInteger highest = new AtomicInteger();
      AtomicBoolean watching = new AtomicBoolean(true);
      Thread watcher =
          new Thread(
              () -> {
                while (watching.get()) {
                  int limit = adaptive.state().limit();
                  lowest.accumulateAndGet(limit, Math::min);
                  highest.accumulateAndGet(limit, Math::max);
                  Thread.onSpinWait();
                }
              });
      watcher.start();
      try {
        sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("a", 0, EVENTS)));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> sluice.status().get("completed").asLong() == EVENTS);
      } finally {
        watching.set(false);
        watcher.join();
      }

      // The endpoint throttled, and the limit came down towards what it takes.
      assertThat(refused.get()).isPositive();
      assertThat(taken.get()).isGreaterThanOrEqualTo(EVENTS);
      AdaptiveLimiter.State state = adaptive.state();
      assertThat(state.decreases()).isPositive();
      assertThat(lowest.get()).isLessThanOrEqualTo(CAPACITY + 2);
      // Never above the ceiling, neither the limit nor the requests the endpoint saw at once.
      assertThat(highest.get()).isLessThanOrEqualTo(CEILING);
      assertThat(mostAtOnce.get()).isLessThanOrEqualTo(CEILING);
      assertThat(sluice.status().get("dead").asLong()).isZero();

      // Visible: status and metrics.
      JsonNode shown = sluice.status().get("adaptive");
      assertThat(shown.get("enabled").asBoolean()).isTrue();
      assertThat(shown.get("ceiling").asInt()).isEqualTo(CEILING);
      assertThat(shown.get("limit").asInt()).isBetween(1, CEILING);
      assertThat(shown.get("decreases").asLong()).isPositive();
      assertThat(shown.get("lastChange").get("reason").asText()).isIn("throttled", "recovering");
      String metrics = sluice.api.get("/metrics").ok2();
      assertThat(metrics).contains("sluice_adaptive_limit_releases ");
      assertThat(metrics).containsPattern("sluice_adaptive_decreases_total [1-9]");
    }
  }

  @Test
  void patchAdaptive_switchesItOffAndOn_auditedWithTheSettingsBeforeAndAfter() {
    try (RunningSluice sluice = start()) {
      var gate = sluice.service.sluice().dispatcher();
      JsonNode off =
          sluice.api.call("PATCH", "/v1/adaptive", "{\"enabled\": false}", Map.of()).ok();
      assertThat(off.get("before").get("enabled").asBoolean()).isTrue();
      assertThat(off.get("after").get("enabled").asBoolean()).isFalse();
      assertThat(sluice.status().get("adaptive").get("enabled").asBoolean()).isFalse();
      assertThat(gate.adaptive().settings().enabled()).isFalse();

      JsonNode on =
          sluice
              .api
              .call(
                  "PATCH",
                  "/v1/adaptive",
                  "{\"enabled\": true, \"min\": 2, \"latency-above\": \"2s\"}",
                  Map.of())
              .ok();
      assertThat(on.get("after").get("min").asInt()).isEqualTo(2);
      assertThat(on.get("after").get("latency-above").asText()).isEqualTo("2s");
      assertThat(on.get("state").get("limit").asInt()).isEqualTo(CEILING);

      String error =
          sluice.api.call("PATCH", "/v1/adaptive", "{\"backoff\": 2}", Map.of()).error(400);
      assertThat(error).contains("dispatcher.adaptive.backoff: must be > 0 and < 1, got 2.0");
      assertThat(gate.adaptive().settings().backoff()).isEqualTo(0.9);

      JsonNode entries = sluice.api.get("/v1/audit").ok().get("entries");
      assertThat(entries).hasSize(2);
      JsonNode latest = entries.get(0);
      assertThat(latest.get("action").asText()).isEqualTo("adaptive");
      assertThat(latest.get("before").get("enabled").asBoolean()).isFalse();
      assertThat(latest.get("after").get("enabled").asBoolean()).isTrue();
      assertThat(latest.get("after").get("min").asInt()).isEqualTo(2);
      assertThat(entries.get(1).get("after").get("enabled").asBoolean()).isFalse();
    }
  }
}
