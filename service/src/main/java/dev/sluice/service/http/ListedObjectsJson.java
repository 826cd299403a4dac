package dev.sluice.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ListedObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /v1/events/lookup} and {@code POST /v1/events/listed}: {@code
 * {"source": "backfill", "objects": [{"bucket", "key", "eTag", "size", "lastModified"}, ...]}},
 * where only bucket and key are required. A wrong field is a 400 that names it.
 */
final class ListedObjectsJson {
  /** Most objects one request may carry: one listing page. */
  static final int MAX_OBJECTS = 1_000;

  /** The source of listed events when the body names none. */
  static final String DEFAULT_SOURCE = "backfill";

  private static final Pattern SOURCE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private ListedObjectsJson() {}

  static List<ListedObject> objects(JsonNode body) {
    JsonNode objects = body == null ? null : body.get("objects");
    if (objects == null || !objects.isArray()) {
      throw new ApiError(400, "the body must be {\"objects\": [{\"bucket\": ..., \"key\": ...}]}");
    }
    if (objects.size() > MAX_OBJECTS) {
      throw new ApiError(
          400,
          "objects holds " + objects.size() + " objects; send at most " + MAX_OBJECTS + " a call");
    }
    List<ListedObject> out = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      JsonNode o = objects.get(i);
      String at = "objects[" + i + "]";
      if (!o.isObject()) {
        throw new ApiError(400, at + " must be an object");
      }
      out.add(
          new ListedObject(
              required(o, "bucket", at),
              required(o, "key", at),
              optionalText(o, "eTag", at),
              size(o, at),
              lastModified(o, at)));
    }
    return out;
  }

  static String source(JsonNode body) {
    JsonNode s = body == null ? null : body.get("source");
    if (s == null || s.isNull()) {
      return DEFAULT_SOURCE;
    }
    if (!s.isTextual() || !SOURCE.matcher(s.asText()).matches()) {
      throw new ApiError(
          400, "source must be a short name of lowercase letters, digits and '-', got " + s);
    }
    return s.asText();
  }

  private static String required(JsonNode o, String field, String at) {
    String v = optionalText(o, field, at);
    if (v == null || v.isEmpty()) {
      throw new ApiError(400, at + "." + field + " is required");
    }
    return v;
  }

  private static String optionalText(JsonNode o, String field, String at) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ApiError(400, at + "." + field + " must be a string, got " + v);
    }
    if (v.asText().indexOf('\u0000') >= 0) {
      // as the intakes refuse it: no object store name holds one, a Postgres backlog cannot
      throw new ApiError(400, at + "." + field + " contains a NUL character (U+0000)");
    }
    return v.asText();
  }

  private static Long size(JsonNode o, String at) {
    JsonNode v = o.get("size");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
      throw new ApiError(400, at + ".size must be a whole number >= 0, got " + v);
    }
    return v.asLong();
  }

  private static Instant lastModified(JsonNode o, String at) {
    String v = optionalText(o, "lastModified", at);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiError(
          400,
          at + ".lastModified must be an ISO-8601 instant like 2026-01-01T00:00:00Z, got " + v);
    }
  }
}
