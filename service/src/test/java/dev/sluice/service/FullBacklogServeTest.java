package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Outcome;
import dev.sluice.core.backlog.BacklogUnavailableException;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.SqsSourceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import dev.sluice.service.http.HttpApi;
import dev.sluice.store.sqlite.SqliteBacklog;
import dev.sluice.store.sqlite.SqliteOptions;
import dev.sluice.testkit.RecordingTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code sluice serve} on a backlog that fills up: the store's size cap ({@code store.max-size},
 * SQLite's {@code max_page_count}) makes the real SQLite backlog answer {@code SQLITE_FULL}, as a
 * full disk does. Intake answers 503, the SQS source leaves its messages on the queue, outcomes the
 * target gave are kept until they commit, and when the cap is raised everything acknowledged
 * reaches the target without a restart.
 */
class FullBacklogServeTest {
  private static final long CAP = 512 * 1024;

  /** The workers of {@link RunningSluice}'s dispatcher: every one is held by a first attempt. */
  private static final int WORKERS = 16;

  private static final int PER_POST = 20;

  /** Completed deliveries by key, and how often each key reached the target. */
  private final Map<String, Integer> completions = new ConcurrentHashMap<>();

  private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();

  @Test
  void serve_whenTheBacklogFills_answers503KeepsOutcomesAndRecoversWhenSpaceReturns(
      @TempDir Path dir) {
    CountDownLatch targetMayAnswer = new CountDownLatch(1);
    AtomicInteger held = new AtomicInteger();
    Set<String> heldKeys = ConcurrentHashMap.newKeySet();
    // The first attempts of the first WORKERS events wait for the test, then fail with a long
    // error: a settlement that needs pages the full file does not have. Everything else completes.
    RecordingTarget target =
        new RecordingTarget(
            job -> {
              String key = job.event().key();
              deliveries.merge(key, 1, Integer::sum);
              if (job.attempt() == 1 && heldKeys.size() < WORKERS && heldKeys.add(key)) {
                held.incrementAndGet();
                awaitQuietly(targetMayAnswer);
                return Outcome.retryable("target busy: " + "x".repeat(4_000));
              }
              completions.merge(key, 1, Integer::sum);
              return Outcome.completed();
            });

    try (CapturedLog apiLog = CapturedLog.of(HttpApi.class);
        CapturedLog dispatchLog = CapturedLog.of(Dispatcher.class);
        RunningSluice sluice =
            RunningSluice.startWith(
                dir, target, c -> c.withStore(StoreConfig.defaults().withMaxSize(CAP)))) {
      Set<String> acknowledged = new HashSet<>();
      List<String> first = Notifications.keys("web", 0, PER_POST);
      assertThat(post(sluice, first).ok().get("accepted").asInt()).isEqualTo(PER_POST);
      acknowledged.addAll(first);
      await().atMost(Duration.ofSeconds(20)).until(() -> held.get() == WORKERS);

      List<String> refusedKeys = null;
      ApiCalls.Answer refused = null;
      for (int n = PER_POST; refused == null; n += PER_POST) {
        if (n > 100_000) {
          fail("a backlog capped at %d bytes took %d events", CAP, n);
        }
        List<String> keys = Notifications.keys("web", n, PER_POST);
        ApiCalls.Answer answer = post(sluice, keys);
        if (answer.status() == 200) {
          assertThat(answer.json().get("accepted").asInt()).isEqualTo(PER_POST);
          acknowledged.addAll(keys);
        } else {
          refused = answer;
          refusedKeys = keys;
        }
      }

      // The answer names the problem, and says when to come back.
      assertThat(refused.error(503)).contains("full");
      assertThat(refused.json().get("code").asText()).isEqualTo("store_full");
      assertThat(refused.header("Retry-After")).isEqualTo("5");
      assertThat(apiLog.containing("POST /v1/events failed: 503"))
          .isNotEmpty()
          .allSatisfy(
              r -> assertThat(r.getThrown()).isInstanceOf(BacklogUnavailableException.class));

      JsonNode store = sluice.status().get("store");
      assertThat(store.get("writable").asBoolean()).isFalse();
      assertThat(store.get("full").asBoolean()).isTrue();
      assertThat(store.get("lastError").asText()).contains("full");
      assertThat(store.get("failingSince").isNull()).isFalse();
      Map<String, Double> metrics = Promtool.samples(sluice.api.get("/metrics").body());
      assertThat(metrics).containsEntry("sluice_backlog_writable", 0.0);
      assertThat(metrics.get("sluice_backlog_write_failures_total")).isGreaterThanOrEqualTo(1.0);

      // The target answers now: its outcomes cannot commit, and are kept, the events leased.
      targetMayAnswer.countDown();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !dispatchLog.containing("settling outcomes failed").isEmpty());
      assertThat(dispatchLog.containing("settling outcomes failed").get(0).getThrown())
          .isInstanceOf(BacklogUnavailableException.class);
      for (String key : heldKeys) {
        JsonNode events = sluice.api.get("/v1/events/" + Notifications.BUCKET + "/" + key).ok();
        assertThat(events.get("events").get(0).get("state").asText())
            .as("state of %s, whose outcome could not commit", key)
            .isEqualTo("leased");
      }
      for (int i = 0; i < 3; i++) {
        assertThat(post(sluice, refusedKeys).status()).isEqualTo(503);
      }
      // Four refusals: the first is logged with its cause, the next ones (within a minute) are
      // counted in the following line, not logged each.
      assertThat(apiLog.containing("POST /v1/events failed: 503")).hasSizeLessThan(4);

      // Space returns: no restart.
      ((SqliteBacklog) sluice.service.sluice().backlog()).setMaxSize(SqliteOptions.NO_MAX_SIZE);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sluice.status().get("store").get("writable").asBoolean());
      ApiCalls.Answer again = post(sluice, refusedKeys);
      assertThat(again.ok().get("accepted").asInt()).isEqualTo(PER_POST);
      acknowledged.addAll(refusedKeys);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> completions.keySet().containsAll(acknowledged));
      assertThat(completions.keySet()).isEqualTo(acknowledged);
      // The last outcomes commit after the target gave them.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sluice.status().get("completed").asInt() >= acknowledged.size());
      JsonNode status = sluice.status();
      assertThat(status.get("backlog").asInt()).isZero();
      assertThat(status.get("inFlight").asInt()).isZero();
      assertThat(status.get("dead").asInt()).isZero();
      assertThat(status.get("completed").asInt()).isEqualTo(acknowledged.size());
      // A held event was tried twice: its failed first attempt was settled, not lost or repeated.
      for (String key : heldKeys) {
        assertThat(deliveries.get(key)).as("deliveries of %s", key).isEqualTo(2);
      }
      assertThat(Promtool.samples(sluice.api.get("/metrics").body()).get("sluice_backlog_writable"))
          .isEqualTo(1.0);
    }
  }

  @Test
  void serve_whenTheBacklogIsFull_leavesSqsMessagesOnTheQueueUntilSpaceReturns(@TempDir Path dir)
      throws Exception {
    SQSRestServer server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
    URI endpoint =
        URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort());
    try (SqsClient sqs =
        SqsClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      URI queue = URI.create(sqs.createQueue(b -> b.queueName("events")).queueUrl());
      RecordingTarget target =
          new RecordingTarget(
              job -> {
                completions.merge(job.event().key(), 1, Integer::sum);
                return Outcome.completed();
              });
      SqsSourceConfig source =
          new SqsSourceConfig(
              true,
              queue,
              endpoint,
              null,
              "x",
              "x",
              Duration.ofSeconds(1),
              Duration.ofSeconds(1),
              10);
      try (SluiceService service =
          SluiceService.start(
              config(dir).withSqsSource(source).withStore(StoreConfig.defaults().withMaxSize(CAP)),
              new SluiceService.Options(target, System.out, false, Duration.ofMillis(20)))) {
        ApiCalls api = new ApiCalls(service.apiUrl());
        Set<String> acknowledged = new HashSet<>();
        for (int n = 0; ; n += PER_POST) {
          if (n > 100_000) {
            fail("a backlog capped at %d bytes took %d events", CAP, n);
          }
          List<String> keys = Notifications.keys("web", n, PER_POST);
          ApiCalls.Answer answer = api.post("/v1/events", Notifications.forKeys(keys));
          if (answer.status() != 200) {
            assertThat(answer.json().get("code").asText()).isEqualTo("store_full");
            break;
          }
          acknowledged.addAll(keys);
        }

        // Messages far larger than any room a full file has left: none can commit.
        List<String> sqsKeys = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
          List<String> keys = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            keys.add(String.format("sqs-%d-%02d-%s.parquet", m, i, "k".repeat(300)));
          }
          sqsKeys.addAll(keys);
          String body = Notifications.forKeys(keys);
          sqs.sendMessage(b -> b.queueUrl(queue.toString()).messageBody(body));
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> samples(api).get("sluice_sqs_errors_total") >= 2);

        Map<String, Double> whileFull = samples(api);
        assertThat(whileFull).containsEntry("sluice_sqs_deleted_messages_total", 0.0);
        assertThat(messagesOn(sqs, queue)).as("messages still on the queue").isEqualTo(5);
        assertThat(whileFull).containsEntry("sluice_backlog_writable", 0.0);

        ((SqliteBacklog) service.sluice().backlog()).setMaxSize(SqliteOptions.NO_MAX_SIZE);
        acknowledged.addAll(sqsKeys);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    messagesOn(sqs, queue) == 0 && completions.keySet().containsAll(acknowledged));
        assertThat(completions.keySet()).isEqualTo(acknowledged);
        assertThat(samples(api)).containsEntry("sluice_sqs_deleted_messages_total", 5.0);
      }
    } finally {
      server.stopAndWait();
    }
  }

  private static ApiCalls.Answer post(RunningSluice sluice, List<String> keys) {
    return sluice.api.post("/v1/events", Notifications.forKeys(keys));
  }

  private static Map<String, Double> samples(ApiCalls api) {
    return new HashMap<>(Promtool.samples(api.get("/metrics").body()));
  }

  private static long messagesOn(SqsClient sqs, URI queue) {
    var a =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queue.toString())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private static SluiceConfig config(Path dir) {
    return new SluiceConfig(
        dir,
        new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
        new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
        Limits.none(),
        RunningSluice.fastRetry(3),
        DispatcherConfig.defaults().withLease(Duration.ofMinutes(5)).withWorkers(4).withBatch(100),
        TargetConfig.log(),
        StoreConfig.defaults());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the target answer");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
