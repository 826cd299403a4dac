package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedS3ConfigDotPathTest {
  @TempDir Path dir;

  @Test
  void start_whenDataDirHasDotSegments_startsAndKeepsObjectsUnderIt() {
    // The service's default data dir is ./sluice-data: a relative path with a "." segment.
    Path dotted = dir.resolve(".").resolve("objects");
    RecordingSink sink = new RecordingSink();
    try (EmbeddedS3Endpoint s3 =
        EmbeddedS3Endpoint.start(EmbeddedS3Config.anonymous(dotted, List.of("data")), sink)) {
      assertThat(s3.config().dataDir()).isEqualTo(dir.resolve("objects").toAbsolutePath());
      assertThat(dir.resolve("objects").resolve("data")).isDirectory();
    }
  }
}
