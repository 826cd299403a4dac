package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.EventIdentity;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.TargetConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configured HTTP target, end to end: a local recorder fails each object's first POST with a
 * 500 and takes the second; a key it refuses with 422 becomes a dead letter with the status kept.
 */
class HttpTargetEndToEndTest {
  @TempDir Path dataDir;

  private record Received(String idempotencyKey, String key, int attempt) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> callsPerKey = new ConcurrentHashMap<>();
  private HttpServer recorder;

  @BeforeEach
  void startRecorder() throws IOException {
    recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    recorder.createContext("/jobs", this::answer);
    recorder.start();
  }

  @AfterEach
  void stopRecorder() {
    recorder.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    JsonNode job = ApiCalls.JSON.readTree(exchange.getRequestBody().readAllBytes());
    String key = job.get("key").asText();
    received.add(
        new Received(
            exchange.getRequestHeaders().getFirst("Idempotency-Key"),
            key,
            job.get("attempt").asInt()));
    int call = callsPerKey.merge(key, 1, Integer::sum);
    int status = key.startsWith("refused") ? 422 : call == 1 ? 500 : 200;
    byte[] body =
        (status == 422 ? "schema mismatch in " + key : "ok").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Test
  void release_whenHttpTargetFailsOnceThenTakes_completesWithOneIdempotencyKeyPerEvent() {
    URI url = URI.create("http://127.0.0.1:" + recorder.getAddress().getPort() + "/jobs");
    TargetConfig target = TargetConfig.http(url, Duration.ofSeconds(5), Map.of());
    try (RunningSluice sluice =
        RunningSluice.startConfigured(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      List<String> keys = Notifications.keys("http", 0, 5);
      List<String> all = new ArrayList<>(keys);
      all.add("refused-1.parquet");
      sluice.api.post("/v1/events", Notifications.forKeys(all)).ok();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                JsonNode s = sluice.status();
                return s.get("completed").asLong() == 5 && s.get("dead").asLong() == 1;
              });

      Map<String, List<Received>> byKey =
          received.stream().collect(Collectors.groupingBy(Received::key));
      for (String key : keys) {
        List<Received> calls = byKey.get(key);
        assertThat(calls).extracting(Received::attempt).containsExactly(1, 2);
        String expected =
            new EventIdentity(Notifications.BUCKET, key, "s:" + Notifications.sequencer(key))
                .idempotencyKey();
        assertThat(calls).extracting(Received::idempotencyKey).containsOnly(expected);
      }
      assertThat(received.stream().map(Received::idempotencyKey).distinct()).hasSize(6);
      assertThat(byKey.get("refused-1.parquet")).hasSize(1);
      JsonNode dead = sluice.api.get("/v1/dead").ok().get("dead");
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).get("lastError").asText())
          .contains("422")
          .contains("schema mismatch in refused-1.parquet");
      assertThat(sluice.status().get("target").asText()).contains(url.toString());
    }
  }
}
