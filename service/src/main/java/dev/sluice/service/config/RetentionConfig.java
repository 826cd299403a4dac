package dev.sluice.service.config;

import java.time.Duration;

/**
 * How long the backlog keeps what it no longer needs to release ({@code retention}). A background
 * task deletes the rest a small chunk at a time, so the backlog file stops growing: its free pages
 * are reused for new rows.
 *
 * @param dedup how long a done or purged event is kept after it settled. Within it, a redelivery of
 *     the same object change is a duplicate; after it, the event is gone and a redelivery is a new
 *     event, released again
 * @param releases how long a closed release stays in the release log ({@code GET /v1/releases}); a
 *     release may outlive its event, and is then listed without identity, bucket or key
 */
public record RetentionConfig(Duration dedup, Duration releases) {

  public static final Duration DEFAULT_DEDUP = Duration.ofDays(7);
  public static final Duration DEFAULT_RELEASES = Duration.ofDays(30);

  public RetentionConfig {
    Checks.positive("dedup", dedup);
    Checks.positive("releases", releases);
  }

  public static RetentionConfig defaults() {
    return new RetentionConfig(DEFAULT_DEDUP, DEFAULT_RELEASES);
  }
}
