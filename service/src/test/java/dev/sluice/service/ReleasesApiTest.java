package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release log as JSON lines, for audits; and JSON errors for what the API does not know. */
class ReleasesApiTest {
  @TempDir Path dataDir;

  @Test
  void getReleases_whenEventsReleased_listsOneLinePerReleaseAndFiltersBySince() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      List<String> early = Notifications.keys("early", 0, 3);
      List<String> late = Notifications.keys("late", 0, 2);
      sluice.api.post("/v1/events", Notifications.forKeys(early)).ok();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 3);
      sluice.api.post("/v1/events", Notifications.forKeys(late)).ok();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 5);

      ApiCalls.Answer answer = sluice.api.get("/v1/releases");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.contentType()).startsWith("application/x-ndjson");
      // Neither a raw NUL nor its JSON escape: the stored identity form is not for export.
      assertThat(answer.body()).doesNotContain("\u0000").doesNotContain("\\u0000");
      List<JsonNode> lines = lines(answer.body());
      assertThat(lines).hasSize(5);
      for (JsonNode line : lines) {
        String key = line.get("key").asText();
        // EventIdentity's text form: bucket/key@s:<sequencer> when only a sequencer is given.
        assertThat(line.get("identity").asText())
            .isEqualTo(Notifications.BUCKET + "/" + key + "@s:" + Notifications.sequencer(key));
        assertThat(line.get("bucket").asText()).isEqualTo(Notifications.BUCKET);
        assertThat(line.get("attempt").asInt()).isEqualTo(1);
        assertThat(line.get("outcome").asText()).isEqualTo("completed");
        Instant releasedAt = Instant.parse(line.get("releasedAt").asText());
        Instant reachedAt = Instant.parse(line.get("reachedAt").asText());
        Instant answeredAt = Instant.parse(line.get("answeredAt").asText());
        Instant finishedAt = Instant.parse(line.get("finishedAt").asText());
        // The gate let it go, then it reached the target, the target answered, it was settled.
        assertThat(reachedAt).isAfterOrEqualTo(releasedAt);
        assertThat(answeredAt).isAfterOrEqualTo(reachedAt);
        assertThat(finishedAt).isAfterOrEqualTo(answeredAt);
      }
      List<String> allKeys = new ArrayList<>(early);
      allKeys.addAll(late);
      assertThat(lines)
          .extracting(l -> l.get("key").asText())
          .containsExactlyInAnyOrderElementsOf(allKeys);

      Instant firstLate =
          lines.stream()
              .filter(l -> l.get("key").asText().startsWith("late"))
              .map(l -> Instant.parse(l.get("releasedAt").asText()))
              .min(Comparator.naturalOrder())
              .orElseThrow();
      List<JsonNode> since = lines(sluice.api.get("/v1/releases?since=" + firstLate).ok2());
      assertThat(since)
          .extracting(l -> l.get("key").asText())
          .containsExactlyInAnyOrderElementsOf(late);
      assertThat(lines(sluice.api.get("/v1/releases?since=2999-01-01T00:00:00Z").ok2())).isEmpty();
    }
  }

  @Test
  void getReleases_whenSinceIsNotAnInstant_answers400() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir, RecordingTarget.completing(), Limits.none(), RunningSluice.fastRetry(3))) {
      assertThat(sluice.api.get("/v1/releases?since=yesterday").error(400))
          .contains("since")
          .contains("yesterday");
    }
  }

  @Test
  void anyRoute_whenUnknown_answers404Json() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir, RecordingTarget.completing(), Limits.none(), RunningSluice.fastRetry(3))) {
      assertThat(sluice.api.get("/v1/nothing-here").error(404)).contains("/v1/nothing-here");
      assertThat(sluice.api.post("/v2/events", "{}").error(404)).contains("/v2/events");
    }
  }

  private static List<JsonNode> lines(String body) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(ApiCalls.JSON.readTree(line));
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON line: " + line, e);
      }
    }
    return out;
  }
}
