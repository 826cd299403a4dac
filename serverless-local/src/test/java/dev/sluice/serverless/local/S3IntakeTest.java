package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.localaws.LocalClients;
import dev.sluice.s3endpoint.EmbeddedS3Config;
import dev.sluice.s3endpoint.EmbeddedS3Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Objects put on the embedded S3 endpoint reach the state machine with their keys as written. */
class S3IntakeTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;

  @Test
  void putObject_withSpacesPlusAndUnicodeInTheKey_startsAnExecutionWhoseInputHasTheKeyAsPut() {
    List<String> keys = List.of("in/red flower.jpg", "in/a+b=c.parquet", "in/été/naïve 1.csv");
    try (TestPipeline p =
            new TestPipeline(sfn -> {}, f -> f.limit(10).every(Duration.ofMinutes(1)));
        EmbeddedS3Endpoint s3 =
            EmbeddedS3Endpoint.start(
                EmbeddedS3Config.anonymous(dir, List.of("data")), p.functions.s3Notifications());
        S3Client client =
            S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(LocalClients.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
      for (String key : keys) {
        client.putObject(b -> b.bucket("data").key(key), RequestBody.fromString("x"));
      }
      p.functions.startEventSource();
      p.functions.tick(T0);

      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> p.executions().size() == 3);

      assertThat(p.executions().stream().map(TestPipeline::keyOf))
          .containsExactlyInAnyOrderElementsOf(keys);
    }
  }
}
