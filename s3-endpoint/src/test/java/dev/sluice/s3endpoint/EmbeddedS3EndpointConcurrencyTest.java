package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class EmbeddedS3EndpointConcurrencyTest {
  private static final int THREADS = 8;
  private static final int PUTS_PER_THREAD = 250;

  @TempDir Path dataDir;

  @Test
  void putObject_whenEightClientsPutAtOnce_everyObjectHasExactlyOneEventAndSequencersAreUnique()
      throws Exception {
    RecordingSink sink = new RecordingSink();
    long elapsedNanos;
    try (EmbeddedS3Endpoint endpoint =
        EmbeddedS3Endpoint.start(EmbeddedS3Config.anonymous(dataDir, List.of("incoming")), sink)) {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(
            pool.submit(
                () -> {
                  try (S3Client s3 = S3Clients.dummy(endpoint.endpoint())) {
                    start.await();
                    for (int i = 0; i < PUTS_PER_THREAD; i++) {
                      String key = "t" + thread + "/part-" + i + ".json";
                      s3.putObject(
                          b -> b.bucket("incoming").key(key),
                          RequestBody.fromString("{\"n\":" + i + "}"));
                    }
                  }
                  return null;
                }));
      }
      long began = System.nanoTime();
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get();
      }
      elapsedNanos = System.nanoTime() - began;
      pool.shutdown();
    }

    List<ObjectEvent> events = sink.accepted();
    assertThat(events).hasSize(THREADS * PUTS_PER_THREAD);
    Map<String, ObjectEvent> byKey =
        events.stream().collect(Collectors.toMap(ObjectEvent::key, Function.identity()));
    assertThat(byKey).hasSize(THREADS * PUTS_PER_THREAD);
    assertThat(events).extracting(ObjectEvent::sequencer).doesNotHaveDuplicates();
    // A figure for the report, not an assertion: timing depends on the machine.
    System.out.printf(
        "s3-endpoint: %d small PUTs from %d threads in %d ms = %.0f objects/s%n",
        THREADS * PUTS_PER_THREAD,
        THREADS,
        elapsedNanos / 1_000_000,
        THREADS * PUTS_PER_THREAD / (elapsedNanos / 1e9));
  }
}
