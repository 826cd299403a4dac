package dev.sluice.targets.aws;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import java.time.Instant;

/** Jobs for the AWS target tests. */
final class TestJobs {
  static final Instant RELEASED_AT = Instant.parse("2026-01-01T00:00:05Z");

  private TestJobs() {}

  static Job job(String key, int attempt) {
    return job(key, attempt, 1);
  }

  static Job job(String key, int attempt, long releaseId) {
    ObjectEvent event =
        new ObjectEvent(
            "photos",
            key,
            1234L,
            "d41d8cd98f",
            null,
            "0055AED6DCD90281E5",
            "ObjectCreated:Put",
            Instant.parse("2026-01-01T00:00:00Z"),
            "webhook");
    return new Job(7, releaseId, attempt, RELEASED_AT.plusSeconds(releaseId), event);
  }

  /**
   * A batch of the given keys in bucket "photos", event ids 10, 11, ..., all at {@code attempt}.
   */
  static dev.sluice.core.batch.Batch batch(int attempt, long firstReleaseId, String... keys) {
    java.util.List<Job> members = new java.util.ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      Job j = job(keys[i], attempt, firstReleaseId + i);
      members.add(new Job(10 + i, j.releaseId(), attempt, j.releasedAt(), j.event()));
    }
    return dev.sluice.core.batch.Batch.of("photos", members);
  }
}
