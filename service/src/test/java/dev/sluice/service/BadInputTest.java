package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Job;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code POST /v1/events} gets the right status and a JSON error naming the problem;
 * nothing accepted before it is lost and the service carries on.
 */
class BadInputTest {
  @TempDir Path dataDir;

  private static final int ONE_MIB = 1024 * 1024;

  @Test
  void postEvents_whenBodiesAreBad_answersEachWithItsErrorAndLosesNothing() {
    RecordingTarget target = RecordingTarget.completing();
    // Paused, so the events accepted first are still waiting while the bad input arrives.
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3), true)) {
      List<String> before = Notifications.keys("before", 0, 20);
      assertThat(
              sluice
                  .api
                  .post("/v1/events", Notifications.forKeys(before))
                  .ok()
                  .get("accepted")
                  .asInt())
          .isEqualTo(20);

      assertThat(sluice.api.post("/v1/events", "this is not json").error(400)).contains("not JSON");
      assertThat(sluice.api.post("/v1/events", "{\"Records\": [").error(400)).contains("not JSON");
      assertThat(sluice.api.post("/v1/events", "{\"foo\":1}").error(400)).contains("Records");
      assertThat(sluice.api.post("/v1/events", "[]").error(400)).contains("Records");
      assertThat(sluice.api.post("/v1/events", "{\"Records\":\"x\"}").error(400))
          .contains("Records");
      assertThat(sluice.api.post("/v1/events", "").error(400)).contains("empty");

      ObjectNode numericKey = Notifications.record("ignored");
      ((ObjectNode) numericKey.get("s3").get("object")).put("key", 123);
      assertThat(sluice.api.post("/v1/events", Notifications.of(numericKey)).error(400))
          .contains("Records[0].s3.object.key");

      String tooLarge = paddedNotification(ONE_MIB + 1);
      assertThat(sluice.api.post("/v1/events", tooLarge).error(413)).contains("larger than");
      // The same without Content-Length (chunked): the limit holds while reading.
      ApiCalls.Answer chunked =
          sluice.api.send(
              "POST",
              "/v1/events",
              HttpRequest.BodyPublishers.ofInputStream(
                  () -> new ByteArrayInputStream(tooLarge.getBytes(StandardCharsets.UTF_8))));
      assertThat(chunked.error(413)).contains("larger than");

      // Still serving, and still accepting.
      assertThat(sluice.api.get("/healthz").ok().get("status").asText()).isEqualTo("ok");
      List<String> after = Notifications.keys("after", 0, 5);
      assertThat(
              sluice
                  .api
                  .post("/v1/events", Notifications.forKeys(after))
                  .ok()
                  .get("accepted")
                  .asInt())
          .isEqualTo(5);
      assertThat(sluice.status().get("backlog").asLong()).isEqualTo(25);

      sluice.api.post("/v1/resume", "").ok();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 25);
      List<String> expected = new ArrayList<>(before);
      expected.addAll(after);
      assertThat(target.jobs())
          .extracting(j -> j.event().key())
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void postEvents_whenOneRecordOfABatchIsBad_acceptsTheOthersAndNamesTheBadIndex() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      ObjectNode bad = Notifications.record("bad");
      ((ObjectNode) bad.get("s3").get("object")).put("key", 123);
      String body =
          Notifications.of(
              Notifications.record("good-0"),
              Notifications.record("good-1"),
              bad,
              Notifications.record("good-3"));

      ApiCalls.Answer answer = sluice.api.post("/v1/events", body);

      JsonNode report = answer.ok();
      assertThat(report.get("accepted").asInt()).isEqualTo(3);
      assertThat(report.get("rejected")).hasSize(1);
      assertThat(report.get("rejected").get(0).get("index").asInt()).isEqualTo(2);
      assertThat(report.get("rejected").get(0).get("reason").asText())
          .contains("Records[2].s3.object.key");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 3);
      assertThat(target.jobs())
          .extracting(Job::event)
          .extracting(e -> e.key())
          .containsExactlyInAnyOrder("good-0", "good-1", "good-3");
    }
  }

  /** A valid notification padded with whitespace to exactly {@code size} bytes. */
  private static String paddedNotification(int size) {
    String body = Notifications.forKeys(List.of("huge.parquet"));
    char[] pad = new char[size - body.length()];
    Arrays.fill(pad, ' ');
    return body + new String(pad);
  }
}
