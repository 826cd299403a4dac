package dev.sluice.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.partition.PartitionShares;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fair-share settings of the {@code partitions} section as a document: {@code {"weights":
 * {"tenant-a/": 3}, "caps": {"tenant-b/": 20}, "default-weight": 1}}. The same keys in the config
 * file, in a {@code PATCH /v1/partitions} body and in the value nodes share through the store.
 */
public final class PartitionsDocument {
  static final String SECTION = "partitions";

  /** The keys of the section that set shares (the others say how partitions are formed). */
  static final String[] SHARE_KEYS = {"weights", "caps", "default-weight"};

  private PartitionsDocument() {}

  /** The weights, caps and default weight a {@code partitions} section sets. */
  static PartitionShares readShares(YamlSection s) {
    return merge(PartitionShares.EQUAL, s, true);
  }

  /**
   * {@code current} changed by {@code patch}: {@code weights} and {@code caps} are merged entry by
   * entry (an entry set to null is removed, so that partition takes the default weight or loses its
   * cap), {@code default-weight} replaced when given.
   *
   * @throws ConfigException naming the key and the problem
   */
  public static PartitionShares patch(PartitionShares current, JsonNode patch) {
    if (patch == null || !patch.isObject() || patch.isEmpty()) {
      throw new ConfigException(
          "partitions: expected an object with at least one of weights, caps and default-weight");
    }
    YamlSection s = YamlSection.at(SECTION, patch);
    s.allowOnly(SHARE_KEYS);
    return merge(current, s, false);
  }

  /** Settings as {@link #write} wrote them. */
  public static PartitionShares read(JsonNode node) {
    YamlSection s = YamlSection.at(SECTION, node);
    s.allowOnly(SHARE_KEYS);
    return merge(PartitionShares.EQUAL, s, true);
  }

  private static PartitionShares merge(PartitionShares base, YamlSection s, boolean whole) {
    Map<String, Integer> weights = entries(base.weights(), s.integerMap("weights", null), whole);
    Map<String, Integer> caps = entries(base.caps(), s.integerMap("caps", null), whole);
    int defaultWeight = s.integer("default-weight", base.defaultWeight());
    // PartitionShares' messages start with "partitions.", so they are qualified from the top.
    return YamlSection.buildAt("", () -> new PartitionShares(weights, caps, defaultWeight));
  }

  private static Map<String, Integer> entries(
      Map<String, Integer> base, Map<String, Integer> change, boolean whole) {
    if (change == null) {
      return base;
    }
    Map<String, Integer> out = new LinkedHashMap<>(whole ? Map.of() : base);
    change.forEach(
        (p, v) -> {
          if (v == null) {
            out.remove(p);
          } else {
            out.put(p, v);
          }
        });
    return out;
  }

  public static ObjectNode write(PartitionShares shares, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    ObjectNode w = o.putObject("weights");
    shares.weights().forEach(w::put);
    ObjectNode c = o.putObject("caps");
    shares.caps().forEach(c::put);
    o.put("default-weight", shares.defaultWeight());
    return o;
  }
}
