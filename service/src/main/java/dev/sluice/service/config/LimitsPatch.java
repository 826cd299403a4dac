package dev.sluice.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.gate.Limits;
import java.util.Iterator;
import java.util.Map;

/**
 * A partial change of the limits: a document with the keys of {@link LimitsDocument} where a part
 * that is absent stays as it is, a part that is null is removed, and a part that is an object
 * changes the fields it names and keeps the others. {@code {"window": {"limit": 100}}} raises the
 * window limit and leaves its length, the rate and the concurrency alone.
 */
public final class LimitsPatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LimitsPatch() {}

  /**
   * The limits after the patch.
   *
   * @throws ConfigException naming the key and the problem; {@code current} is then unchanged
   */
  public static Limits apply(Limits current, JsonNode patch) {
    if (patch == null || !patch.isObject() || patch.isEmpty()) {
      throw new ConfigException(
          "limits: expected an object with at least one of window, rate and concurrency");
    }
    ObjectNode merged = LimitsDocument.write(current, JSON);
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> part = it.next();
      JsonNode value = part.getValue();
      JsonNode now = merged.get(part.getKey());
      if (value.isObject() && now != null && now.isObject()) {
        ((ObjectNode) now).setAll((ObjectNode) value.deepCopy());
      } else {
        // Unknown keys and wrong types are left for LimitsDocument to name.
        merged.set(part.getKey(), value.deepCopy());
      }
    }
    return LimitsDocument.read(merged);
  }
}
