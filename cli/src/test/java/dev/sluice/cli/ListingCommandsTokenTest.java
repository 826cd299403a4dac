package dev.sluice.cli;

import static dev.sluice.cli.ListingFixture.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.gate.Limits;
import dev.sluice.s3endpoint.EmbeddedS3Config;
import dev.sluice.s3endpoint.EmbeddedS3Endpoint;
import dev.sluice.testkit.RecordingTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Taking listed objects is an action: a service with a control token wants it. */
class ListingCommandsTokenTest {
  private static final String TOKEN = "0123456789abcdef0123";

  @TempDir Path dir;

  @Test
  void backfill_whenTheServiceWantsAToken_needsIt() {
    try (EmbeddedS3Endpoint s3 =
            EmbeddedS3Endpoint.start(
                EmbeddedS3Config.anonymous(dir.resolve("objects"), List.of(BUCKET)), events -> {});
        InProcessSluice sluice =
            InProcessSluice.start(
                dir.resolve("data"), RecordingTarget.completing(), Limits.none(), true, TOKEN);
        S3Client client = ListingFixture.client(s3.endpoint())) {
      for (int i = 0; i < 5; i++) {
        String key = "in/obj-" + i + ".csv";
        client.putObject(
            r -> r.bucket(BUCKET).key(key), RequestBody.fromString(key, StandardCharsets.UTF_8));
      }
      String endpoint = s3.endpoint().toString();

      CliRun without =
          CliRun.of(
              "backfill",
              "s3://landing/in/",
              "--endpoint",
              endpoint,
              "--no-sign-request",
              "--url",
              sluice.url());

      assertThat(without.exitCode()).isEqualTo(1);
      assertThat(without.errLines()).hasSize(1);
      assertThat(without.err()).contains("answered 401");

      CliRun with =
          CliRun.of(
              "backfill",
              "s3://landing/in/",
              "--endpoint",
              endpoint,
              "--no-sign-request",
              "--url",
              sluice.url(),
              "--token",
              TOKEN);

      assertThat(with.exitCode()).as(with.err()).isZero();
      // all 5 taken now: none was taken without the token
      assertThat(with.outLines())
          .containsExactly("backfill s3://landing/in/: listed 5 objects, taken 5, already known 0");
    }
  }
}
