package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.PartitionSharing;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.core.time.ManualTimeSource;
import dev.sluice.targets.HttpTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches on a durable backlog with the real HTTP target POSTing to a real HTTP server, driven by
 * tick() in virtual time (the HTTP exchanges are real; only the dispatcher's clock is virtual). The
 * dispatcher shares the limits between partitions as {@code sluice serve} does when batching.
 */
abstract class BatchesOnBacklogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir Path dir;
  private final ManualTimeSource time = new ManualTimeSource();
  private HttpServer server;
  private final List<JsonNode> posts = new CopyOnWriteArrayList<>();

  /** Keys whose first delivery the endpoint reports failed in batchItemFailures. */
  private final Set<String> failOnce = ConcurrentHashMap.newKeySet();

  private Backlog backlog;
  private HttpTarget target;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/batches",
        exchange -> {
          try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            posts.add(body);
            List<String> failed = new ArrayList<>();
            for (JsonNode item : body.get("items")) {
              if (failOnce.remove(item.get("key").asText())) {
                failed.add("{\"itemIdentifier\":\"" + item.get("idempotencyKey").asText() + "\"}");
              }
            }
            byte[] answer =
                ("{\"batchItemFailures\":[" + String.join(",", failed) + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(answer);
            }
          }
        });
    server.start();
    backlog = openBacklog(dir, PartitionRule.bucket());
    target =
        new HttpTarget(
            HttpTarget.Config.of(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/batches")),
            time);
  }

  /** A fresh, empty backlog of the store under test, keeping partitions by {@code rule}. */
  protected abstract Backlog openBacklog(Path dir, PartitionRule rule);

  @AfterEach
  void stop() {
    target.close();
    backlog.close();
    server.stop(0);
  }

  private Dispatcher dispatcher(Limits limits, LimitCount count) {
    Dispatcher d =
        new Dispatcher(
            backlog,
            target,
            new Gate(limits),
            time,
            DispatcherConfig.defaults().withLead(Duration.ZERO),
            Runnable::run,
            new Random(3));
    d.sharePartitions(new PartitionSharing(PartitionRule.bucket(), PartitionShares.EQUAL));
    d.batchBy(new BatchPlanner(new BatchSettings(20, WAIT), count), PartitionRule.bucket());
    return d;
  }

  private void append(int n) {
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(ObjectEvent.created("data", String.format("in/part-%05d.csv", i), "test"));
    }
    backlog.append(events, time.now());
  }

  private void run(Dispatcher d, int seconds) {
    for (int i = 0; i < seconds * 10; i++) {
      while (d.tick() > 0) {
        // as much as the gate allows now
      }
      d.applyOutcomes();
      time.advance(Duration.ofMillis(100));
    }
    d.applyOutcomes();
  }

  @Test
  void thousandObjectsWithMax20_are50PostsEveryObjectInOne_andTwoFailedItemsComeBackAlone() {
    failOnce.addAll(Set.of("in/part-00101.csv", "in/part-00517.csv"));
    Dispatcher d = dispatcher(Limits.window(10, Duration.ofSeconds(1)), LimitCount.JOBS);
    append(1000);

    run(d, 20);

    assertThat(backlog.stats(time.now()).done()).isEqualTo(1000);
    // 50 batches of 20, then the two failed items again, together, after the wait.
    assertThat(posts).hasSize(51);
    Map<String, Integer> firstDeliveries = new HashMap<>();
    for (JsonNode post : posts.subList(0, 50)) {
      assertThat(post.get("items")).hasSize(20);
      for (JsonNode item : post.get("items")) {
        firstDeliveries.merge(item.get("key").asText(), 1, Integer::sum);
      }
    }
    assertThat(firstDeliveries).hasSize(1000);
    assertThat(firstDeliveries.values()).containsOnly(1);
    JsonNode retry = posts.get(50);
    List<String> retried = new ArrayList<>();
    retry.get("items").forEach(i -> retried.add(i.get("key").asText()));
    assertThat(retried).containsExactlyInAnyOrder("in/part-00101.csv", "in/part-00517.csv");
    assertThat(retry.get("items").get(0).get("attempt").asInt()).isEqualTo(2);

    // The release log: 51 batch references; the rows of each share one release instant.
    List<ReleaseRecord> log = backlog.releases(Instant.EPOCH, 0, 10_000);
    assertThat(log).hasSize(1002);
    Map<Long, List<ReleaseRecord>> byBatch = new HashMap<>();
    for (ReleaseRecord r : log) {
      assertThat(r.batch()).isNotNull();
      byBatch.computeIfAbsent(r.batch(), b -> new ArrayList<>()).add(r);
    }
    assertThat(byBatch).hasSize(51);
    for (List<ReleaseRecord> rows : byBatch.values()) {
      assertThat(rows).extracting(ReleaseRecord::releasedAt).containsOnly(rows.get(0).releasedAt());
    }
    // Counted in jobs: no second holds more than 10 batches.
    List<Instant> batchTimes =
        byBatch.values().stream().map(rows -> rows.get(0).releasedAt()).sorted().toList();
    assertThat(mostInAnyWindow(batchTimes, Duration.ofSeconds(1))).isLessThanOrEqualTo(10);
  }

  @Test
  void countedInObjects_noSecondOfTheReleaseLogHoldsMoreThanTheLimit() {
    Dispatcher d = dispatcher(Limits.window(50, Duration.ofSeconds(1)), LimitCount.OBJECTS);
    append(500);

    run(d, 15);

    assertThat(backlog.stats(time.now()).done()).isEqualTo(500);
    List<Instant> times =
        backlog.releases(Instant.EPOCH, 0, 10_000).stream()
            .map(ReleaseRecord::releasedAt)
            .sorted()
            .toList();
    assertThat(times).hasSize(500);
    assertThat(mostInAnyWindow(times, Duration.ofSeconds(1))).isBetween(40, 50);
    assertThat(posts).allSatisfy(p -> assertThat(p.get("items")).hasSize(20));
  }

  private static int mostInAnyWindow(List<Instant> sorted, Duration length) {
    int most = 0;
    int from = 0;
    for (int to = 0; to < sorted.size(); to++) {
      while (!sorted.get(from).plus(length).isAfter(sorted.get(to))) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }
}
