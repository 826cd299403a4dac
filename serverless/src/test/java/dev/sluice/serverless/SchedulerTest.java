package dev.sluice.serverless;

import static dev.sluice.serverless.LocalAws.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.ExecutionName;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.gate.stored.ConcurrencyPolicy;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.StoredLimit;
import dev.sluice.localaws.LocalSqs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SchedulerTest {
  private static final LocalAws AWS = LocalAws.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  private final String table = AWS.newTable();
  private final String eventQueueName = LocalAws.unique("events");
  private final LocalSqs.QueueWithDeadLetter events =
      AWS.sqs.createQueueWithDeadLetter(eventQueueName, 30, 5);
  private final String invocationQueueName = LocalAws.unique("invocations");
  private final URI invocations = AWS.sqs.createQueue(invocationQueueName, 30);

  @AfterEach
  void stopFailing() {
    AWS.proxy.stopFailing();
  }

  private SchedulerSettings settings(int limit, Integer maxInFlight, boolean smooth) {
    return new SchedulerSettings(
        events.queue().toString(),
        invocations.toString(),
        table,
        limit,
        MINUTE,
        maxInFlight,
        null,
        smooth,
        "",
        "",
        "test",
        0);
  }

  private Scheduler scheduler(SchedulerSettings settings, PrintStream log) {
    return new Scheduler(
        AWS.proxiedSqs,
        DynamoLimitStateStore.ticks(AWS.dynamo.client(), table),
        DynamoLimitStateStore.inFlight(AWS.dynamo.client(), table),
        settings,
        log);
  }

  private Scheduler scheduler(int limit) {
    return scheduler(settings(limit, null, false), QUIET);
  }

  private static ObjectEvent event(int i) {
    return new ObjectEvent(
        "bucket",
        "in/file " + i + ".parquet",
        100L + i,
        "etag" + i,
        null,
        null,
        "ObjectCreated:Put",
        T0,
        "s3");
  }

  private void enqueue(int from, int count) {
    AWS.sqs.send(
        events.queue(),
        IntStream.range(from, from + count)
            .mapToObj(i -> SluiceMessage.firstAttempt(event(i)).toJson())
            .toList());
  }

  /** Execution names on the invocation queue now, each message received and deleted. */
  private List<String> drainInvocations() {
    List<String> names = new ArrayList<>();
    for (Message m : AWS.sqs.drain(invocations)) {
      names.add(body(m).get("executionName").textValue());
    }
    return names;
  }

  private static JsonNode body(Message m) {
    try {
      return JSON.readTree(m.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private long tickUsed(Instant tick) {
    return DynamoLimitStateStore.ticks(AWS.dynamo.client(), table)
        .load("tick#" + tick.getEpochSecond())
        .state()
        .used();
  }

  @Test
  void runTick_with115Waiting_releases50Then50Then15() {
    enqueue(0, 115);
    Scheduler scheduler = scheduler(50);
    List<Integer> perTick = new ArrayList<>();
    Set<String> names = new HashSet<>();

    for (int tick = 0; tick < 4; tick++) {
      TickReport report = scheduler.runTick(T0.plus(MINUTE.multipliedBy(tick)), () -> true);
      List<String> moved = drainInvocations();
      assertThat(report.released()).isEqualTo(moved.size());
      perTick.add(moved.size());
      names.addAll(moved);
    }

    assertThat(perTick).containsExactly(50, 50, 15, 0);
    assertThat(names).hasSize(115);
    assertThat(tickUsed(T0)).isEqualTo(50);
    assertThat(tickUsed(T0.plus(MINUTE.multipliedBy(2)))).isEqualTo(15);
    assertThat(AWS.sqs.messagesOn(events.queue())).isZero();
  }

  @Test
  void handleRequest_invokedTwiceForOneScheduledTime_movesTheLimitOnce() throws Exception {
    enqueue(0, 115);
    Map<String, String> env = new HashMap<>();
    env.put("EVENT_QUEUE_URL", events.queue().toString());
    env.put("INVOCATION_QUEUE_URL", invocations.toString());
    env.put("TABLE_NAME", table);
    env.put("LIMIT", "50");
    env.put("EVERY", "PT1M");
    env.put("RECEIVE_WAIT_SECONDS", "0");
    env.put("BACKLOG_METRIC", "true");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    SchedulerHandler handler =
        new SchedulerHandler(
            env,
            AWS.proxiedSqs,
            AWS.dynamo.client(),
            Clock.fixed(T0, ZoneOffset.UTC),
            new PrintStream(log, true));
    byte[] input = "{\"scheduledTime\":\"2026-03-01T12:00:37Z\"}".getBytes(StandardCharsets.UTF_8);

    handler.handleRequest(new ByteArrayInputStream(input), new ByteArrayOutputStream(), null);
    handler.handleRequest(new ByteArrayInputStream(input), new ByteArrayOutputStream(), null);

    assertThat(drainInvocations()).hasSize(50).doesNotHaveDuplicates();
    assertThat(tickUsed(T0)).isEqualTo(50);
    assertThat(AWS.sqs.messagesOn(events.queue())).isEqualTo(65);
    String lines = log.toString(StandardCharsets.UTF_8);
    assertThat(lines).contains("\"released\":50").contains("\"released\":0");
    assertThat(lines)
        .contains("\"Namespace\":\"Sluice\"")
        .contains("\"Pipeline\":\"sluice\"")
        .contains("\"Released\":50")
        .contains("\"Backlog\":65");
  }

  @Test
  void runTick_twoRunningAtOnce_moveAtMostTheLimitTogether() throws Exception {
    enqueue(0, 115);
    Scheduler a = scheduler(50);
    Scheduler b = scheduler(50);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<TickReport>> runs = new ArrayList<>();
      for (Scheduler s : List.of(a, b)) {
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  return s.runTick(T0, () -> true);
                }));
      }
      start.countDown();
      int released = 0;
      for (Future<TickReport> run : runs) {
        released += run.get(60, TimeUnit.SECONDS).released();
      }

      List<String> moved = drainInvocations();
      assertThat(moved).hasSize(50).doesNotHaveDuplicates();
      assertThat(released).isEqualTo(50);
      assertThat(tickUsed(T0)).isEqualTo(50);
      assertThat(AWS.sqs.messagesOn(events.queue())).isEqualTo(65);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void runTick_readsTheReferenceMessageAndEveryNotificationShape() {
    String referenceBody = "{\"bucket_name\": \"refbucket\", \"key\": \"my+file.parquet\"}";
    ObjectEvent retried = event(7);
    AWS.sqs.send(
        events.queue(),
        List.of(
            "{\"event_id\":\"3f0c\",\"event_timestamp\":\"2026-03-01 12:00:00\",\"event_body\":"
                + com.fasterxml.jackson.databind.node.TextNode.valueOf(referenceBody)
                + "}",
            fixture("a-DERIVED-s3-put-plus-for-space-red-flower"),
            fixture("c-sns-envelope-s3-nexrad-real"),
            fixture("d-eventbridge-s3-object-created-powertools"),
            fixture("e-minio-webhook-put-literal-plus-key"),
            fixture("e-ceph-rgw-notification-doc"),
            new SluiceMessage(retried, 2, null).toJson(),
            fixture("b-s3-test-event-aws-doc")));

    TickReport report = scheduler(50).runTick(T0, () -> true);

    Map<String, JsonNode> byKey = new HashMap<>();
    for (Message m : AWS.sqs.drain(invocations)) {
      JsonNode n = body(m);
      byKey.put(n.get("key").textValue(), n);
    }
    assertThat(byKey)
        .containsOnlyKeys(
            "my file.parquet",
            "red flower.jpg",
            "KDAX/734/20151228-200051-001-S",
            "IMG_m7fzo3.jpg",
            "Tile_+002_+002.mtl",
            "myimage1.jpg",
            retried.key());
    JsonNode again = byKey.get(retried.key());
    assertThat(again.get("attempt").intValue()).isEqualTo(2);
    assertThat(again.get("executionName").textValue())
        .isEqualTo(ExecutionName.of(retried.identity(), 2));
    assertThat(byKey.get("my file.parquet").get("bucket").textValue()).isEqualTo("refbucket");
    assertThat(report.released()).isEqualTo(7);
    assertThat(report.dropped()).isEqualTo(1);
    assertThat(AWS.sqs.messagesOn(events.queue())).isZero(); // the test event is deleted too
  }

  @Test
  void runTick_poisonMessage_isNotDeletedAndReachesTheDeadLetterQueue() {
    LocalSqs.QueueWithDeadLetter quick =
        AWS.sqs.createQueueWithDeadLetter(LocalAws.unique("events"), 1, 2);
    AWS.sqs.send(
        quick.queue(),
        List.of("{\"not\": \"a notification\"}", SluiceMessage.firstAttempt(event(1)).toJson()));
    SchedulerSettings s =
        new SchedulerSettings(
            quick.queue().toString(),
            invocations.toString(),
            table,
            50,
            MINUTE,
            null,
            null,
            false,
            "",
            "",
            "test",
            0);
    Scheduler scheduler = scheduler(s, QUIET);

    TickReport first = scheduler.runTick(T0, () -> true);

    assertThat(first.released()).isEqualTo(1);
    assertThat(first.unreadable()).isEqualTo(1);
    assertThat(AWS.sqs.messagesOn(quick.queue())).isEqualTo(1);
    int[] tick = {1};
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              scheduler.runTick(T0.plus(MINUTE.multipliedBy(tick[0]++)), () -> true);
              return AWS.sqs.messagesOn(quick.deadLetterQueue()) == 1;
            });
    assertThat(AWS.sqs.messagesOn(quick.queue())).isZero();
    assertThat(drainInvocations()).hasSize(1);
  }

  @Test
  void runTick_withMaxInFlight_holdsNamedSlotsUntilCompletionsFreeThem() {
    enqueue(0, 12);
    Scheduler scheduler = scheduler(settings(50, 5, false), QUIET);

    TickReport first = scheduler.runTick(T0, () -> true);
    List<String> firstMoved = drainInvocations();
    TickReport second = scheduler.runTick(T0.plus(MINUTE), () -> true);
    // Two executions complete: the completion function frees their slots by name.
    StoredLimit<InFlightSlots> completion =
        new StoredLimit<>(
            new ConcurrencyPolicy(5, SchedulerSettings.DEFAULT_SLOT_EXPIRY),
            DynamoLimitStateStore.inFlight(AWS.dynamo.client(), table));
    completion.update(T0.plus(MINUTE), s -> s.freed(firstMoved.subList(0, 2)));
    TickReport third = scheduler.runTick(T0.plus(MINUTE.multipliedBy(2)), () -> true);

    assertThat(first.released()).isEqualTo(5);
    assertThat(first.inFlight()).isEqualTo(5);
    assertThat(second.released()).isZero();
    assertThat(third.released()).isEqualTo(2);
    InFlightSlots slots =
        DynamoLimitStateStore.inFlight(AWS.dynamo.client(), table)
            .load(ConcurrencyPolicy.KEY)
            .state();
    List<String> thirdMoved = drainInvocations();
    Set<String> holders = new HashSet<>(firstMoved.subList(2, 5));
    holders.addAll(thirdMoved);
    assertThat(slots.holders().keySet()).isEqualTo(holders);
    assertThat(AWS.sqs.messagesOn(events.queue())).isEqualTo(5);
  }

  @Test
  void runTick_smooth_delaysEachReleaseByItsShareOfTheTick() {
    enqueue(0, 10);
    // A 15-minute tick: the delays are 90 s apart, far longer than this test can take.
    SchedulerSettings smooth =
        new SchedulerSettings(
            events.queue().toString(),
            invocations.toString(),
            table,
            10,
            Duration.ofMinutes(15),
            null,
            null,
            true,
            "",
            "",
            "test",
            0);

    TickReport report = scheduler(smooth, QUIET).runTick(T0, () -> true);

    var attributes =
        AWS.sqs
            .client()
            .getQueueAttributes(
                b ->
                    b.queueUrl(invocations.toString())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes();
    assertThat(report.released()).isEqualTo(10);
    // The first goes at once; the other nine wait 90, 180, ... 810 seconds.
    assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("1");
    assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .isEqualTo("9");
  }

  @Test
  void runTick_whenSendsFailTransiently_losesNothingAndMovesEveryEventOnce() {
    enqueue(0, 1000);
    AWS.proxy.failSendEntries(invocationQueueName, 0.05, 20261202L);
    long failedBefore = AWS.proxy.entriesFailed();
    Scheduler scheduler = scheduler(100);
    List<String> moved = new ArrayList<>();
    int released = 0;

    for (int tick = 0; tick < 30 && AWS.sqs.messagesOn(events.queue()) > 0; tick++) {
      released += scheduler.runTick(T0.plus(MINUTE.multipliedBy(tick)), () -> true).released();
      moved.addAll(drainInvocations());
    }

    assertThat(AWS.proxy.entriesFailed() - failedBefore).isGreaterThan(10);
    assertThat(new HashSet<>(moved)).hasSize(1000);
    assertThat(moved).hasSize(released);
    assertThat(AWS.sqs.messagesOn(events.queue())).isZero();
    assertThat(AWS.sqs.messagesOn(events.deadLetterQueue())).isZero();
  }

  @Test
  void runTick_onTheHappyPath_makesAtMostPoint3SqsCallsPerEventMoved() {
    enqueue(0, 1000);
    Scheduler scheduler = scheduler(100);
    AWS.proxy.resetCalls();
    int released = 0;

    for (int tick = 0; tick < 10; tick++) {
      released += scheduler.runTick(T0.plus(MINUTE.multipliedBy(tick)), () -> true).released();
    }

    double perEvent = (double) AWS.proxy.totalCalls() / released;
    System.out.printf(
        "scheduler SQS calls per event moved: %.3f (%s for %d events)%n",
        perEvent, AWS.proxy.calls(), released);
    assertThat(released).isEqualTo(1000);
    // Receive 10, send 10, delete 10: three calls per ten events, nothing per message.
    assertThat(perEvent).isLessThanOrEqualTo(0.30);
    assertThat(AWS.proxy.calls("ReceiveMessage")).isEqualTo(100);
  }

  @Test
  void fromEnvironment_whenAVariableIsWrong_namesIt() {
    Map<String, String> env = new HashMap<>();
    env.put("EVENT_QUEUE_URL", "q");
    env.put("INVOCATION_QUEUE_URL", "q");
    env.put("TABLE_NAME", "t");
    env.put("EVERY", "PT1M");
    assertThatThrownBy(() -> SchedulerSettings.fromEnvironment(env))
        .hasMessageContaining("LIMIT is required");
    env.put("LIMIT", "-3");
    assertThatThrownBy(() -> SchedulerSettings.fromEnvironment(env))
        .hasMessageContaining("LIMIT must be a whole number > 0, got '-3'");
    env.put("LIMIT", "50");
    env.put("EVERY", "1 minute");
    assertThatThrownBy(() -> SchedulerSettings.fromEnvironment(env))
        .hasMessageContaining("EVERY must be a positive ISO-8601 duration");
    env.put("EVERY", "PT1M");
    env.put("SMOOTH", "yes");
    assertThatThrownBy(() -> SchedulerSettings.fromEnvironment(env))
        .hasMessageContaining("SMOOTH must be true or false");
  }
}
