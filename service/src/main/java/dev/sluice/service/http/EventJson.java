package dev.sluice.service.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.forecast.DrainForecast;
import dev.sluice.service.forecast.FlowReading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The body of {@code GET /v1/events/...}: where each event of one object stands. The reading (and
 * the forecast's basis) is there only when one of them waits.
 */
final class EventJson {
  private EventJson() {}

  static ObjectNode of(
      String bucket,
      String key,
      List<EventLocation> found,
      Instant now,
      FlowReading reading,
      boolean paused,
      ObjectMapper json) {
    DrainForecast forecast = reading == null ? null : reading.forecast();
    ObjectNode o = json.createObjectNode();
    o.put("bucket", bucket);
    o.put("key", key);
    o.put("now", now.toString());
    o.put("paused", paused);
    // What the forecast starts from, so a reader can tell why it says what it says.
    if (reading != null) {
      o.put("latencySeconds", StatusJson.seconds(reading.latency()));
      o.put("lagSeconds", StatusJson.seconds(reading.lag()));
    }
    ArrayNode events = o.putArray("events");
    for (EventLocation l : found) {
      ObjectNode e = events.addObject();
      e.put("eventId", l.eventId());
      e.put("identity", l.event().identity().toString());
      e.put("versionId", l.event().versionId());
      e.put("sequencer", l.event().sequencer());
      e.put("state", l.state().name().toLowerCase(Locale.ROOT));
      e.put("attempts", l.attempts());
      e.put("acceptedAt", l.acceptedAt().toString());
      e.put("dueAt", l.dueAt() == null ? null : l.dueAt().toString());
      e.put("ahead", l.ahead());
      e.put("position", l.ahead() == null ? null : l.ahead() + 1);
      if (l.ahead() != null && forecast != null) {
        Instant start = forecast.startOf(l.ahead(), l.dueAt());
        e.put("forecastStart", start.toString());
        e.put("forecastStartInSeconds", StatusJson.seconds(Duration.between(now, start)));
      } else {
        e.putNull("forecastStart");
        e.putNull("forecastStartInSeconds");
      }
      e.put("lastError", l.lastError());
    }
    return o;
  }
}
