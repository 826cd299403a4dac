package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.e2e.RecordingJobEndpoint.Receipt;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQS source's durability, end to end: 10,000 S3 notifications wait in ElasticMQ (embedded in
 * this JVM); {@code sluice serve} polls them as a real process and is sent {@code kill -9} mid-run.
 *
 * <ol>
 *   <li>First run: releases held (1 per hour), so every committed event stays in the backlog.
 *       Killed once about a third of the messages are committed.
 *   <li>Second run, SQS source off: the backlog holds at least one event for every message that
 *       left the queue before the kill — a message is deleted only after its events are committed.
 *   <li>Third run, SQS source on and no limits: the rest is polled and everything released to a
 *       recording HTTP endpoint; every notification is an event there, the queue and its
 *       dead-letter queue end empty.
 * </ol>
 */
class SqsKillNineTest {
  private static final int NOTIFICATIONS = 10_000;
  private static final int VISIBILITY_SECONDS = 5;

  @RegisterExtension final ServeProcesses services = new ServeProcesses();

  @Test
  void killNine_whilePollingTheQueue_losesNoNotificationAndDeletesOnlyCommittedMessages(
      @TempDir Path dir) throws Exception {
    int port = FreePort.pick();
    SluiceClient api = new SluiceClient(port);
    try (LocalQueues sqs = new LocalQueues(VISIBILITY_SECONDS, 5);
        RecordingJobEndpoint target = RecordingJobEndpoint.start(Duration.ZERO, 16)) {
      sqs.send(
          IntStream.range(0, NOTIFICATIONS)
              .mapToObj(n -> NumberedObjects.notification(List.of(n)))
              .toList());
      assertThat(sqs.messagesOn(sqs.queue())).as("messages sent").isEqualTo(NOTIFICATIONS);

      Path held = write(dir, "held.yaml", port, sqs, true, target.url(), HOLD_RELEASES);
      SluiceServeProcess first =
          services.track(SluiceServeProcess.start("first-run", held, dir, api));
      long startedAt = System.nanoTime();
      await("a third of the notifications committed")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> api.status().path("backlog").asLong() >= NOTIFICATIONS / 3);
      double secondsToKill = (System.nanoTime() - startedAt) / 1e9;
      int exitCode = first.killHard();
      long leftOnQueue = sqs.messagesOn(sqs.queue());
      long deletedBeforeKill = NOTIFICATIONS - leftOnQueue;

      assertThat(exitCode).as("exit code (SIGKILL)").isEqualTo(SluiceServeProcess.KILLED_EXIT_CODE);
      assertThat(leftOnQueue).as("messages still on the queue at the kill").isPositive();

      // Second run without the SQS source: what the dead process committed, and nothing more.
      Path inspect = write(dir, "inspect.yaml", port, sqs, false, target.url(), HOLD_RELEASES);
      SluiceServeProcess second =
          services.track(SluiceServeProcess.start("second-run", inspect, dir, api));
      JsonNode afterKill = api.status();
      long committedBeforeKill =
          afterKill.path("backlog").asLong() + afterKill.path("released").asLong();
      second.killHard();
      assertThat(committedBeforeKill)
          .as("events committed before the kill, against messages deleted before it")
          .isGreaterThanOrEqualTo(deletedBeforeKill)
          .isLessThanOrEqualTo(NOTIFICATIONS);

      // Third run: the SQS source picks up the rest, no limits, everything released.
      Path drain = write(dir, "drain.yaml", port, sqs, true, target.url(), "limits: {}\n");
      long restartAt = System.nanoTime();
      SluiceServeProcess third =
          services.track(SluiceServeProcess.start("third-run", drain, dir, api));
      await("queue empty and every event completed")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  sqs.messagesOn(sqs.queue()) == 0
                      && api.status().path("completed").asLong() >= NOTIFICATIONS
                      && api.status().path("inFlight").asLong() == 0);
      double secondsToDrain = (System.nanoTime() - restartAt) / 1e9;

      JsonNode status = api.status();
      Set<String> allKeys =
          IntStream.range(0, NOTIFICATIONS)
              .mapToObj(NumberedObjects::key)
              .collect(Collectors.toSet());
      Map<String, List<Receipt>> receipts = target.receiptsByKey();
      assertThat(receipts.keySet())
          .as("keys released to the target (decoded)")
          .containsExactlyInAnyOrderElementsOf(allKeys);
      Set<String> released = new HashSet<>();
      api.releases().forEach(r -> released.add(r.path("key").asText()));
      assertThat(released).as("keys in the release log").isEqualTo(allKeys);
      assertThat(status.path("completed").asLong()).as("completed").isEqualTo(NOTIFICATIONS);
      assertThat(status.path("backlog").asLong()).as("backlog").isZero();
      assertThat(status.path("dead").asLong()).as("dead letters").isZero();
      assertThat(sqs.messagesOn(sqs.queue())).as("messages left on the queue").isZero();
      assertThat(sqs.messagesOn(sqs.deadLetterQueue()))
          .as("messages in the dead-letter queue")
          .isZero();
      assertThat(third.isAlive()).isTrue();

      System.out.printf(
          "SQS kill -9: %d of %d notifications committed in %.2f s (%.0f/s) before the kill, %d"
              + " messages deleted by then; restart to all %d events completed and the queue empty"
              + " in %.2f s%n",
          committedBeforeKill,
          NOTIFICATIONS,
          secondsToKill,
          committedBeforeKill / secondsToKill,
          deletedBeforeKill,
          NOTIFICATIONS,
          secondsToDrain);
    }
  }

  /** One release an hour: the first run only fills the backlog. */
  private static final String HOLD_RELEASES = "limits:\n  window:\n    limit: 1\n    every: 1h\n";

  private static Path write(
      Path dir,
      String name,
      int apiPort,
      LocalQueues sqs,
      boolean sqsEnabled,
      URI targetUrl,
      String limitsYaml)
      throws IOException {
    String yaml =
        "data-dir: "
            + dir.resolve("data")
            + "\nhttp:\n  host: 127.0.0.1\n  port: "
            + apiPort
            + "\ns3-endpoint:\n  enabled: false\n"
            + limitsYaml
            + "target:\n  type: http\n  url: "
            + targetUrl
            + "\n  timeout: 10s\n"
            + "sources:\n  sqs:\n    enabled: "
            + sqsEnabled
            + "\n    queue-url: "
            + sqs.queue()
            + "\n    endpoint: "
            + sqs.endpoint()
            + "\n    access-key: x\n    secret-key: x\n    wait-time: 1s\n"
            + "    visibility-timeout: "
            + VISIBILITY_SECONDS
            + "s\n";
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }
}
