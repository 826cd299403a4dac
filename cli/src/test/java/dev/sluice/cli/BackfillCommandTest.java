package dev.sluice.cli;

import static dev.sluice.cli.ListingFixture.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice backfill} over a bucket of 10,000 objects in a real service's embedded S3 endpoint.
 * The objects are written straight into the endpoint's storage ({@link BucketStorage}): a PUT each
 * over HTTP would take most of a minute. Listing them costs the endpoint about a second a page, so
 * this class lists twice and no more; the smaller cases are in {@link ListingCommandsTest}.
 */
class BackfillCommandTest {
  private static final int OBJECTS = 10_000;

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
}
