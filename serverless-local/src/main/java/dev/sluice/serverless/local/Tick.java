package dev.sluice.serverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One scheduler invocation: the scheduler's own report of its tick, and the execution names it put
 * on the invocation queue ({@link ReleasedNames}).
 *
 * @param scheduledTime the time the invocation was scheduled for
 * @param budget the jobs the limits allowed when the tick started
 * @param released the jobs the scheduler reports it put on the invocation queue
 * @param unsent the jobs whose send failed (given back, their events wait for a later tick)
 * @param backlog the event queue's visible messages after the tick, -1 if unknown
 * @param inFlight jobs holding an in-flight slot after the tick, -1 without a max-in-flight limit
 * @param releasedNames the execution names the invocation sent, in order
 * @param report the scheduler's answer as it gave it (JSON)
 */
public record Tick(
    Instant scheduledTime,
    int budget,
    int released,
    int unsent,
    long backlog,
    long inFlight,
    List<String> releasedNames,
    String report) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Tick {
    Objects.requireNonNull(scheduledTime, "scheduledTime");
    releasedNames = List.copyOf(releasedNames);
  }

  /** The tick the scheduler's answer {@code report} describes. */
  static Tick of(Instant scheduledTime, String report, List<String> releasedNames) {
    JsonNode n;
    try {
      n = JSON.readTree(report);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the scheduler answered something that is not JSON: " + report, e);
    }
    return new Tick(
        scheduledTime,
        n.path("budget").asInt(),
        n.path("released").asInt(),
        n.path("unsent").asInt(),
        n.path("backlog").asLong(-1),
        n.path("inFlight").asLong(-1),
        releasedNames,
        report);
  }
}
