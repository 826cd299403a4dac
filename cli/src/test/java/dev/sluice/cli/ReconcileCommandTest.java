package dev.sluice.cli;

import static dev.sluice.cli.ListingFixture.BUCKET;
import static dev.sluice.cli.ListingFixture.missing;
import static dev.sluice.cli.ListingFixture.post;
import static dev.sluice.cli.ListingFixture.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sluice reconcile} over a bucket of 10,000 objects of which 100 never produced a
 * notification, in a real service's embedded S3 endpoint. The objects are written straight into the
 * endpoint's storage ({@link BucketStorage}); the notifications of the 9,900 that had one are
 * posted to the webhook as S3 sends them (eTag and sequencer), and 20 more objects are put over
 * HTTP through the endpoint, which notifies the service itself. One listing only: the endpoint
 * takes about a second a page.
 */
class ReconcileCommandTest {
  private static final int OBJECTS = 10_000;
  private static final int SILENT = 100;

  @TempDir Path dataDir;

  @Test
  void reconcile_whenSomeNotificationsNeverArrived_findsExactlyThoseAndTakesThem() {
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    try (InProcessSluice sluice = InProcessSluice.startWithS3(dataDir, BUCKET, true);
        BucketStorage storage = new BucketStorage(dataDir.resolve("objects"))) {
      Set<Integer> silent = new TreeSet<>();
      Random random = new Random(11);
      while (silent.size() < SILENT) {
        silent.add(random.nextInt(OBJECTS));
      }
      List<String> records = new ArrayList<>();
      int notified = 0;
      for (int i = 0; i < OBJECTS; i++) {
        String key = String.format("in/obj-%05d.csv", i);
        String eTag = storage.put(BUCKET, key);
        if (!silent.contains(i)) {
          records.add(record(key, eTag, String.format("%016X", i + 1)));
        }
        if (records.size() == 500 || (i == OBJECTS - 1 && !records.isEmpty())) {
          notified += post(sluice, records);
          records.clear();
        }
      }
      assertThat(notified).isEqualTo(OBJECTS - SILENT);
      try (S3Client s3 = ListingFixture.client(sluice.service.s3Endpoint())) {
        for (int i = 0; i < 20; i++) {
          String key = String.format("in/put-%02d.csv", i);
          s3.putObject(
              b -> b.bucket(BUCKET).key(key),
              RequestBody.fromString("put " + key, StandardCharsets.UTF_8));
        }
      }
      assertThat(sluice.status().get("backlog").asLong()).isEqualTo(OBJECTS - SILENT + 20);
      Set<String> expected =
          silent.stream()
              .map(i -> String.format("s3://landing/in/obj-%05d.csv", i))
              .collect(Collectors.toCollection(TreeSet::new));

      CliRun run =
          CliRun.of(
              "reconcile",
              "s3://" + BUCKET + "/in/",
              "--since",
              start.toString(),
              "--take",
              "--endpoint",
              sluice.service.s3Endpoint().toString(),
              "--no-sign-request",
              "--url",
              sluice.url());

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(missing(run)).hasSize(SILENT).containsExactlyElementsOf(expected);
      assertThat(run.outLines())
          .last()
          .isEqualTo(
              "reconcile s3://landing/in/ since "
                  + start
                  + ": listed 10020 objects, 10020 modified since, 100 never notified, taken 100");
      assertThat(sluice.status().get("backlog").asLong()).isEqualTo(OBJECTS + 20);
    }
  }
}
