package dev.sluice.targets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Job;
import dev.sluice.core.batch.Batch;

/**
 * The JSON document a target receives for a batch: the batch's idempotency key, its partition and
 * size, and its members as {@code items}, each the document a job of one event gets ({@link
 * JobJson}). A member's {@code idempotencyKey} is what a partial-failure answer names it by ({@link
 * BatchItemFailures}).
 *
 * <pre>{@code
 * {"batch":"<64 hex>","partition":"photos","size":2,
 *  "items":[{"bucket":"photos","key":"a.jpg",...,"idempotencyKey":"<64 hex>","attempt":1,
 *            "releasedAt":"...","eventId":7,"releaseId":9},
 *           {...}]}
 * }</pre>
 */
public final class BatchJson {

  private BatchJson() {}

  /** The batch as a fresh JSON object, members in claim order. */
  public static ObjectNode toNode(Batch batch) {
    ObjectNode node = JobJson.eventNode(null);
    node.put("batch", batch.idempotencyKey());
    node.put("partition", batch.partition());
    node.put("size", batch.size());
    ArrayNode items = node.putArray("items");
    for (Job member : batch.members()) {
      items.add(JobJson.toNode(member));
    }
    return node;
  }

  /** The batch as compact JSON text on one line. */
  public static String toJson(Batch batch) {
    return JobJson.write(toNode(batch));
  }
}
