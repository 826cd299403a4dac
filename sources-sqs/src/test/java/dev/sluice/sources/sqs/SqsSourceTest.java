package dev.sluice.sources.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The SQS source against ElasticMQ embedded in the test JVM: real SDK calls, a real queue. */
class SqsSourceTest {
  private static LocalSqs local;
  private static int queues;

  private final LocalSqs.CallCounter calls = new LocalSqs.CallCounter();

  @BeforeAll
  static void startSqs() {
    local = new LocalSqs();
  }

  @AfterAll
  static void stopSqs() {
    local.close();
  }

  private static String name(String prefix) {
    return prefix + "-" + (++queues);
  }

  private static List<String> notifications(int n) {
    return IntStream.range(0, n).mapToObj(i -> "{\"n\":" + i + "}").toList();
  }

  private static SqsSourceSettings settings(URI queue, int visibilitySeconds) {
    return SqsSourceSettings.of(queue)
        .withWaitTime(Duration.ofSeconds(1))
        .withVisibilityTimeout(Duration.ofSeconds(visibilitySeconds))
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
  }

  @Test
  void poll_whenNotificationsWait_commitsEachAndDeletesThemInBatches() {
    URI queue = local.createQueue(name("batches"), 30);
    List<String> bodies = notifications(95);
    local.send(queue, bodies);
    RecordingIntake intake = RecordingIntake.immediate();

    try (SqsSource source = SqsSource.start(local.client(calls), settings(queue, 30), intake)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> local.messagesOn(queue) == 0);

      assertThat(intake.committed()).containsExactlyInAnyOrderElementsOf(bodies);
      assertThat(source.stats().deleted()).isEqualTo(95);
      assertThat(calls.calls("DeleteMessage")).as("single deletes").isZero();
      // Ten messages per receive when ten wait: 10 batch deletes; ElasticMQ may hand out fewer.
      assertThat(calls.calls("DeleteMessageBatch"))
          .as("DeleteMessageBatch calls for 95 messages")
          .isBetween(10L, 20L);
      System.out.printf(
          "SQS source: %d SQS calls for 95 events (%.2f per event, empty polls included): %s%n",
          calls.total(), calls.total() / 95.0, calls);
    }
  }

  @Test
  void poll_whenCommitIsSlow_keepsTheBatchInvisibleAndDeletesOnlyAfterTheCommit() {
    URI queue = local.createQueue(name("slow"), 2);
    List<String> bodies = notifications(3);
    local.send(queue, bodies);
    RecordingIntake intake = RecordingIntake.heldUntilReleased();

    try (SqsSource source = SqsSource.start(local.client(calls), settings(queue, 2), intake)) {
      await().atMost(Duration.ofSeconds(10)).until(intake::commitStarted);

      // Three visibility timeouts pass while the commit runs: without the extension the messages
      // would be visible to another consumer after the first.
      await()
          .during(Duration.ofSeconds(6))
          .atMost(Duration.ofSeconds(8))
          .until(() -> local.receiveVisible(queue, 1).isEmpty());
      assertThat(local.messagesOn(queue)).as("messages on the queue while committing").isEqualTo(3);
      assertThat(source.stats().deleted()).isZero();
      assertThat(source.stats().visibilityExtensions()).isGreaterThanOrEqualTo(2);

      intake.release();
      await().atMost(Duration.ofSeconds(10)).until(() -> local.messagesOn(queue) == 0);
      assertThat(intake.committed()).containsExactlyInAnyOrderElementsOf(bodies);
    }
  }

  @Test
  void close_whenTheCommitNeverFinishes_leavesTheMessagesToComeBack() {
    URI queue = local.createQueue(name("stuck"), 1);
    local.send(queue, notifications(2));
    RecordingIntake intake = RecordingIntake.heldUntilReleased();
    try {
      SqsSource source = SqsSource.start(local.client(calls), settings(queue, 1), intake);
      await().atMost(Duration.ofSeconds(10)).until(intake::commitStarted);
      source.close();
      assertThat(source.stats().deleted()).isZero();
      // The stopped source no longer extends their visibility: they return to other consumers.
      List<String> returned =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> local.receiveVisible(queue, 30).stream().map(Message::body).toList(),
                  list -> list.size() == 2);
      assertThat(returned).containsExactlyInAnyOrderElementsOf(notifications(2));
      assertThat(intake.committed()).isEmpty();
    } finally {
      intake.release();
    }
  }

  @Test
  void poll_whenABodyCanNeverBeRead_leavesItForRedriveIntoTheDeadLetterQueue() {
    URI dlq = local.createQueue(name("dead"), 30);
    URI queue = local.createQueueWithRedrive(name("redrive"), 1, dlq, 2);
    local.send(queue, List.of("not a notification", "{\"n\":1}"));
    RecordingIntake intake = RecordingIntake.immediate();

    try (SqsSource source = SqsSource.start(local.client(calls), settings(queue, 1), intake)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> local.messagesOn(dlq) == 1 && local.messagesOn(queue) == 0);

      assertThat(intake.committed()).containsExactly("{\"n\":1}");
      assertThat(source.stats().leftForRedrive()).as("receives left for redrive").isEqualTo(2);
      assertThat(local.receiveVisible(dlq, 30))
          .extracting(Message::body)
          .containsExactly("not a notification");
    }
  }

  @Test
  void poll_whenTheQueueIsMissingAtFirst_backsOffAndCarriesOnOnceItExists() {
    String queueName = name("late");
    URI queue = URI.create(local.endpoint() + "/000000000000/" + queueName);
    RecordingIntake intake = RecordingIntake.immediate();

    try (SqsSource source = SqsSource.start(local.client(calls), settings(queue, 30), intake)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> source.stats().failures() >= 3);
      URI created = local.createQueue(queueName, 30);
      local.send(created, notifications(4));

      await().atMost(Duration.ofSeconds(20)).until(() -> intake.committed().size() == 4);
      assertThat(source.isPolling()).isTrue();
    }
  }

  @Test
  void close_duringALongPoll_abortsItInsteadOfWaitingItOut() {
    URI queue = local.createQueue(name("idle"), 30);
    SqsSource source =
        SqsSource.start(
            local.client(calls),
            settings(queue, 30).withWaitTime(Duration.ofSeconds(20)),
            RecordingIntake.immediate());
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.calls("ReceiveMessage") >= 1);

    // The receive waits 20 s for a message that never comes; closing must not wait for it.
    assertTimeoutPreemptively(Duration.ofSeconds(10), source::close);
    assertThat(source.isPolling()).isFalse();
  }
}
