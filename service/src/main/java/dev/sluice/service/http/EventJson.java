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
 * The body of {@code GET /v1/events/...}: where each event of one object stands, its place in the
 * release order ({@code "order"}: oldest first, or fair share between partitions) and its forecast
 * start. The reading (and the forecast's basis) is there only when one of them waits.
 */
final class EventJson {
  private EventJson() {}

  /**
   * How the events found are placed in the release order.
   *
   * @param order the order's name ({@link dev.sluice.service.forecast.ReleaseOrder#name})
   * @param permitsBefore for each event found, in order, the permits granted before it is reached,
   *     or null when it does not wait
   */
  record Placing(String order, List<Long> permitsBefore) {}

  static ObjectNode of(
      String bucket,
      String key,
      List<EventLocation> found,
      Placing placing,
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
    o.put("order", placing.order());
    // What the forecast starts from, so a reader can tell why it says what it says.
    if (reading != null) {
      o.put("latencySeconds", StatusJson.seconds(reading.latency()));
      o.put("lagSeconds", StatusJson.seconds(reading.lag()));
      // A position counts permits: batches when batches are counted as jobs.
      o.put("eventsPerPermit", reading.forecast().basis().eventsPerPermit());
    }
    ArrayNode events = o.putArray("events");
    for (int i = 0; i < found.size(); i++) {
      EventLocation l = found.get(i);
      Long before = placing.permitsBefore().get(i);
      ObjectNode e = events.addObject();
      e.put("eventId", l.eventId());
      e.put("identity", l.event().identity().toString());
      e.put("versionId", l.event().versionId());
      e.put("sequencer", l.event().sequencer());
      e.put("state", l.state().name().toLowerCase(Locale.ROOT));
      e.put("attempts", l.attempts());
      e.put("acceptedAt", l.acceptedAt().toString());
      e.put("dueAt", l.dueAt() == null ? null : l.dueAt().toString());
      e.put("partition", l.partition());
      e.put("ahead", l.ahead());
      e.put("aheadInPartition", l.aheadInPartition());
      e.put("position", before == null ? null : before + 1);
      if (before != null && forecast != null) {
        Instant start = forecast.startOfPermit(before, l.dueAt());
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
