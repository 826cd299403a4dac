package dev.sluice.targets;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import java.time.Instant;

/** Jobs with known field values for target tests. */
final class TestJobs {
  static final Instant EVENT_TIME = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant RELEASED_AT = Instant.parse("2026-01-01T00:00:05Z");

  private TestJobs() {}

  /** Every optional field set; a key with a space and a plus, as decoded keys have. */
  static Job full() {
    return full(7, 9);
  }

  static Job full(long eventId, long releaseId) {
    ObjectEvent event =
        new ObjectEvent(
            "photos",
            "2026/01/my file+1.parquet",
            1234L,
            "d41d8cd98f00b204e9800998ecf8427e",
            "3HL4kqtJlcpXroDTDmJ",
            "0055AED6DCD90281E5",
            "ObjectCreated:Put",
            EVENT_TIME,
            "webhook");
    return new Job(eventId, releaseId, 2, RELEASED_AT, event);
  }

  /** Only bucket, key, event name and source: size, eTag, versions and event time are null. */
  static Job minimal() {
    return new Job(1, 1, 1, RELEASED_AT, ObjectEvent.created("photos", "a.txt", "webhook"));
  }

  /** A batch of {@code n} members of bucket "photos", keys {@code batch/item-<i>.jpg}. */
  static dev.sluice.core.batch.Batch batch(int n) {
    java.util.List<Job> members = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(
          new Job(
              100 + i,
              200 + i,
              1,
              RELEASED_AT,
              ObjectEvent.created("photos", "batch/item-" + i + ".jpg", "webhook")));
    }
    return dev.sluice.core.batch.Batch.of("photos", members);
  }
}
