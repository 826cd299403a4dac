package dev.sluice.targets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.core.time.ManualTimeSource;
import dev.sluice.targets.ScriptedHttpServer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One POST per batch against a real HTTP server on 127.0.0.1. */
class HttpTargetBatchTest {
  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
  private ScriptedHttpServer server;
  private HttpTarget target;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedHttpServer();
    target = new HttpTarget(HttpTarget.Config.of(server.uri("/batches")), time);
  }

  @AfterEach
  void stop() {
    target.close();
    server.close();
  }

  @Test
  void deliverBatch_postsOneDocumentWithEveryMemberAndTheBatchKey() throws Exception {
    Batch batch = TestJobs.batch(3);
    AtomicInteger arrivals = new AtomicInteger();

    BatchOutcome outcome = target.deliverBatch(batch, arrivals::incrementAndGet);

    assertThat(server.received()).hasSize(1);
    ScriptedHttpServer.Received request = server.received().get(0);
    assertThat(request.headers().getFirst("Idempotency-Key")).isEqualTo(batch.idempotencyKey());
    JsonNode body = new ObjectMapper().readTree(request.body());
    assertThat(body.get("batch").asText()).isEqualTo(batch.idempotencyKey());
    assertThat(body.get("partition").asText()).isEqualTo("photos");
    assertThat(body.get("size").asInt()).isEqualTo(3);
    assertThat(body.get("items")).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode item = body.get("items").get(i);
      Job member = batch.members().get(i);
      assertThat(item.get("key").asText()).isEqualTo("batch/item-" + i + ".jpg");
      assertThat(item.get("idempotencyKey").asText()).isEqualTo(member.idempotencyKey());
      assertThat(item.get("eventId").asLong()).isEqualTo(member.eventId());
    }
    for (Job member : batch.members()) {
      assertThat(outcome.of(member)).isEqualTo(Outcome.completed());
    }
  }

  @Test
  void deliverBatch_whenTheAnswerNamesFailedItems_failsOnlyThose() {
    Batch batch = TestJobs.batch(5);
    Job second = batch.members().get(1);
    Job fourth = batch.members().get(3);
    server.answer(
        Reply.of(
            200,
            "{\"batchItemFailures\":[{\"itemIdentifier\":\""
                + second.idempotencyKey()
                + "\"},{\"itemIdentifier\":\""
                + fourth.idempotencyKey()
                + "\"}]}"));

    BatchOutcome outcome = target.deliverBatch(batch, Target.Arrival.IGNORED);

    assertThat(outcome.partiallyFailed(batch)).isTrue();
    for (Job member : batch.members()) {
      Outcome o = outcome.of(member);
      if (member == second || member == fourth) {
        assertThat(o).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) o).retryable()).isTrue();
      } else {
        assertThat(o).isEqualTo(Outcome.completed());
      }
    }
  }

  @Test
  void deliverBatch_whenTheAnswerHasAnEmptyListOrIsNotJson_completesEveryMember() {
    Batch batch = TestJobs.batch(2);
    server.answer(Reply.of(200, "{\"batchItemFailures\":[]}"), Reply.of(200, "ok, thanks"));

    for (int i = 0; i < 2; i++) {
      BatchOutcome outcome = target.deliverBatch(batch, Target.Arrival.IGNORED);
      assertThat(batch.members())
          .allSatisfy(m -> assertThat(outcome.of(m)).isEqualTo(Outcome.completed()));
    }
  }

  @Test
  void deliverBatch_whenAnItemIsNoMember_failsTheWholeBatch() {
    Batch batch = TestJobs.batch(3);
    server.answer(Reply.of(200, "{\"batchItemFailures\":[{\"itemIdentifier\":\"not-a-member\"}]}"));

    BatchOutcome outcome = target.deliverBatch(batch, Target.Arrival.IGNORED);

    for (Job m : batch.members()) {
      assertThat(outcome.of(m)).isInstanceOf(Outcome.Failed.class);
      assertThat(((Outcome.Failed) outcome.of(m)).error()).contains("no member of the batch");
    }
  }

  @Test
  void deliverBatch_when429_throttlesTheWholeBatch() {
    Batch batch = TestJobs.batch(4);
    server.answer(Reply.of(429, Map.of("Retry-After", "7")));

    BatchOutcome outcome = target.deliverBatch(batch, Target.Arrival.IGNORED);

    for (Job m : batch.members()) {
      assertThat(outcome.of(m)).isInstanceOf(Outcome.Throttled.class);
      assertThat(((Outcome.Throttled) outcome.of(m)).retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void deliverBatch_when500_failsEveryMemberRetryably() {
    Batch batch = TestJobs.batch(2);
    server.answer(Reply.of(500, "boom"));

    BatchOutcome outcome = target.deliverBatch(batch, Target.Arrival.IGNORED);

    assertThat(List.copyOf(batch.members()))
        .allSatisfy(
            m -> {
              assertThat(outcome.of(m)).isInstanceOf(Outcome.Failed.class);
              assertThat(((Outcome.Failed) outcome.of(m)).error()).contains("HTTP 500");
            });
  }
}
