package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.testkit.RecordingTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A drain closes the embedded S3 endpoint's intake too: an upload is answered with an error. */
class DrainS3EndpointTest {
  @TempDir Path dataDir;

  @Test
  void put_whileDraining_failsWithAServerErrorAndAddsNoEvent() throws Exception {
    try (RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            RecordingTarget.completing(),
            c ->
                c.withS3Endpoint(
                    new S3EndpointConfig(
                        true, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1")))) {
      HttpClient http = HttpClient.newHttpClient();
      URI before = URI.create(sluice.service.s3Endpoint() + "/data/before.parquet");
      URI during = URI.create(sluice.service.s3Endpoint() + "/data/during.parquet");
      assertThat(put(http, before)).isEqualTo(200);
      long released =
          sluice.status().get("released").asLong() + sluice.status().get("backlog").asLong();
      assertThat(released).isEqualTo(1);

      sluice.api.post("/v1/drain", "");

      // 500, which an S3 client retries: the event could not be kept, so the upload did not count.
      assertThat(put(http, during)).isEqualTo(500);
      var status = sluice.status();
      assertThat(status.get("released").asLong() + status.get("backlog").asLong()).isEqualTo(1);
    }
  }

  private static int put(HttpClient http, URI uri) throws Exception {
    return http.send(
            HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
