package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.e2e.RecordingJobEndpoint.Receipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability contract, end to end: {@code sluice serve} runs as a real process, takes S3
 * notifications over HTTP and releases them to a recording HTTP endpoint; the test sends it {@code
 * kill -9} mid-run, restarts it on the same data dir, and checks the endpoint's record. Accepted
 * means durable: every event that got a 2xx reaches the target; release is at-least-once: an event
 * reaches it twice only when its job was in flight at the kill, and then with the same idempotency
 * key.
 *
 * <p>The lease is far longer than the test, so a job in flight at the kill comes back only because
 * the restarted service abandons the dead process's leases, not because a lease ran out.
 */
class KillNineDurabilityTest {
  private static final int EVENTS = 10_000;
  private static final int BATCH = 50;
  private static final int SENDERS = 4;
  private static final int MAX_IN_FLIGHT = 32;
  private static final String LONG_LEASE = "10m";

  @RegisterExtension final ServeProcesses services = new ServeProcesses();

  @Test
  void killNine_whileIngestingAndReleasing_deliversEveryAcknowledgedEventAndRepeatsOnlyJobsInFlight(
      @TempDir Path dir) throws Exception {
    int port = FreePort.pick();
    try (RecordingJobEndpoint target = RecordingJobEndpoint.start(Duration.ofMillis(2), 96)) {
      Path config =
          ServeConfigFile.write(
              dir,
              port,
              target.url(),
              "limits:\n  concurrency:\n    max-in-flight: " + MAX_IN_FLIGHT + "\n",
              LONG_LEASE);
      SluiceClient api = new SluiceClient(port);

      SluiceServeProcess first =
          services.track(SluiceServeProcess.start("first-run", config, dir, api));
      long ingestStart = System.nanoTime();
      NotificationSenders firstSenders =
          new NotificationSenders(api, NotificationSenders.batches(EVENTS, BATCH)).start(SENDERS);
      awaitMidRun(firstSenders, target, EVENTS * 3 / 10, 100);
      int acknowledgedAtKill = firstSenders.acknowledgedCount();
      int receivedAtKill = target.receivedCount();
      double secondsToKill = (System.nanoTime() - ingestStart) / 1e9;

      int exitCode = first.killHard();
      long killedAt = System.nanoTime();
      firstSenders.awaitStopped();

      assertThat(exitCode)
          .as("exit code of the killed process (SIGKILL)")
          .isEqualTo(SluiceServeProcess.KILLED_EXIT_CODE);
      assertThat(first.isAlive()).isFalse();
      assertThat(firstSenders.wrongAnswers()).as("answers of the live first run").isEmpty();
      Set<Integer> acknowledgedBeforeKill = firstSenders.acknowledged();
      List<Integer> unacknowledged = firstSenders.unacknowledged();
      assertThat(unacknowledged)
          .as("the kill came before every event was acknowledged")
          .isNotEmpty();
      assertThat(receivedAtKill).as("the kill came after releases started").isPositive();

      long restartAt = System.nanoTime();
      SluiceServeProcess second =
          services.track(SluiceServeProcess.start("second-run", config, dir, api));
      NotificationSenders resend =
          new NotificationSenders(api, NotificationSenders.rebatch(unacknowledged, BATCH))
              .start(SENDERS)
              .awaitStopped();
      assertThat(resend.wrongAnswers()).as("answers to the resent batches").isEmpty();
      assertThat(resend.unacknowledged()).as("resent events without a 2xx").isEmpty();

      JsonNode status = SluiceClient.awaitDrained(api, Duration.ofSeconds(60));
      double secondsToDrain = (System.nanoTime() - restartAt) / 1e9;

      Map<String, List<Receipt>> receipts = target.receiptsByKey();
      // Accepted means durable: what got a 2xx before the kill reached the target.
      assertThat(receipts.keySet())
          .as("keys at the target (decoded) include every one acknowledged before the kill")
          .containsAll(keysOf(acknowledgedBeforeKill));
      Set<String> allKeys = keysOf(IntStream.range(0, EVENTS).boxed().collect(Collectors.toSet()));
      assertThat(receipts.keySet())
          .as("keys at the target (decoded)")
          .containsExactlyInAnyOrderElementsOf(allKeys);
      SluiceClient.assertDrained(status);

      Map<String, List<Receipt>> repeated = repeatedKeys(receipts);
      assertThat(repeated.size())
          .as("keys delivered more than once: only jobs in flight at the kill")
          .isLessThanOrEqualTo(MAX_IN_FLIGHT);
      repeated.forEach(
          (key, list) -> {
            assertThat(list).as("receipts of %s", key).hasSize(2);
            assertThat(list.get(0).receivedAtNanos())
                .as("first receipt of %s is before the kill", key)
                .isLessThan(killedAt);
            assertThat(list.get(1).receivedAtNanos())
                .as("second receipt of %s is after the restart", key)
                .isGreaterThan(restartAt);
            assertThat(list.get(1).idempotencyKey())
                .as("idempotency key of the repeat of %s", key)
                .isEqualTo(list.get(0).idempotencyKey());
            assertThat(list)
                .extracting(Receipt::attempt)
                .as("attempts of %s", key)
                .containsExactly(1, 2);
          });
      assertThat(receipts.values().stream().map(l -> l.get(0).idempotencyKey()).distinct().count())
          .as("one idempotency key per event")
          .isEqualTo(EVENTS);

      Map<String, List<JsonNode>> releases = releasesByKey(api.releases());
      assertThat(releases.keySet())
          .as("keys in the release log")
          .containsExactlyInAnyOrderElementsOf(allKeys);
      List<String> abandoned = new ArrayList<>();
      releases.forEach(
          (key, list) -> {
            assertThat(list)
                .extracting(r -> r.path("outcome").asText())
                .as("outcomes of %s", key)
                .last()
                .isEqualTo("completed");
            if (list.size() > 1) {
              abandoned.add(key);
              assertThat(list)
                  .extracting(r -> r.path("attempt").asInt() + ":" + r.path("outcome").asText())
                  .as("releases of %s", key)
                  .containsExactly("1:abandoned", "2:completed");
            }
          });
      assertThat(abandoned)
          .as("jobs abandoned at the restart")
          .hasSizeLessThanOrEqualTo(MAX_IN_FLIGHT)
          .containsAll(repeated.keySet());
      assertThat(status.path("completed").asLong()).as("completed in /v1/status").isEqualTo(EVENTS);
      assertThat(status.path("dead").asLong()).as("dead letters").isZero();

      System.out.printf(
          "kill -9 mid-run: %d acknowledged and %d delivered at the kill after %.2f s (%.0f"
              + " acknowledged/s); %d resent, %d of them already held; %d jobs abandoned, %d"
              + " delivered twice; restart to drained %.2f s; healthy after %d ms and %d ms%n",
          acknowledgedAtKill,
          receivedAtKill,
          secondsToKill,
          acknowledgedAtKill / secondsToKill,
          unacknowledged.size(),
          resend.duplicatesReported(),
          abandoned.size(),
          repeated.size(),
          secondsToDrain,
          first.millisToHealthy(),
          second.millisToHealthy());
    }
  }

  @Test
  void killNine_whileOnlyIngesting_keepsEveryAcknowledgedEventUntilTheLimitIsLifted(
      @TempDir Path dir) throws Exception {
    int events = 4_000;
    int port = FreePort.pick();
    try (RecordingJobEndpoint target = RecordingJobEndpoint.start(Duration.ZERO, 16)) {
      // One release an hour: the backlog only fills. The limit must hold across the restart too.
      Path config =
          ServeConfigFile.write(
              dir,
              port,
              target.url(),
              "limits:\n  window:\n    limit: 1\n    every: 1h\n",
              LONG_LEASE);
      SluiceClient api = new SluiceClient(port);

      SluiceServeProcess first =
          services.track(SluiceServeProcess.start("first-run", config, dir, api));
      long ingestStart = System.nanoTime();
      NotificationSenders senders =
          new NotificationSenders(api, NotificationSenders.batches(events, BATCH)).start(SENDERS);
      awaitMidRun(senders, target, events / 3, 0);
      double secondsToKill = (System.nanoTime() - ingestStart) / 1e9;
      int exitCode = first.killHard();
      senders.awaitStopped();

      assertThat(exitCode)
          .as("exit code of the killed process (SIGKILL)")
          .isEqualTo(SluiceServeProcess.KILLED_EXIT_CODE);
      assertThat(senders.wrongAnswers()).as("answers of the live first run").isEmpty();
      Set<Integer> acknowledged = senders.acknowledged();
      assertThat(senders.unacknowledged())
          .as("the kill came before every event was acknowledged")
          .isNotEmpty();

      SluiceServeProcess second =
          services.track(SluiceServeProcess.start("second-run", config, dir, api));
      // Healthy is not yet dispatching: wait until the restarted loop has looked at the backlog, so
      // "at most one release" is what the restored window allowed, not what an idle loop did.
      api.awaitDispatcherLooked();
      JsonNode status = api.status();
      long released = status.path("released").asLong();
      assertThat(released)
          .as("releases under a window of 1 per hour, across the restart")
          .isLessThanOrEqualTo(1);
      assertThat(status.path("backlog").asLong() + released)
          .as("events held after the restart (waiting + released)")
          .isGreaterThanOrEqualTo(acknowledged.size());

      long liftedAt = System.nanoTime();
      api.putLimits("{}");
      JsonNode drained = SluiceClient.awaitDrained(api, Duration.ofSeconds(30));
      double secondsToDrain = (System.nanoTime() - liftedAt) / 1e9;

      Map<String, List<Receipt>> receipts = target.receiptsByKey();
      assertThat(receipts.keySet())
          .as("keys at the target (decoded) include every acknowledged one")
          .containsAll(keysOf(acknowledged));
      SluiceClient.assertDrained(drained);
      assertThat(receipts.keySet())
          .as("keys at the target (decoded): none that was never sent")
          .allSatisfy(key -> assertThat(NumberedObjects.numberOf(key)).isBetween(0, events - 1));
      assertThat(repeatedKeys(receipts).size()).as("keys delivered twice").isLessThanOrEqualTo(1);
      assertThat(drained.path("completed").asLong())
          .as("completed in /v1/status")
          .isEqualTo(receipts.size());

      System.out.printf(
          "kill -9 during intake: %d acknowledged in %.2f s (%.0f acknowledged/s), %d held after"
              + " the restart, %d delivered in %.2f s after the limit was lifted; healthy after %d"
              + " ms and %d ms%n",
          acknowledged.size(),
          secondsToKill,
          acknowledged.size() / secondsToKill,
          status.path("backlog").asLong() + released,
          receipts.size(),
          secondsToDrain,
          first.millisToHealthy(),
          second.millisToHealthy());
    }
  }

  /**
   * Waits until at least {@code acknowledged} events got a 2xx and {@code delivered} jobs arrived.
   */
  private static void awaitMidRun(
      NotificationSenders senders, RecordingJobEndpoint target, int acknowledged, int delivered) {
    await("mid-run: " + acknowledged + " acknowledged and " + delivered + " delivered")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(1))
        .until(
            () ->
                senders.acknowledgedCount() >= acknowledged && target.receivedCount() >= delivered);
  }

  private static Set<String> keysOf(Set<Integer> numbers) {
    Set<String> keys = new HashSet<>();
    numbers.forEach(n -> keys.add(NumberedObjects.key(n)));
    return keys;
  }

  private static Map<String, List<Receipt>> repeatedKeys(Map<String, List<Receipt>> receipts) {
    Map<String, List<Receipt>> repeated = new TreeMap<>();
    receipts.forEach(
        (key, list) -> {
          if (list.size() > 1) {
            repeated.put(key, list);
          }
        });
    return repeated;
  }

  /** The release log grouped by key, each key's releases in release order. */
  private static Map<String, List<JsonNode>> releasesByKey(List<JsonNode> releases) {
    Map<String, List<JsonNode>> byKey = new HashMap<>();
    for (JsonNode r : releases) {
      byKey.computeIfAbsent(r.path("key").asText(), k -> new ArrayList<>()).add(r);
    }
    byKey
        .values()
        .forEach(
            l ->
                l.sort(
                    (a, b) ->
                        Long.compare(a.path("releaseId").asLong(), b.path("releaseId").asLong())));
    return byKey;
  }
}
