package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import dev.sluice.testkit.RecordingTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded S3 endpoint's prefix and suffix filters, through real S3 PUTs. */
class S3EndpointFilterTest {
  @TempDir Path dataDir;

  @Test
  void put_whenKeyIsOutsidePrefixOrSuffix_isStoredButDroppedAndCounted() throws Exception {
    SluiceConfig config =
        new SluiceConfig(
            dataDir,
            new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
            new S3EndpointConfig(
                true,
                "127.0.0.1",
                0,
                List.of("data"),
                null,
                null,
                "us-east-1",
                "incoming/",
                ".parquet"),
            Limits.none(),
            RunningSluice.fastRetry(3),
            DispatcherConfig.defaults().withWorkers(4).withBatch(100),
            TargetConfig.log(),
            StoreConfig.defaults());
    try (SluiceService service =
        SluiceService.start(
            config,
            new SluiceService.Options(
                RecordingTarget.completing(), System.out, true, Duration.ofMillis(20)))) {
      HttpClient http = HttpClient.newHttpClient();
      for (String key : List.of("incoming/a.parquet", "incoming/b.csv", "other/c.parquet")) {
        // The endpoint is anonymous on 127.0.0.1: an unsigned PUT is a real S3 PutObject.
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(service.s3Endpoint() + "/data/" + key))
                    .PUT(HttpRequest.BodyPublishers.ofString("x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(key).isEqualTo(200);
      }

      JsonNode status = new ApiCalls(service.apiUrl()).get("v1/status").ok();
      assertThat(status.path("backlog").asLong()).isEqualTo(1);
      assertThat(status.path("dropped").path("suffix").asLong()).isEqualTo(1);
      assertThat(status.path("dropped").path("prefix").asLong()).isEqualTo(1);
    }
  }
}
