package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One frame of {@code sluice status --watch}: the status screen, and while a backlog drains a
 * progress bar with the time left. A pure function of two status documents: the one read when
 * watching began and the one read now.
 */
final class WatchScreen {
  static final int BAR_WIDTH = 30;

  private WatchScreen() {}

  static String render(JsonNode first, JsonNode now) {
    StringBuilder b = new StringBuilder(StatusText.render(now));
    long releasedSince =
        Math.max(0, now.path("released").asLong() - first.path("released").asLong());
    long waiting = now.path("backlog").asLong();
    long total = releasedSince + waiting;
    if (total == 0) {
      b.append("progress     nothing to drain\n");
      return b.toString();
    }
    double fraction = releasedSince / (double) total;
    int filled = (int) Math.floor(fraction * BAR_WIDTH);
    b.append("progress     [")
        .append("#".repeat(filled))
        .append("-".repeat(BAR_WIDTH - filled))
        .append(
            String.format(
                Locale.ROOT,
                "] %3d%%  %d/%d released",
                (int) Math.floor(fraction * 100),
                releasedSince,
                total));
    if (waiting == 0 && now.path("inFlight").asLong() == 0) {
      b.append(", drained\n");
      return b.toString();
    }
    b.append(", ")
        .append(StatusText.seconds(now.path("timeToDrainSeconds").asDouble()))
        .append(" left");
    Double measured = measuredRate(first, now);
    if (measured != null) {
      b.append(String.format(Locale.ROOT, " (%.1f/s since watching)", measured));
    }
    b.append('\n');
    return b.toString();
  }

  /** Releases per second between the two documents, or null when no time passed between them. */
  private static Double measuredRate(JsonNode first, JsonNode now) {
    if (!first.hasNonNull("now") || !now.hasNonNull("now")) {
      return null;
    }
    Duration d =
        Duration.between(
            Instant.parse(first.get("now").asText()), Instant.parse(now.get("now").asText()));
    if (d.isZero() || d.isNegative()) {
      return null;
    }
    long released = now.path("released").asLong() - first.path("released").asLong();
    return released / (d.toNanos() / 1e9);
  }
}
