package dev.sluice.testkit;

import dev.sluice.core.ObjectEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Object events for tests: distinct, fully populated, reproducible from a number. */
public final class TestEvents {

  /** The bucket every numbered event lands in. */
  public static final String BUCKET = "landing";

  private TestEvents() {}

  /**
   * Event number {@code n}: a Parquet part under {@code data/}, with every optional field set, and
   * a sequencer that makes its identity unique to {@code n}.
   */
  public static ObjectEvent numbered(int n) {
    return new ObjectEvent(
        BUCKET,
        String.format("data/part-%05d.parquet", n),
        1_000L + n,
        String.format("etag-%d", n),
        null,
        String.format("%016X", n),
        "ObjectCreated:Put",
        Instant.parse("2026-01-01T00:00:00Z").plusMillis(n),
        "test");
  }

  /** Events {@code from}, {@code from + 1}, ... ({@code count} of them). */
  public static List<ObjectEvent> numbered(int from, int count) {
    List<ObjectEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(numbered(from + i));
    }
    return events;
  }

  /** A version of an object in a versioned bucket: its identity is bucket + key + versionId. */
  public static ObjectEvent version(String bucket, String key, String versionId) {
    return new ObjectEvent(
        bucket, key, 42L, "etag-" + versionId, versionId, null, "ObjectCreated:Put", null, "test");
  }
}
