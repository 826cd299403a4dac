package dev.sluice.serverless;

import dev.sluice.core.gate.stored.AlignedWindowPolicy;
import dev.sluice.core.gate.stored.TickUsage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A tick's usage as an item: {@code used} (number), and {@code expiresAt} (epoch seconds, the
 * table's TTL attribute) one day after the tick's start, read from its key {@code tick#<epoch
 * second>}; a tick is never consulted again once it is over.
 */
public final class TickUsageCodec implements ItemCodec<TickUsage> {

  /** How long a tick's item is kept after the tick starts. */
  public static final Duration KEEP = Duration.ofDays(1);

  @Override
  public TickUsage empty() {
    return TickUsage.NONE;
  }

  @Override
  public TickUsage fromItem(String key, Map<String, AttributeValue> item) {
    AttributeValue used = item.get("used");
    return used == null || used.n() == null
        ? TickUsage.NONE
        : new TickUsage(Long.parseLong(used.n()));
  }

  @Override
  public Map<String, AttributeValue> toItem(String key, TickUsage state) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("used", AttributeValue.fromN(Long.toString(state.used())));
    if (key.startsWith(AlignedWindowPolicy.KEY_PREFIX)) {
      try {
        long start = Long.parseLong(key.substring(AlignedWindowPolicy.KEY_PREFIX.length()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(start + KEEP.toSeconds())));
      } catch (NumberFormatException e) {
        // Not a tick key of the contract's shape: kept without expiry rather than refused.
      }
    }
    return item;
  }
}
