package dev.sluice.cli;

import static dev.sluice.cli.ListingFixture.BUCKET;
import static dev.sluice.cli.ListingFixture.missing;
import static dev.sluice.cli.ListingFixture.post;
import static dev.sluice.cli.ListingFixture.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.gate.Limits;
import dev.sluice.s3endpoint.EmbeddedS3Config;
import dev.sluice.s3endpoint.EmbeddedS3Endpoint;
import dev.sluice.store.postgres.EmbeddedPostgresServer;
import dev.sluice.testkit.RecordingTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reconcile and backfill on two nodes sharing one Postgres backlog: what one node took, the other
 * sees. The bucket is on an embedded S3 endpoint of its own whose notifications go nowhere; the
 * notifications that "arrived" are posted to one node's webhook.
 */
class ListingCommandsOnPostgresTest {
  @TempDir Path dir;

  @Test
  void reconcileOnOneNode_findsWhatNoNodeSaw_andBackfillOnTheOtherThenAddsNothing() {
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedS3Endpoint s3 =
            EmbeddedS3Endpoint.start(
                EmbeddedS3Config.anonymous(dir.resolve("objects"), List.of(BUCKET)),
                events -> {})) {
      String db = postgres.createDatabase("listing");
      try (InProcessSluice a =
              InProcessSluice.startNode(
                  dir.resolve("a"), RecordingTarget.completing(), Limits.none(), db, "node-a");
          InProcessSluice b =
              InProcessSluice.startNode(
                  dir.resolve("b"), RecordingTarget.completing(), Limits.none(), db, "node-b");
          S3Client client = ListingFixture.client(s3.endpoint())) {
        Set<String> silent = new TreeSet<>();
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          String key = String.format("in/obj-%02d.csv", i);
          String eTag =
              client
                  .putObject(
                      r -> r.bucket(BUCKET).key(key),
                      RequestBody.fromString(key, StandardCharsets.UTF_8))
                  .eTag()
                  .replace("\"", "");
          if (i % 3 == 1) {
            silent.add("s3://landing/" + key);
          } else {
            records.add(record(key, eTag, String.format("%016X", i + 1)));
          }
        }
        assertThat(post(a, records)).isEqualTo(20);
        String endpoint = s3.endpoint().toString();

        CliRun reconcile =
            CliRun.of(
                "reconcile",
                "s3://landing/in/",
                "--since",
                "1h",
                "--take",
                "--endpoint",
                endpoint,
                "--no-sign-request",
                "--url",
                b.url());

        assertThat(reconcile.exitCode()).as(reconcile.err()).isZero();
        assertThat(missing(reconcile)).containsExactlyElementsOf(silent);
        assertThat(reconcile.outLines().get(reconcile.outLines().size() - 1))
            .endsWith(": listed 30 objects, 30 modified since, 10 never notified, taken 10");

        CliRun backfill =
            CliRun.of(
                "backfill",
                "s3://landing/in/",
                "--endpoint",
                endpoint,
                "--no-sign-request",
                "--url",
                a.url());

        assertThat(backfill.exitCode()).as(backfill.err()).isZero();
        assertThat(backfill.outLines())
            .containsExactly(
                "backfill s3://landing/in/: listed 30 objects, taken 0, already known 30");
      }
    }
  }
}
