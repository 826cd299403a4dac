package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adaptive rate with the real HTTP target, a real dispatcher and SQLite backlog, against a
 * local endpoint with a request rate quota: it answers 429 to a request when it took {@link #QUOTA}
 * in the last second. Its requests are short, so fewer at once would not help; the window must come
 * down, and the configured one stays the ceiling.
 */
class AdaptiveRateHttpTargetTest {
  private static final int QUOTA = 20;
  private static final int WINDOW = 80;
  private static final int EVENTS = 120;
  private static final long SECOND = 1_000_000_000L;

  @TempDir Path dataDir;

  private HttpServer endpoint;
  private ExecutorService endpointThreads;
  private final Deque<Long> takenAt = new ArrayDeque<>();
  private final Deque<Long> requestedAt = new ArrayDeque<>();
  private int mostRequestsInASecond;
  private int taken;
  private int refused;

  @BeforeEach
  void startEndpoint() throws IOException {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    endpointThreads = Executors.newFixedThreadPool(16);
    endpoint.setExecutor(endpointThreads);
    endpoint.createContext("/jobs", this::answer);
    endpoint.start();
  }

  @AfterEach
  void stopEndpoint() {
    endpoint.stop(0);
    endpointThreads.shutdownNow();
  }

  private void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    int status;
    synchronized (this) {
      long now = System.nanoTime();
      requestedAt.addLast(now);
      while (now - requestedAt.peekFirst() >= SECOND) {
        requestedAt.pollFirst();
      }
      mostRequestsInASecond = Math.max(mostRequestsInASecond, requestedAt.size());
      while (!takenAt.isEmpty() && now - takenAt.peekFirst() >= SECOND) {
        takenAt.pollFirst();
      }
      if (takenAt.size() >= QUOTA) {
        refused++;
        status = 429;
      } else {
        takenAt.addLast(now);
        taken++;
        status = 200;
      }
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
            c.withLimits(Limits.window(WINDOW, Duration.ofSeconds(1)))
                .withTarget(target)
                .withDispatcher(c.dispatcher().withAdaptive(AdaptiveSettings.on().withRate(true))));
  }

  @Test
  void adaptiveRate_whenTheEndpointHasARateQuota_lowersTheWindowUnderTheConfiguredOne() {
    try (RunningSluice sluice = start()) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("a", 0, EVENTS)));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> sluice.status().get("completed").asLong() == EVENTS);

      JsonNode shown = sluice.api.get("/v1/adaptive").ok();
      synchronized (this) {
        assertThat(refused).isPositive();
        assertThat(taken).isGreaterThanOrEqualTo(EVENTS);
        // The configured window is a hard ceiling at the target, whatever the factor.
        assertThat(mostRequestsInASecond).isLessThanOrEqualTo(WINDOW);
      }
      assertThat(shown.get("rate").asBoolean()).isTrue();
      assertThat(shown.get("rateDecreases").asLong()).isPositive();
      assertThat(shown.get("rateFactor").asDouble()).isLessThan(1.0);
      assertThat(shown.get("windowLimitNow").asInt()).isLessThan(WINDOW);
      assertThat(sluice.status().get("dead").asLong()).isZero();
      String metrics = sluice.api.get("/metrics").ok2();
      assertThat(metrics).containsPattern("sluice_adaptive_rate_factor [0-9.E-]+");
      assertThat(metrics).containsPattern("sluice_adaptive_rate_decreases_total [1-9]");
      assertThat(metrics).contains("sluice_adaptive_window_limit_releases ");

      // Switching the rate off gives the configured window back at once, audited.
      JsonNode off = sluice.api.call("PATCH", "/v1/adaptive", "{\"rate\": false}", Map.of()).ok();
      assertThat(off.get("before").get("rate").asBoolean()).isTrue();
      assertThat(off.get("after").get("rate").asBoolean()).isFalse();
      assertThat(off.get("state").get("rateFactor").asDouble()).isEqualTo(1.0);
      assertThat(off.get("state").get("windowLimitNow").asInt()).isEqualTo(WINDOW);
      JsonNode latest = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(latest.get("action").asText()).isEqualTo("adaptive");
      assertThat(latest.get("after").get("rate").asBoolean()).isFalse();
    }
  }
}
