package dev.sluice.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The calls the end-to-end tests make to a running service's HTTP API. */
final class SluiceClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** A status and a body. */
  record Response(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (HTTP " + status + "): " + body, e);
      }
    }
  }

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  SluiceClient(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /**
   * POST /v1/events.
   *
   * @throws IOException when no answer came (the service is down or died mid-request)
   */
  Response postEvents(byte[] notification) throws IOException {
    return send(
        request("/v1/events")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(notification)));
  }

  /** True when GET /healthz answers 200. */
  boolean healthy() {
    try {
      return send(request("/healthz").GET()).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** GET of a view that must answer 2xx. */
  JsonNode get(String path) {
    return expectOk(request(path).GET());
  }

  JsonNode status() {
    return expectOk(request("/v1/status").GET());
  }

  /**
   * Waits until the service's release loop has run two more steps ({@code
   * sinceStart.releaseSteps}), so one began after this call: a restarted process has then had its
   * chance to release whatever it would release, and a check that it released nothing is not merely
   * early.
   */
  void awaitDispatcherLooked() {
    long from = releaseSteps();
    org.awaitility.Awaitility.await("two more steps of the release loop")
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(20))
        .until(() -> releaseSteps() >= from + 2);
  }

  private long releaseSteps() {
    JsonNode steps = status().path("sinceStart").path("releaseSteps");
    if (!steps.isIntegralNumber()) {
      throw new IllegalStateException("/v1/status has no sinceStart.releaseSteps");
    }
    return steps.asLong();
  }

  /** POST /v1/pause. */
  JsonNode pause() {
    return expectOk(request("/v1/pause").POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** POST /v1/resume. */
  JsonNode resume() {
    return expectOk(request("/v1/resume").POST(HttpRequest.BodyPublishers.noBody()));
  }

  JsonNode putLimits(String limitsJson) {
    return expectOk(
        request("/v1/limits")
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(limitsJson)));
  }

  /** GET /v1/releases: the whole release log, one JSON object per release. */
  List<JsonNode> releases() {
    Response r = unchecked(request("/v1/releases").GET());
    if (!r.ok()) {
      throw new AssertionError("GET /v1/releases answered " + r.status() + ": " + r.body());
    }
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        try {
          out.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException("release line is not JSON: " + line, e);
        }
      }
    }
    return out;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
  }

  private JsonNode expectOk(HttpRequest.Builder request) {
    Response r = unchecked(request);
    if (!r.ok()) {
      throw new AssertionError(request.build().uri() + " answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  private Response unchecked(HttpRequest.Builder request) {
    try {
      return send(request);
    } catch (IOException e) {
      throw new UncheckedIOException("no answer from " + request.build().uri(), e);
    }
  }

  private Response send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Waits until the service (or, on several nodes, the shared backlog) has nothing waiting and
   * nothing in flight, or the timeout; returns the last status either way, so the assertions that
   * follow say what is missing.
   */
  static JsonNode awaitDrained(SluiceClient api, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode status = api.status();
      if (isDrained(status) || System.nanoTime() > deadline) {
        return status;
      }
      Thread.sleep(100);
    }
  }

  static boolean isDrained(JsonNode status) {
    return status.path("backlog").asLong() == 0 && status.path("inFlight").asLong() == 0;
  }

  static void assertDrained(JsonNode status) {
    org.assertj.core.api.Assertions.assertThat(isDrained(status))
        .as("nothing waiting and nothing in flight: %s", status)
        .isTrue();
  }
}
