package dev.sluice.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.time.ManualTimeSource;
import dev.sluice.targets.ScriptedHttpServer.Reply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTargetTest {
  // 2026-01-01 is a Thursday.
  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
  private ScriptedHttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = new ScriptedHttpServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private HttpTarget target(Duration timeout) {
    return new HttpTarget(
        new HttpTarget.Config(
            server.uri("/jobs"), timeout, Map.of("Authorization", "Bearer s3cret")),
        time);
  }

  private HttpTarget target() {
    return target(Duration.ofSeconds(10));
  }

  @Test
  void deliver_always_postsJobJsonWithIdempotencyKeyAndConfiguredHeaders() throws Exception {
    Job job = TestJobs.full();

    target().deliver(job);

    assertThat(server.received()).hasSize(1);
    ScriptedHttpServer.Received request = server.received().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/jobs");
    // Golden value computed outside this code, in a shell: { printf 'photos'; printf '\0';
    // printf '2026/01/my file+1.parquet'; printf '\0'; printf 'v:3HL4kqtJlcpXroDTDmJ'; } |
    // sha256sum
    assertThat(request.headers().getFirst("Idempotency-Key"))
        .isEqualTo("497569783131935cf236c72ec26ed8e20e2911dea7a977cb80d31dfcfd506ab0");
    assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
    assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
    JsonNode body = new ObjectMapper().readTree(request.body());
    assertThat(body.get("bucket").asText()).isEqualTo("photos");
    assertThat(body.get("key").asText()).isEqualTo("2026/01/my file+1.parquet");
    assertThat(body.get("size").asLong()).isEqualTo(1234);
    assertThat(body.get("versionId").asText()).isEqualTo("3HL4kqtJlcpXroDTDmJ");
    assertThat(body.get("idempotencyKey").asText())
        .isEqualTo(job.event().identity().idempotencyKey());
    assertThat(body.get("attempt").asInt()).isEqualTo(2);
    assertThat(body.get("eventId").asLong()).isEqualTo(7);
    assertThat(body.get("releaseId").asLong()).isEqualTo(9);
  }

  @Test
  void deliver_whenRedelivered_sendsTheSameIdempotencyKey() {
    target().deliver(TestJobs.full(7, 9));
    target().deliver(TestJobs.full(7, 10));

    assertThat(server.received()).hasSize(2);
    assertThat(server.received().get(1).headers().getFirst("Idempotency-Key"))
        .isEqualTo(server.received().get(0).headers().getFirst("Idempotency-Key"));
  }

  @Test
  void deliver_when2xx_completes() {
    server.answer(Reply.of(200), Reply.of(202, "queued"), Reply.of(204));

    assertThat(target().deliver(TestJobs.full())).isEqualTo(Outcome.completed());
    assertThat(target().deliver(TestJobs.full())).isEqualTo(Outcome.completed());
    assertThat(target().deliver(TestJobs.full())).isEqualTo(Outcome.completed());
  }

  @Test
  void deliver_when429WithSeconds_throttlesForThatLong() {
    server.answer(Reply.of(429, Map.of("Retry-After", "7")));

    Outcome outcome = target().deliver(TestJobs.full());

    assertThat(outcome).isInstanceOf(Outcome.Throttled.class);
    Outcome.Throttled throttled = (Outcome.Throttled) outcome;
    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(throttled.detail()).contains("429");
  }

  @Test
  void deliver_when503WithHttpDate_throttlesUntilThatDate() {
    time.advance(Duration.ofSeconds(30));
    server.answer(Reply.of(503, Map.of("Retry-After", "Thu, 01 Jan 2026 00:02:00 GMT")));

    Outcome outcome = target().deliver(TestJobs.full());

    assertThat(outcome).isInstanceOf(Outcome.Throttled.class);
    assertThat(((Outcome.Throttled) outcome).retryAfter()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void deliver_whenThrottledWithoutUsableRetryAfter_throttlesWithoutAWait() {
    server.answer(Reply.of(429), Reply.of(503, Map.of("Retry-After", "later")));

    Outcome first = target().deliver(TestJobs.full());
    Outcome second = target().deliver(TestJobs.full());

    assertThat(first).isInstanceOf(Outcome.Throttled.class);
    assertThat(((Outcome.Throttled) first).retryAfter()).isNull();
    assertThat(second).isInstanceOf(Outcome.Throttled.class);
    assertThat(((Outcome.Throttled) second).retryAfter()).isNull();
  }

  @Test
  void deliver_whenOther5xx_failsRetryableWithStatusAndBodyStart() {
    String body = "A".repeat(500) + "B".repeat(1000);
    server.answer(Reply.of(500, body), Reply.of(502, "bad gateway"));

    Outcome first = target().deliver(TestJobs.full());
    Outcome second = target().deliver(TestJobs.full());

    assertThat(first).isInstanceOf(Outcome.Failed.class);
    Outcome.Failed failed = (Outcome.Failed) first;
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.error()).contains("500").contains("A".repeat(500)).doesNotContain("B");
    assertThat(second).isEqualTo(Outcome.retryable(((Outcome.Failed) second).error()));
    assertThat(((Outcome.Failed) second).error()).contains("502").contains("bad gateway");
  }

  @Test
  void deliver_when4xx_failsPermanentlyWithStatusAndBody() {
    server.answer(Reply.of(404, "no such route"), Reply.of(400, "missing field"));

    Outcome.Failed first = (Outcome.Failed) target().deliver(TestJobs.full());
    Outcome.Failed second = (Outcome.Failed) target().deliver(TestJobs.full());

    assertThat(first.retryable()).isFalse();
    assertThat(first.error()).contains("404").contains("no such route");
    assertThat(second.retryable()).isFalse();
    assertThat(second.error()).contains("400").contains("missing field");
  }

  @Test
  void deliver_whenRedirected_failsPermanentlyWithoutFollowing() {
    server.answer(Reply.of(301, Map.of("Location", server.uri("/elsewhere").toString())));

    Outcome.Failed failed = (Outcome.Failed) target().deliver(TestJobs.full());

    assertThat(failed.retryable()).isFalse();
    assertThat(failed.error()).contains("301");
    assertThat(server.received())
        .extracting(ScriptedHttpServer.Received::path)
        .containsExactly("/jobs");
  }

  @Test
  void deliver_whenServerTooSlow_failsRetryableAfterTimeout() {
    Duration serverAnswersAfter = Duration.ofSeconds(3);
    server.answer(Reply.delayed(serverAnswersAfter));

    long start = System.nanoTime();
    Outcome outcome = target(Duration.ofMillis(200)).deliver(TestJobs.full());

    // An order, not a speed: the target gave up before the server's answer could come.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(serverAnswersAfter);
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    Outcome.Failed failed = (Outcome.Failed) outcome;
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.error()).contains("timed out after 200 ms");
  }

  @Test
  void deliver_whenNothingListens_failsRetryable() throws Exception {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      freePort = socket.getLocalPort();
    }
    HttpTarget target =
        new HttpTarget(
            HttpTarget.Config.of(URI.create("http://127.0.0.1:" + freePort + "/jobs")), time);

    Outcome outcome = target.deliver(TestJobs.full());

    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) outcome).retryable()).isTrue();
    assertThat(((Outcome.Failed) outcome).error()).contains("127.0.0.1:" + freePort);
  }

  @Test
  void config_whenUrlNotHttp_isRejected() {
    assertThatThrownBy(() -> HttpTarget.Config.of(URI.create("ftp://127.0.0.1/jobs")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("url must be an http or https URL with a host, got ");
    assertThatThrownBy(() -> HttpTarget.Config.of(URI.create("/jobs")))
        .hasMessageContaining("url must be an http or https URL with a host, got ");
  }

  @Test
  void config_whenTimeoutNotPositive_isRejected() {
    assertThatThrownBy(
            () -> new HttpTarget.Config(URI.create("http://127.0.0.1/"), Duration.ZERO, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be a positive duration, got 0s");
  }

  @Test
  void config_whenHeaderIsReservedOrSetByTarget_isRejected() {
    URI url = URI.create("http://127.0.0.1/");
    assertThatThrownBy(
            () -> new HttpTarget.Config(url, Duration.ofSeconds(1), Map.of("Host", "example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("headers has an unusable header 'Host'");
    assertThatThrownBy(
            () -> new HttpTarget.Config(url, Duration.ofSeconds(1), Map.of("Idempotency-Key", "x")))
        .hasMessageStartingWith("headers must not set Idempotency-Key");
  }

  @Test
  void describe_always_showsMethodAndUrl() {
    assertThat(target().describe()).isEqualTo("http POST " + server.uri("/jobs"));
  }
}
