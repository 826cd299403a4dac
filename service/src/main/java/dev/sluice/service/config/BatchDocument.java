package dev.sluice.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionShares;
import java.time.Duration;

/**
 * The batch settings as a document, with the keys and checks of the config file's {@code batch:}
 * section: {@code {"max": 20, "wait": "30s"}}. Read from the file, patched at runtime ({@code PATCH
 * /v1/batch}) and shared between nodes in this one form.
 */
public final class BatchDocument {
  static final String SECTION = "batch";

  private BatchDocument() {}

  /** The settings of a {@code batch:} section: a key left out takes its default (no batching). */
  static BatchSettings read(YamlSection s) {
    s.allowOnly("max", "wait");
    return apply(BatchSettings.NONE, s);
  }

  /**
   * {@code current} changed by the keys {@code patch} names ({@code max}, {@code wait}), the others
   * kept. {@code count} may be sent as it is ({@code count}, what a GET shows); a different one is
   * refused, since what the limits count is set in the config file only.
   *
   * @param count what the limits count now ({@code limits.count})
   * @throws ConfigException naming the key and the problem
   */
  public static BatchSettings patch(BatchSettings current, LimitCount count, JsonNode patch) {
    if (patch == null || !patch.isObject() || patch.isEmpty()) {
      throw new ConfigException("batch: expected an object with at least one of max and wait");
    }
    YamlSection s = YamlSection.at(SECTION, patch);
    s.allowOnly("max", "wait", "count");
    LimitCount asked = s.choice("count", LimitCount.class, count);
    if (asked != count) {
      throw new ConfigException(
          "count: what the limits count (limits.count: "
              + count.word()
              + ") is set in the config file only: batches in flight hold their permits in that"
              + " unit, so changing it while they run would miscount them; got "
              + asked.word());
    }
    return apply(current, s);
  }

  private static BatchSettings apply(BatchSettings base, YamlSection s) {
    int max = s.integer("max", base.max());
    Duration wait = s.duration("wait", base.maxWait());
    return YamlSection.buildAt(SECTION, () -> new BatchSettings(max, wait));
  }

  /** Settings as {@link #write} wrote them. */
  public static BatchSettings read(JsonNode node) {
    return read(YamlSection.at(SECTION, node));
  }

  public static ObjectNode write(BatchSettings b, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    o.put("max", b.max());
    o.put("wait", DurationText.format(b.maxWait()));
    return o;
  }

  /**
   * Refuses batch settings under which a batch could never go: counting objects, a batch of K takes
   * K permits at once, so every limit must allow K. The check of the config file, for a change made
   * at runtime to either side.
   *
   * @throws ConfigException naming {@code batch.max} and the limit that is too small
   */
  public static void checkAgainst(BatchSettings settings, LimitCount count, Limits limits) {
    try {
      new BatchConfig(settings, count).checkAgainst(limits);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /**
   * Refuses batch settings under which a partition's batches could never go: a cap on its events in
   * flight below K. The check of the config file, for a change made at runtime to either side.
   *
   * @throws ConfigException naming the cap and {@code batch.max}
   */
  public static void checkAgainst(
      BatchSettings settings, LimitCount count, PartitionShares shares) {
    try {
      new BatchConfig(settings, count).checkAgainst(shares);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }
}
