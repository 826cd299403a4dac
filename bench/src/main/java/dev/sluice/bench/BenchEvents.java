package dev.sluice.bench;

import dev.sluice.core.ObjectEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Distinct events of a realistic shape (every field an S3 notification carries). */
final class BenchEvents {

  private static final Instant EVENT_TIME = Instant.parse("2026-01-01T00:00:00Z");

  private BenchEvents() {}

  /** Event number {@code n}: a Parquet part with a sequencer unique to {@code n}. */
  static ObjectEvent numbered(long n) {
    return new ObjectEvent(
        "landing",
        String.format("bench/2026/01/01/part-%08d.parquet", n),
        64L * 1024 * 1024,
        String.format("%032x", n),
        null,
        String.format("%016X", n),
        "ObjectCreated:Put",
        EVENT_TIME,
        // a source Sluice sets, as every event arriving through its intakes carries
        "webhook");
  }

  /** Events {@code from} .. {@code from + count - 1}. */
  static List<ObjectEvent> numbered(long from, int count) {
    List<ObjectEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(numbered(from + i));
    }
    return events;
  }
}
