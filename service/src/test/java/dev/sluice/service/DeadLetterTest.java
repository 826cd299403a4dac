package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dead letters keep their last error and attempts, are listed by the API, and can be redriven. */
class DeadLetterTest {
  @TempDir Path dataDir;

  @Test
  void release_whenTargetFailsPermanently_deadLettersAtOnceWithTheError() {
    RecordingTarget target =
        RecordingTarget.answering(Outcome.permanent("400 Bad Request: no such state machine"));
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(5))) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("perm", 0, 3))).ok();

      JsonNode dead = awaitDead(sluice, 3);

      for (JsonNode d : dead) {
        assertThat(d.get("attempts").asInt()).isEqualTo(1);
        assertThat(d.get("lastError").asText()).contains("400 Bad Request: no such state machine");
        assertThat(d.get("bucket").asText()).isEqualTo(Notifications.BUCKET);
      }
      assertThat(target.count()).isEqualTo(3);
      assertThat(target.jobs()).extracting(Job::attempt).containsOnly(1);
    }
  }

  @Test
  void release_whenTargetAlwaysFailsRetryably_deadLettersAfterMaxAttemptsThenRedriveCompletes() {
    RecordingTarget target = RecordingTarget.answering(Outcome.retryable("connection refused"));
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      List<String> keys = Notifications.keys("retry", 0, 4);
      sluice.api.post("/v1/events", Notifications.forKeys(keys)).ok();

      JsonNode dead = awaitDead(sluice, 4);

      for (JsonNode d : dead) {
        assertThat(d.get("attempts").asInt()).isEqualTo(3);
        assertThat(d.get("lastError").asText()).contains("connection refused");
      }
      Map<String, List<Integer>> attemptsByKey =
          target.jobs().stream()
              .collect(
                  Collectors.groupingBy(
                      j -> j.event().key(), Collectors.mapping(Job::attempt, Collectors.toList())));
      assertThat(attemptsByKey).hasSize(4);
      attemptsByKey.values().forEach(a -> assertThat(a).containsExactly(1, 2, 3));
      assertThat(sluice.status().get("dead").asLong()).isEqualTo(4);

      // The target recovers; redrive one dead letter by id, then the rest.
      target.answerWith(job -> Outcome.completed());
      long firstId = dead.get(0).get("eventId").asLong();
      String firstKey = dead.get(0).get("key").asText();
      JsonNode byId = sluice.api.post("/v1/dead/redrive", "{\"ids\": [" + firstId + "]}").ok();
      assertThat(byId.get("redriven").asInt()).isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 1);
      List<String> stillDead = new ArrayList<>();
      sluice
          .api
          .get("/v1/dead")
          .ok()
          .get("dead")
          .forEach(d -> stillDead.add(d.get("key").asText()));
      assertThat(stillDead).hasSize(3).doesNotContain(firstKey);
      assertThat(lastJob(target).event().key()).isEqualTo(firstKey);

      JsonNode all = sluice.api.post("/v1/dead/redrive", "").ok();
      assertThat(all.get("redriven").asInt()).isEqualTo(3);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 4);
      assertThat(sluice.api.get("/v1/dead").ok().get("dead")).isEmpty();
      JsonNode status = sluice.status();
      assertThat(status.get("dead").asLong()).isZero();
      assertThat(status.get("backlog").asLong()).isZero();
      // A redriven event starts over at attempt 1 and completes there.
      List<Job> completions = target.jobs().subList(12, target.count());
      assertThat(completions)
          .extracting(j -> j.event().key())
          .containsExactlyInAnyOrderElementsOf(keys);
      assertThat(completions).extracting(Job::attempt).containsOnly(1);
    }
  }

  @Test
  void getDead_whenPaged_walksEveryDeadLetterOnceAndRejectsBadParameters() {
    RecordingTarget target = RecordingTarget.answering(Outcome.permanent("gone"));
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      List<String> keys = Notifications.keys("page", 0, 5);
      sluice.api.post("/v1/events", Notifications.forKeys(keys)).ok();
      awaitDead(sluice, 5);

      List<String> seen = new ArrayList<>();
      long after = 0;
      for (int page = 0; page < 10; page++) {
        JsonNode answer = sluice.api.get("/v1/dead?limit=2&after=" + after).ok();
        answer.get("dead").forEach(d -> seen.add(d.get("key").asText()));
        if (!answer.hasNonNull("next")) {
          break;
        }
        after = answer.get("next").asLong();
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(keys);

      assertThat(sluice.api.get("/v1/dead?limit=0").error(400)).contains("limit");
      assertThat(sluice.api.get("/v1/dead?limit=abc").error(400)).contains("limit");
      assertThat(sluice.api.get("/v1/dead?after=-1").error(400)).contains("after");
    }
  }

  @Test
  void redrive_whenIdsAreNotIntegers_answers400() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir, RecordingTarget.completing(), Limits.none(), RunningSluice.fastRetry(3))) {
      assertThat(sluice.api.post("/v1/dead/redrive", "{\"ids\": [\"x\"]}").error(400))
          .contains("ids");
      assertThat(sluice.api.post("/v1/dead/redrive", "{\"ids\": 5}").error(400)).contains("ids");
      assertThat(sluice.api.post("/v1/dead/redrive", "not json").error(400)).contains("not JSON");
    }
  }

  private static Job lastJob(RecordingTarget target) {
    List<Job> jobs = target.jobs();
    return jobs.get(jobs.size() - 1);
  }

  private static JsonNode awaitDead(RunningSluice sluice, int count) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sluice.api.get("/v1/dead").ok().get("dead").size() == count);
    return sluice.api.get("/v1/dead").ok().get("dead");
  }
}
