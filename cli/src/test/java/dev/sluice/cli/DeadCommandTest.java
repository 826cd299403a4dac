package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice dead}: list dead letters and redrive them. */
class DeadCommandTest {
  @TempDir Path dataDir;

  @Test
  void deadListAndRedrive_whenTargetFailedPermanently_showErrorsAndBringEventsBack()
      throws Exception {
    RecordingTarget target =
        RecordingTarget.answering(Outcome.permanent("422 Unprocessable: schema mismatch"));
    try (InProcessSluice sluice = InProcessSluice.start(dataDir, target, Limits.none(), false)) {
      sluice.postObjects(List.of("x.parquet", "y.parquet"));
      await().atMost(Duration.ofSeconds(10)).until(() -> sluice.dead().get("dead").size() == 2);
      JsonNode dead = sluice.dead().get("dead");
      long xId = dead.get(0).get("eventId").asLong();
      long yId = dead.get(1).get("eventId").asLong();

      CliRun list = CliRun.of("dead", "list", "--url", sluice.url());

      assertThat(list.exitCode()).isZero();
      assertThat(list.outLines())
          .containsExactly(
              xId + "\ts3://landing/x.parquet\tattempts=1\t422 Unprocessable: schema mismatch",
              yId + "\ts3://landing/y.parquet\tattempts=1\t422 Unprocessable: schema mismatch",
              "2 dead letters");
      // Bare `dead` lists too.
      assertThat(CliRun.of("dead", "--url", sluice.url()).outLines()).isEqualTo(list.outLines());
      CliRun json = CliRun.of("dead", "list", "--json", "--url", sluice.url());
      assertThat(json.outLines()).hasSize(2);
      assertThat(Json.MAPPER.readTree(json.outLines().get(0)).get("key").asText())
          .isEqualTo("x.parquet");

      target.answerWith(job -> Outcome.completed());
      CliRun one = CliRun.of("dead", "redrive", "--url", sluice.url(), String.valueOf(yId));

      assertThat(one.exitCode()).isZero();
      assertThat(one.out().strip()).isEqualTo("redriven 1");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 1);
      assertThat(CliRun.of("dead", "list", "--url", sluice.url()).outLines())
          .containsExactly(
              xId + "\ts3://landing/x.parquet\tattempts=1\t422 Unprocessable: schema mismatch",
              "1 dead letter");

      CliRun all = CliRun.of("dead", "redrive", "--url", sluice.url());

      assertThat(all.out().strip()).isEqualTo("redriven 1");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 2);
      assertThat(CliRun.of("dead", "list", "--url", sluice.url()).outLines())
          .containsExactly("0 dead letters");
    }
  }
}
