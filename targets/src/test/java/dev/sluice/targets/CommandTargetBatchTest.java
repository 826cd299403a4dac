package dev.sluice.targets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One real process per batch (sh), its document on stdin, its answer on stdout. */
class CommandTargetBatchTest {
  @TempDir Path dir;

  private CommandTarget shell(String script, Duration timeout) {
    return new CommandTarget(
        new CommandTarget.Config(List.of("sh", "-c", script), timeout, dir, Map.of()));
  }

  private CommandTarget shell(String script) {
    return shell(script, Duration.ofSeconds(20));
  }

  @Test
  void deliverBatch_runsOneProcessWithTheBatchOnStdinAndInTheEnvironment() throws Exception {
    Batch batch = TestJobs.batch(3);
    AtomicInteger arrivals = new AtomicInteger();

    BatchOutcome outcome =
        shell(
                "cat > stdin.json; echo run >> runs.txt;"
                    + " printf '%s %s %s' \"$SLUICE_BATCH\" \"$SLUICE_BATCH_SIZE\""
                    + " \"$SLUICE_PARTITION\" > env.txt")
            .deliverBatch(batch, arrivals::incrementAndGet);

    assertThat(Files.readAllLines(dir.resolve("runs.txt"))).hasSize(1);
    assertThat(arrivals).hasValue(1);
    JsonNode stdin = new ObjectMapper().readTree(dir.resolve("stdin.json").toFile());
    assertThat(stdin.get("batch").asText()).isEqualTo(batch.idempotencyKey());
    assertThat(stdin.get("items")).hasSize(3);
    assertThat(stdin.get("items").get(2).get("key").asText()).isEqualTo("batch/item-2.jpg");
    assertThat(Files.readString(dir.resolve("env.txt")))
        .isEqualTo(batch.idempotencyKey() + " 3 photos");
    assertThat(batch.members())
        .allSatisfy(m -> assertThat(outcome.of(m)).isEqualTo(Outcome.completed()));
  }

  @Test
  void deliverBatch_whenStdoutEndsWithBatchItemFailures_failsOnlyThose() {
    Batch batch = TestJobs.batch(4);
    Job failed = batch.members().get(2);
    String answer =
        "{\"batchItemFailures\":[{\"itemIdentifier\":\"" + failed.idempotencyKey() + "\"}]}";

    BatchOutcome outcome =
        shell("cat > /dev/null; echo 'working on it'; echo '" + answer + "'")
            .deliverBatch(batch, Target.Arrival.IGNORED);

    for (Job m : batch.members()) {
      if (m == failed) {
        assertThat(outcome.of(m)).isInstanceOf(Outcome.Failed.class);
      } else {
        assertThat(outcome.of(m)).isEqualTo(Outcome.completed());
      }
    }
  }

  @Test
  void deliverBatch_whenExitNonZero_failsTheWholeBatchWhateverStdoutSays() {
    Batch batch = TestJobs.batch(2);
    BatchOutcome outcome =
        shell("cat > /dev/null; echo '{\"batchItemFailures\":[]}'; echo bad >&2; exit 75")
            .deliverBatch(batch, Target.Arrival.IGNORED);
    for (Job m : batch.members()) {
      assertThat(outcome.of(m)).isInstanceOf(Outcome.Failed.class);
      Outcome.Failed f = (Outcome.Failed) outcome.of(m);
      assertThat(f.retryable()).isTrue();
      assertThat(f.error()).contains("exited with 75").contains("bad");
    }
  }

  @Test
  void deliverBatch_whenTheDocumentOutgrowsAPipeAndTheCommandNeverReads_endsByTheTimeout() {
    // 2,000 members make a document of several hundred KB: more than a pipe holds.
    Batch batch = TestJobs.batch(2000);
    BatchOutcome outcome =
        shell("sleep 30", Duration.ofMillis(500)).deliverBatch(batch, Target.Arrival.IGNORED);
    assertThat(outcome.common()).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) outcome.common()).error()).contains("timed out");
  }

  @Test
  void deliverBatch_whenTheDocumentOutgrowsAPipe_theCommandReadsAllOfIt() throws Exception {
    Batch batch = TestJobs.batch(2000);
    BatchOutcome outcome = shell("cat > stdin.json").deliverBatch(batch, Target.Arrival.IGNORED);
    assertThat(outcome.common()).isEqualTo(Outcome.completed());
    JsonNode stdin = new ObjectMapper().readTree(dir.resolve("stdin.json").toFile());
    assertThat(stdin.get("items")).hasSize(2000);
  }
}
