package dev.sluice.targets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.SluiceException;
import java.time.Instant;

/**
 * The JSON document every target receives for a job: the event's fields, its identity and
 * idempotency key, and the release that carries it. Fields the source did not send are omitted,
 * never {@code null}. Instants are ISO-8601 strings.
 *
 * <pre>{@code
 * {"bucket":"b","key":"k","size":5,"eTag":"...","versionId":"...","sequencer":"...",
 *  "eventName":"ObjectCreated:Put","eventTime":"2026-01-01T00:00:00Z","source":"webhook",
 *  "identity":"b/k@v:...","idempotencyKey":"<64 hex>","attempt":1,
 *  "releasedAt":"2026-01-01T00:00:01Z","eventId":7,"releaseId":9}
 * }</pre>
 */
public final class JobJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JobJson() {}

  /** The job as a fresh, mutable JSON object (a caller may add fields, as the log target does). */
  public static ObjectNode toNode(Job job) {
    ObjectNode node = eventNode(job.event());
    node.put("attempt", job.attempt());
    putIfPresent(node, "releasedAt", job.releasedAt());
    node.put("eventId", job.eventId());
    node.put("releaseId", job.releaseId());
    return node;
  }

  /** The event's fields, its identity and idempotency key: what every job of it carries. */
  static ObjectNode eventNode(ObjectEvent event) {
    ObjectNode node = MAPPER.createObjectNode();
    if (event == null) {
      return node;
    }
    node.put("bucket", event.bucket());
    node.put("key", event.key());
    if (event.size() != null) {
      node.put("size", event.size());
    }
    putIfPresent(node, "eTag", event.eTag());
    putIfPresent(node, "versionId", event.versionId());
    putIfPresent(node, "sequencer", event.sequencer());
    putIfPresent(node, "eventName", event.eventName());
    putIfPresent(node, "eventTime", event.eventTime());
    putIfPresent(node, "source", event.source());
    node.put("identity", event.identity().toString());
    node.put("idempotencyKey", event.identity().idempotencyKey());
    return node;
  }

  /** The job as compact JSON text on one line. */
  public static String toJson(Job job) {
    return write(toNode(job));
  }

  /** Compact one-line text of a node built by {@link #toNode}. */
  static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // A tree of strings and numbers always serializes; failing here is a bug.
      throw new SluiceException("cannot write job JSON", e);
    }
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putIfPresent(ObjectNode node, String field, Instant value) {
    if (value != null) {
      node.put(field, value.toString());
    }
  }
}
