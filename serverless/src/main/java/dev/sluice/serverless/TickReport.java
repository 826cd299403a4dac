package dev.sluice.serverless;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * What one tick of the scheduler did.
 *
 * @param scheduledTime the instant the tick was run for
 * @param tickStart the start of the tick its budget belongs to
 * @param budget jobs the limits allowed when the tick started
 * @param released jobs now on the invocation queue
 * @param unsent jobs whose send failed (given back; their messages come back)
 * @param returned messages made visible again (did not fit, or a send failed)
 * @param deleted messages deleted from the event queue
 * @param unreadable messages that cannot be read, left for the dead-letter queue
 * @param dropped records deliberately not released (test events, filters)
 * @param rejected records that could not be read beside readable ones
 * @param backlog approximate visible messages on the event queue after the tick, -1 if unknown
 * @param inFlight jobs holding an in-flight slot after the tick, -1 without a max-in-flight limit
 */
public record TickReport(
    Instant scheduledTime,
    Instant tickStart,
    int budget,
    int released,
    int unsent,
    int returned,
    int deleted,
    int unreadable,
    int dropped,
    int rejected,
    long backlog,
    long inFlight) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One JSON line for the function's log. */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("message", "tick");
    n.put("scheduledTime", scheduledTime.toString());
    n.put("tickStart", tickStart.toString());
    n.put("budget", budget);
    n.put("released", released);
    n.put("unsent", unsent);
    n.put("returned", returned);
    n.put("deleted", deleted);
    n.put("unreadable", unreadable);
    n.put("dropped", dropped);
    n.put("rejected", rejected);
    n.put("backlog", backlog);
    n.put("inFlight", inFlight);
    return n.toString();
  }
}
