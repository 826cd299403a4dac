package dev.sluice.cli;

import static dev.sluice.cli.ListingFixture.BUCKET;
import static dev.sluice.cli.ListingFixture.missing;
import static dev.sluice.cli.ListingFixture.post;
import static dev.sluice.cli.ListingFixture.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice backfill} and {@code sluice reconcile} on a small bucket: what they do beside the
 * 10,000-object cases, and their errors, against a real service and its embedded S3 endpoint.
 */
class ListingCommandsTest {
  private static final int OBJECTS = 30;

  @TempDir Path dataDir;

  private InProcessSluice sluice;
  private BucketStorage storage;

  @BeforeEach
  void start() {
    sluice = InProcessSluice.startWithS3(dataDir, BUCKET, true);
    storage = new BucketStorage(dataDir.resolve("objects"));
  }

  @AfterEach
  void stop() {
    storage.close();
    sluice.close();
  }

  /** Puts {@code in/obj-NN.csv} for every n; notifies those not in {@code silent}. */
  private void bucketWithSilentObjects(Set<Integer> silent) {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < OBJECTS; i++) {
      String key = String.format("in/obj-%02d.csv", i);
      String eTag = storage.put(BUCKET, key);
      if (!silent.contains(i)) {
        records.add(record(key, eTag, String.format("%016X", i + 1)));
      }
    }
    assertThat(post(sluice, records)).isEqualTo(OBJECTS - silent.size());
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--endpoint",
            sluice.service.s3Endpoint().toString(),
            "--no-sign-request",
            "--url",
            sluice.url()));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void reconcile_withoutTake_printsTheMissingObjectsAndTakesNothing() {
    bucketWithSilentObjects(Set.of(3, 17, 29));
    String since = Instant.now().minus(1, ChronoUnit.HOURS).toString();

    CliRun report = run("reconcile", "s3://landing/in/", "--since", since);

    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(missing(report))
        .containsExactly(
            "s3://landing/in/obj-03.csv",
            "s3://landing/in/obj-17.csv",
            "s3://landing/in/obj-29.csv");
    assertThat(report.outLines().get(report.outLines().size() - 1))
        .endsWith(": listed 30 objects, 30 modified since, 3 never notified");
    assertThat(sluice.status().get("backlog").asLong()).isEqualTo(OBJECTS - 3);
  }

  @Test
  void reconcile_whenSinceIsAfterEveryChange_comparesNothing() {
    bucketWithSilentObjects(Set.of(3));

    CliRun future =
        run("reconcile", "s3://landing/in/", "--since", Instant.now().plusSeconds(3600).toString());

    assertThat(future.exitCode()).as(future.err()).isZero();
    assertThat(future.outLines())
        .hasSize(1)
        .first()
        .asString()
        .endsWith(": listed 30 objects, 0 modified since, 0 never notified");
  }

  @Test
  void reconcile_whenUntilLeavesOutTheRecentObjects_comparesNothing() {
    bucketWithSilentObjects(Set.of(3));

    CliRun run = run("reconcile", "s3://landing/in/", "--since", "2h", "--until", "1h");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines())
        .hasSize(1)
        .first()
        .asString()
        .contains(" until ")
        .endsWith(": listed 30 objects, 0 modified since, 0 never notified");
  }

  @Test
  void reconcile_whenUntilIsBeforeSince_failsWithOneLine() {
    CliRun run = run("reconcile", "s3://landing/in/", "--since", "1h", "--until", "2h");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("--until").contains("must be after --since");
  }

  @Test
  void backfill_whenSomeObjectsWereNotified_takesOnlyTheOthers() {
    Set<Integer> silent = new TreeSet<>();
    for (int i = 0; i < OBJECTS; i += 3) {
      silent.add(i);
    }
    bucketWithSilentObjects(silent);

    CliRun run = run("backfill", "s3://landing/in/");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines())
        .containsExactly(
            "backfill s3://landing/in/: listed 30 objects, taken 10, already known 20");
    assertThat(sluice.status().get("backlog").asLong()).isEqualTo(OBJECTS);
    assertThat(sluice.metrics().lines())
        .filteredOn(l -> l.startsWith("sluice_accepted_events_total{"))
        .anySatisfy(l -> assertThat(l).contains("source=\"backfill\"").endsWith(" 10.0"));
  }

  @Test
  void reconcile_whenTheNotificationArrivesAfterTheObjectWasTaken_itIsASecondEvent() {
    bucketWithSilentObjects(Set.of(5));
    CliRun take = run("reconcile", "s3://landing/in/", "--since", "1h", "--take");
    assertThat(take.outLines().get(take.outLines().size() - 1)).endsWith(", taken 1");
    String eTag = storage.put(BUCKET, "in/obj-05.csv"); // same content: same eTag

    // Its identity is its sequencer, the taken event's its eTag: docs/backfill.md says so.
    int accepted = post(sluice, List.of(record("in/obj-05.csv", eTag, "00000000000000FF")));

    assertThat(accepted).isEqualTo(1);
    assertThat(CliRun.of("where", BUCKET, "in/obj-05.csv", "--url", sluice.url(), "--json").out())
        .contains("\"identity\":\"landing/in/obj-05.csv@e:" + eTag + "\"")
        .contains("\"identity\":\"landing/in/obj-05.csv@s:00000000000000FF\"");
  }

  @Test
  void backfill_whenKeysAreLong_sendsEachPageInPartsUnderTheBodyLimit() {
    // 1,000 keys of about 1,000 bytes: one page, more than the service's 1 MiB body as one call.
    String segment = "x".repeat(200);
    for (int i = 0; i < 1_000; i++) {
      String key =
          "long/" + String.join("/", segment, segment, segment, segment, segment) + "/" + i;
      storage.put(BUCKET, key);
    }

    CliRun run = run("backfill", "s3://landing/long/");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines())
        .containsExactly(
            "backfill s3://landing/long/: listed 1000 objects, taken 1000, already known 0");
    assertThat(sluice.status().get("backlog").asLong()).isEqualTo(1_000);
  }

  @Test
  void backfill_whenTheUrlIsNotS3_failsWithOneLine() {
    CliRun run = run("backfill", "https://landing/in/");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly("sluice: expected s3://BUCKET/PREFIX, got 'https://landing/in/'");
  }

  @Test
  void backfill_whenTheUrlHasNoBucket_failsWithOneLine() {
    CliRun run = run("backfill", "s3:///in/");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("no bucket in 's3:///in/'");
  }

  @Test
  void backfill_whenTheBucketDoesNotExist_failsWithOneLineNamingIt() {
    CliRun run = run("backfill", "s3://nowhere/in/");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("sluice: no such bucket: nowhere");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void reconcile_whenTheEndpointIsUnreachable_failsWithOneLineNamingIt() throws IOException {
    String endpoint = "http://127.0.0.1:" + freePort();

    CliRun run =
        CliRun.of(
            "reconcile",
            "s3://landing/in/",
            "--since",
            "1h",
            "--endpoint",
            endpoint,
            "--no-sign-request",
            "--url",
            sluice.url());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("sluice: cannot list s3://landing/in/ at " + endpoint + ": ");
  }

  @Test
  void backfill_whenTheServiceIsUnreachable_failsBeforeListing() throws IOException {
    String url = "http://127.0.0.1:" + freePort();

    CliRun run =
        CliRun.of(
            "backfill",
            "s3://landing/in/",
            "--endpoint",
            sluice.service.s3Endpoint().toString(),
            "--no-sign-request",
            "--url",
            url);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("sluice: cannot reach sluice at " + url);
  }

  @Test
  void reconcile_whenSinceIsNotATime_failsWithOneLine() {
    CliRun run = run("reconcile", "s3://landing/in/", "--since", "yesterday");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("--since").contains("'yesterday'");
  }

  @Test
  void reconcile_whenSinceIsMissing_pointsAtTheHelp() {
    CliRun run = run("reconcile", "s3://landing/in/");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--since");
  }

  @Test
  void backfill_whenTheEndpointIsNotHttp_failsWithOneLine() {
    CliRun run =
        CliRun.of(
            "backfill",
            "s3://landing/in/",
            "--endpoint",
            "ftp://127.0.0.1:21",
            "--url",
            sluice.url());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly(
            "sluice: --endpoint must be an http:// or https:// URL, got ftp://127.0.0.1:21");
  }

  @Test
  void listedEndpoint_whenAnObjectHasNoKey_answers400NamingIt() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(sluice.url() + "v1/events/listed"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"objects\":[{\"bucket\":\"landing\",\"key\":\"a\"},"
                                + "{\"bucket\":\"landing\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("objects[1].key is required");
    assertThat(sluice.status().get("backlog").asLong()).isZero();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
