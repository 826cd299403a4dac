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
}
