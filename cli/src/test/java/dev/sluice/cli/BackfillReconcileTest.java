package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sluice backfill} and {@code sluice reconcile} against a real service whose embedded S3
 * endpoint holds the bucket. The 10,000 objects are written straight into the endpoint's storage (a
 * PUT each over HTTP would take most of a minute); the notifications of those that "had one" are
 * posted to the webhook as S3 would send them, with their eTag and a sequencer, and a few objects
 * are put over HTTP through the endpoint, which notifies the service itself.
 */
class BackfillReconcileTest {
  private static final String BUCKET = "landing";
  private static final int OBJECTS = 10_000;
  private static final int SILENT = 100;

  @TempDir Path dataDir;

  @Test
  void backfill_whenRunTwice_takesEveryObjectUnderThePrefixOnce() {
    try (InProcessSluice sluice = InProcessSluice.startWithS3(dataDir, BUCKET, true);
        BucketStorage storage = new BucketStorage(dataDir.resolve("objects"))) {
      for (int i = 0; i < OBJECTS; i++) {
        storage.put(BUCKET, String.format("old/part-%05d.csv", i));
      }
      storage.put(BUCKET, "other/outside-the-prefix.csv");
      String[] args = {
        "backfill",
        "s3://" + BUCKET + "/old/",
        "--endpoint",
        sluice.service.s3Endpoint().toString(),
        "--no-sign-request",
        "--url",
        sluice.url()
      };

      CliRun first = CliRun.of(args);

      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.outLines())
          .containsExactly(
              "backfill s3://landing/old/: listed 10000 objects, taken 10000, already known 0");
      assertThat(sluice.status().get("backlog").asLong()).isEqualTo(OBJECTS);

      CliRun second = CliRun.of(args);

      assertThat(second.exitCode()).as(second.err()).isZero();
      assertThat(second.outLines())
          .containsExactly(
              "backfill s3://landing/old/: listed 10000 objects, taken 0, already known 10000");
      assertThat(sluice.status().get("backlog").asLong()).isEqualTo(OBJECTS);
      assertThat(CliRun.of("where", BUCKET, "old/part-04242.csv", "--url", sluice.url()).out())
          .contains("state        waiting");
      assertThat(
              CliRun.of("where", BUCKET, "other/outside-the-prefix.csv", "--url", sluice.url())
                  .exitCode())
          .isEqualTo(1);
    }
  }

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
      // A few objects put through the endpoint, whose notification it makes itself.
      try (S3Client s3 = client(sluice.service.s3Endpoint())) {
        for (int i = 0; i < 20; i++) {
          String key = String.format("in/put-%02d.csv", i);
          s3.putObject(
              b -> b.bucket(BUCKET).key(key),
              RequestBody.fromString("put " + i, StandardCharsets.UTF_8));
        }
      }
      Set<String> expected =
          silent.stream()
              .map(i -> String.format("s3://landing/in/obj-%05d.csv", i))
              .collect(Collectors.toCollection(TreeSet::new));
      String url = "s3://" + BUCKET + "/in/";
      String endpoint = sluice.service.s3Endpoint().toString();

      CliRun report =
          CliRun.of(
              "reconcile",
              url,
              "--since",
              start.toString(),
              "--endpoint",
              endpoint,
              "--no-sign-request",
              "--url",
              sluice.url());

      assertThat(report.exitCode()).as(report.err()).isZero();
      assertThat(missing(report)).containsExactlyElementsOf(expected);
      assertThat(report.outLines())
          .last()
          .isEqualTo(
              "reconcile s3://landing/in/ since "
                  + start
                  + ": listed 10020 objects, 10020 modified since, 100 never notified");
      assertThat(sluice.status().get("backlog").asLong()).isEqualTo(OBJECTS - SILENT + 20);

      CliRun take =
          CliRun.of(
              "reconcile",
              url,
              "--since",
              start.toString(),
              "--endpoint",
              endpoint,
              "--no-sign-request",
              "--url",
              sluice.url(),
              "--take");

      assertThat(take.exitCode()).as(take.err()).isZero();
      assertThat(missing(take)).containsExactlyElementsOf(expected);
      assertThat(take.outLines().get(take.outLines().size() - 1)).endsWith(", taken 100");
      assertThat(sluice.status().get("backlog").asLong()).isEqualTo(OBJECTS + 20);

      CliRun again =
          CliRun.of(
              "reconcile",
              url,
              "--since",
              start.toString(),
              "--endpoint",
              endpoint,
              "--no-sign-request",
              "--url",
              sluice.url());

      assertThat(missing(again)).isEmpty();
      assertThat(again.outLines()).last().asString().endsWith(", 0 never notified");

      CliRun future =
          CliRun.of(
              "reconcile",
              url,
              "--since",
              Instant.now().plus(Duration.ofHours(1)).toString(),
              "--endpoint",
              endpoint,
              "--no-sign-request",
              "--url",
              sluice.url());
      assertThat(future.outLines().get(0))
          .endsWith(": listed 10020 objects, 0 modified since, 0 never notified");

      // A notification that arrives after its object was taken from a listing carries another
      // identity (its sequencer, not the eTag): it is a second event, as docs/backfill.md says.
      int late = silent.iterator().next();
      String lateKey = String.format("in/obj-%05d.csv", late);
      String lateETag = storage.put(BUCKET, lateKey);
      assertThat(post(sluice, List.of(record(lateKey, lateETag, "FFFF0000000000001"))))
          .isEqualTo(1);
    }
  }

  private static Set<String> missing(CliRun run) {
    return run.outLines().stream()
        .filter(l -> l.startsWith("s3://"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String record(String key, String eTag, String sequencer) {
    return "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
        + BUCKET
        + "\"},\"object\":{\"key\":\""
        + key
        + "\",\"size\":"
        + key.length()
        + ",\"eTag\":\""
        + eTag
        + "\",\"sequencer\":\""
        + sequencer
        + "\"}}}";
  }

  private static int post(InProcessSluice sluice, List<String> records) {
    JsonNode report = sluice.postNotification("{\"Records\":[" + String.join(",", records) + "]}");
    return report.get("accepted").asInt();
  }

  private static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClient(UrlConnectionHttpClient.builder().build())
        .build();
  }
}
