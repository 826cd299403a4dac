package dev.sluice.serverless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ExecutionName;
import dev.sluice.core.ObjectEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The message Sluice puts on its queues: one event, the attempt it is on, and on the invocation
 * queue the name of the execution that runs that attempt.
 *
 * <pre>{@code
 * {"sluice": 1, "bucket": "b", "key": "decoded key", "size": 123, "eTag": "...",
 *  "versionId": "...", "sequencer": "...", "eventName": "ObjectCreated:Put",
 *  "eventTime": "2026-03-01T12:00:00Z", "source": "s3", "attempt": 1,
 *  "executionName": "key-<40 hex>-1"}
 * }</pre>
 *
 * {@code sluice} is the format's version; a reader refuses a version it does not know. Optional
 * fields are left out when unknown; {@code executionName} is written by the scheduler (the intake
 * function leaves it out) and is always {@link ExecutionName#of} the event's identity and attempt.
 *
 * @param event the event, its key decoded
 * @param attempt 1 for the first, one more per retry after a failed execution
 * @param executionName the execution name, or null where none is chosen yet
 */
public record SluiceMessage(ObjectEvent event, int attempt, String executionName) {

  /** The field that marks a Sluice message, holding the format version. */
  public static final String VERSION_FIELD = "sluice";

  /** The format version this code writes and reads. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  public SluiceMessage {
    Objects.requireNonNull(event, "event");
    if (attempt < 1 || attempt > ExecutionName.MAX_ATTEMPT) {
      throw new IllegalArgumentException(
          "attempt must be in 1.." + ExecutionName.MAX_ATTEMPT + ", got " + attempt);
    }
  }

  /** The first attempt of {@code event}, no execution chosen yet (as the intake function sends). */
  public static SluiceMessage firstAttempt(ObjectEvent event) {
    return new SluiceMessage(event, 1, null);
  }

  /** This attempt with its execution name, as the scheduler sends it to the invocation queue. */
  public SluiceMessage named() {
    return new SluiceMessage(event, attempt, ExecutionName.of(event.identity(), attempt));
  }

  /** The message of the next attempt, no execution chosen yet (a retry through the gate). */
  public SluiceMessage nextAttempt() {
    return new SluiceMessage(event, attempt + 1, null);
  }

  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put(VERSION_FIELD, VERSION);
    n.put("bucket", event.bucket());
    n.put("key", event.key());
    if (event.size() != null) {
      n.put("size", event.size());
    }
    putIfSet(n, "eTag", event.eTag());
    putIfSet(n, "versionId", event.versionId());
    putIfSet(n, "sequencer", event.sequencer());
    putIfSet(n, "eventName", event.eventName());
    if (event.eventTime() != null) {
      n.put("eventTime", event.eventTime().toString());
    }
    putIfSet(n, "source", event.source());
    n.put("attempt", attempt);
    putIfSet(n, "executionName", executionName);
    return n.toString();
  }

  /** True when {@code node} claims to be a Sluice message (it has the version field). */
  public static boolean isSluiceMessage(JsonNode node) {
    return node != null && node.isObject() && node.has(VERSION_FIELD);
  }

  /**
   * Reads a message written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public static SluiceMessage fromJson(JsonNode n) {
    JsonNode version = n.get(VERSION_FIELD);
    if (version == null || !version.canConvertToInt() || version.intValue() != VERSION) {
      throw new IllegalArgumentException(
          "sluice: this reader knows format version " + VERSION + ", got " + version);
    }
    String bucket = requiredText(n, "bucket");
    String key = requiredText(n, "key");
    Long size = null;
    JsonNode sizeNode = n.get("size");
    if (sizeNode != null && !sizeNode.isNull()) {
      if (!sizeNode.canConvertToLong()
          || !sizeNode.isIntegralNumber()
          || sizeNode.longValue() < 0) {
        throw new IllegalArgumentException("size must be a whole number >= 0, got " + sizeNode);
      }
      size = sizeNode.longValue();
    }
    Instant eventTime = null;
    String time = optionalText(n, "eventTime");
    if (time != null) {
      try {
        eventTime = Instant.parse(time);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "eventTime must be an ISO-8601 instant, got '" + time + "'");
      }
    }
    int attempt = 1;
    JsonNode attemptNode = n.get("attempt");
    if (attemptNode != null && !attemptNode.isNull()) {
      if (!attemptNode.isIntegralNumber()
          || attemptNode.longValue() < 1
          || attemptNode.longValue() > ExecutionName.MAX_ATTEMPT) {
        throw new IllegalArgumentException(
            "attempt must be a whole number in 1.."
                + ExecutionName.MAX_ATTEMPT
                + ", got "
                + attemptNode);
      }
      attempt = attemptNode.intValue();
    }
    ObjectEvent event =
        new ObjectEvent(
            bucket,
            key,
            size,
            optionalText(n, "eTag"),
            optionalText(n, "versionId"),
            optionalText(n, "sequencer"),
            Objects.requireNonNullElse(optionalText(n, "eventName"), "ObjectCreated:Put"),
            eventTime,
            optionalText(n, "source"));
    return new SluiceMessage(event, attempt, optionalText(n, "executionName"));
  }

  /**
   * Reads the input of an execution Sluice started (see {@code ExecutionInput}: the same fields,
   * without the version field): which event and which attempt a status-change event is about.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public static SluiceMessage fromExecutionInput(JsonNode input) {
    if (input == null || !input.isObject()) {
      throw new IllegalArgumentException("input must be a JSON object, got " + input);
    }
    ObjectNode copy = ((ObjectNode) input).deepCopy();
    copy.put(VERSION_FIELD, VERSION);
    return fromJson(copy);
  }

  private static void putIfSet(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  private static String requiredText(JsonNode n, String field) {
    String value = optionalText(n, field);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + " is required and must be a non-empty string");
    }
    return value;
  }

  private static String optionalText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string, got " + v.getNodeType());
    }
    return v.textValue();
  }
}
