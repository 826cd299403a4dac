package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedS3ConfigTest {
  private static final Path DIR = Path.of("data");

  @Test
  void anonymous_whenBuilt_bindsLoopbackOnAnyPortInUsEast1() {
    EmbeddedS3Config config = EmbeddedS3Config.anonymous(DIR, List.of("incoming"));

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.region()).isEqualTo("us-east-1");
    assertThat(config.isAnonymous()).isTrue();
  }

  @Test
  void new_whenOnlyOneKeyIsSet_namesBothFields() {
    assertThatThrownBy(
            () -> new EmbeddedS3Config("127.0.0.1", 0, DIR, List.of(), "key", null, "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3.accessKey")
        .hasMessageContaining("s3.secretKey");
  }

  @Test
  void new_whenPortOutOfRange_namesThePort() {
    assertThatThrownBy(() -> EmbeddedS3Config.anonymous(DIR, List.of()).withPort(70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3.port")
        .hasMessageContaining("70000");
  }

  @Test
  void new_whenBucketNameIsInvalid_namesTheBucket() {
    assertThatThrownBy(() -> EmbeddedS3Config.anonymous(DIR, List.of("Upper_Case")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Upper_Case");
  }

  @Test
  void toString_whenCredentialsSet_hidesTheSecret() {
    EmbeddedS3Config config =
        EmbeddedS3Config.anonymous(DIR, List.of()).withCredentials("access", "very-secret");

    assertThat(config.toString()).contains("access").doesNotContain("very-secret");
  }
}
