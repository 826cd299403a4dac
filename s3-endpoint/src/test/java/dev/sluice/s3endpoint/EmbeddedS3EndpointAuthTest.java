package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ObjectEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class EmbeddedS3EndpointAuthTest {
  private static final String ACCESS_KEY = "sluice-demo";
  private static final String SECRET_KEY = "correct-horse-battery-staple";

  @TempDir Path dataDir;
  private final RecordingSink sink = new RecordingSink();
  private EmbeddedS3Endpoint endpoint;

  @BeforeEach
  void start() {
    endpoint =
        EmbeddedS3Endpoint.start(
            EmbeddedS3Config.anonymous(dataDir, List.of("incoming"))
                .withCredentials(ACCESS_KEY, SECRET_KEY),
            sink);
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  @Test
  void putObject_whenSignedWithTheConfiguredKeys_isAcceptedWithAnEvent() {
    try (S3Client s3 = S3Clients.signedWith(endpoint.endpoint(), ACCESS_KEY, SECRET_KEY)) {
      s3.putObject(b -> b.bucket("incoming").key("signed.csv"), RequestBody.fromString("ok"));
    }

    assertThat(sink.accepted()).extracting(ObjectEvent::key).containsExactly("signed.csv");
  }

  @Test
  void putObject_whenSecretIsWrong_isRejectedWith403AndNoEvent() {
    try (S3Client s3 = S3Clients.signedWith(endpoint.endpoint(), ACCESS_KEY, "wrong-secret")) {
      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket("incoming").key("forged.csv"), RequestBody.fromString("x")))
          .isInstanceOf(S3Exception.class)
          .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
    }

    assertThat(sink.calls()).isEmpty();
  }

  @Test
  void putObject_whenUnsigned_isRejectedWith403() {
    try (S3Client s3 = S3Clients.anonymous(endpoint.endpoint())) {
      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket("incoming").key("anon.csv"), RequestBody.fromString("x")))
          .isInstanceOf(S3Exception.class)
          .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
    }

    assertThat(sink.calls()).isEmpty();
  }
}
