package dev.sluice.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the S3 event fixtures under {@code src/test/resources/s3-events}. */
final class Fixtures {
  private Fixtures() {}

  static byte[] s3Event(String name) {
    String resource = "/s3-events/" + name + ".json";
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
