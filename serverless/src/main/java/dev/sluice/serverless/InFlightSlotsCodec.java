package dev.sluice.serverless;

import dev.sluice.core.gate.stored.InFlightSlots;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The in-flight slots as an item: {@code holders}, a map attribute from execution name to the epoch
 * millisecond its slot was taken. One item holds them all: at about 100 bytes a holder, the 400 KB
 * item limit allows a few thousand slots.
 */
public final class InFlightSlotsCodec implements ItemCodec<InFlightSlots> {

  /** The map attribute of slot holders. */
  public static final String HOLDERS = "holders";

  @Override
  public InFlightSlots empty() {
    return InFlightSlots.NONE;
  }

  @Override
  public InFlightSlots fromItem(String key, Map<String, AttributeValue> item) {
    AttributeValue holders = item.get(HOLDERS);
    if (holders == null || !holders.hasM()) {
      return InFlightSlots.NONE;
    }
    Map<String, Instant> out = new HashMap<>();
    holders.m().forEach((name, at) -> out.put(name, Instant.ofEpochMilli(Long.parseLong(at.n()))));
    return new InFlightSlots(out);
  }

  @Override
  public Map<String, AttributeValue> toItem(String key, InFlightSlots state) {
    Map<String, AttributeValue> holders = new HashMap<>();
    state
        .holders()
        .forEach(
            (name, at) ->
                holders.put(name, AttributeValue.fromN(Long.toString(at.toEpochMilli()))));
    return Map.of(HOLDERS, AttributeValue.fromM(holders));
  }
}
