package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.fuzz.FuzzCorpus;
import dev.sluice.service.fuzz.FuzzNotification;
import dev.sluice.service.fuzz.Mutations;
import dev.sluice.service.fuzz.ValidShapes;
import dev.sluice.testkit.RecordingTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random fuzzing of {@code POST /v1/events} on the real service over HTTP: 10,000 bodies,
 * valid ones mixed with mutants (truncated, wrong types, huge strings, broken percent-encoding,
 * deep nesting, duplicated fields, random bytes). No answer may be 5xx, the service must keep
 * serving, and every valid record must be in the backlog exactly once. Reproduce a run with {@code
 * -Dsluice.fuzz.seed=N}; change its size with {@code -Dsluice.fuzz.notifications=N}.
 */
class IntakeFuzzTest {
  private static final long SEED = Long.getLong("sluice.fuzz.seed", 20_261_125L);
  private static final int NOTIFICATIONS = Integer.getInteger("sluice.fuzz.notifications", 10_000);
  private static final int CLIENTS = 4;

  @TempDir Path dataDir;

  /** Everything the senders saw, shared between their threads. */
  private static final class Observed {
    final Map<String, Map<Integer, LongAdder>> statusByKind = new ConcurrentHashMap<>();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong acknowledged = new AtomicLong();

    void status(String kind, int status) {
      statusByKind
          .computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
          .computeIfAbsent(status, s -> new LongAdder())
          .increment();
    }

    void fail(String message) {
      if (failures.size() < 20) {
        failures.add(message);
      }
    }
  }

  @Test
  void postEvents_when10000MutatedAndValidNotifications_neverFailsAndKeepsEveryValidRecordOnce()
      throws Exception {
    RecordingTarget target = RecordingTarget.completing();
    FuzzCorpus corpus = new FuzzCorpus(SEED, ValidShapes.ALL, Mutations.ALL);
    Map<String, Integer> expectedKeys = new ConcurrentHashMap<>();
    Observed seen = new Observed();
    long started = System.nanoTime();
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3), true)) {
      AtomicInteger next = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        running.add(
            clients.submit(
                () -> {
                  for (int i; (i = next.getAndIncrement()) < NOTIFICATIONS; ) {
                    FuzzNotification n = corpus.notification(i);
                    n.validKeys().forEach(k -> expectedKeys.merge(k, 1, Integer::sum));
                    send(sluice, n, seen);
                    if (i % 1_000 == 0 && !healthy(sluice)) {
                      seen.fail("GET /healthz not 200 after notification " + i);
                    }
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get(5, TimeUnit.MINUTES);
      }
      clients.shutdown();
      long sentNanos = System.nanoTime() - started;

      assertThat(seen.failures).as("failures (first 20)").isEmpty();
      assertThat(healthy(sluice)).as("still serving").isTrue();
      assertThat(expectedKeys.values()).as("valid keys are distinct").containsOnly(1);
      // Acknowledged means durable: the backlog holds exactly what the answers counted.
      assertThat(sluice.status().get("backlog").asLong()).isEqualTo(seen.acknowledged.get());

      sluice.api.post("/v1/resume", "").ok();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> sluice.status().get("completed").asLong() == seen.acknowledged.get());
      Map<String, Integer> releasedPerKey = releasedPerKey(sluice);
      Map<String, Integer> validReleases = new HashMap<>();
      for (String key : expectedKeys.keySet()) {
        validReleases.put(key, releasedPerKey.getOrDefault(key, 0));
      }
      assertThat(validReleases.values()).as("releases per valid key").containsOnly(1);
      assertThat(releasedPerKey.values().stream().mapToInt(Integer::intValue).sum())
          .as("events released in all")
          .isEqualTo(seen.acknowledged.get());

      printFigures(seen, expectedKeys.size(), sentNanos, System.nanoTime() - started);
    }
  }

  private static void send(RunningSluice sluice, FuzzNotification n, Observed seen) {
    ApiCalls.Answer answer;
    try {
      answer = sluice.api.post("/v1/events", n.body());
    } catch (UncheckedIOException e) {
      seen.fail("#" + n.index() + " " + n.kind() + ": no answer: " + e.getCause());
      return;
    }
    seen.status(n.kind(), answer.status());
    if (answer.status() >= 500) {
      seen.fail("#" + n.index() + " " + n.kind() + ": " + answer.status() + " " + answer.body());
      return;
    }
    if (answer.status() == 200) {
      JsonNode report = answer.json();
      seen.acknowledged.addAndGet(report.get("accepted").asLong());
      if (!n.mutant() && report.get("accepted").asInt() != n.validKeys().size()) {
        seen.fail(
            "#" + n.index() + " " + n.kind() + ": accepted " + report + " of " + n.validKeys());
      }
    } else if (!n.mutant()) {
      seen.fail("#" + n.index() + " " + n.kind() + ": " + answer.status() + " " + answer.body());
    } else if (!answer.contentType().startsWith("application/json")
        || !answer.json().hasNonNull("error")) {
      seen.fail("#" + n.index() + " " + n.kind() + ": no JSON error: " + answer.body());
    }
  }

  private static boolean healthy(RunningSluice sluice) {
    return sluice.api.get("/healthz").status() == 200;
  }

  /** How often each key appears in {@code GET /v1/releases}. */
  private static Map<String, Integer> releasedPerKey(RunningSluice sluice) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    for (String line : sluice.api.get("/v1/releases").ok2().split("\n")) {
      if (!line.isBlank()) {
        JsonNode release = ApiCalls.JSON.readTree(line);
        counts.merge(release.get("key").asText(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static void printFigures(Observed seen, int validKeys, long sentNanos, long allNanos) {
    System.out.printf(
        "fuzz: seed %d, %d notifications from %d clients in %.1f s (%.1f s with the release);"
            + " %d events acknowledged, %d valid keys each released once%n",
        SEED,
        NOTIFICATIONS,
        CLIENTS,
        sentNanos / 1e9,
        allNanos / 1e9,
        seen.acknowledged.get(),
        validKeys);
    new TreeMap<>(seen.statusByKind)
        .forEach(
            (kind, statuses) -> {
              Map<Integer, Long> byStatus = new TreeMap<>();
              statuses.forEach((s, n) -> byStatus.put(s, n.sum()));
              System.out.printf("  %-22s %s%n", kind, byStatus);
            });
  }
}
