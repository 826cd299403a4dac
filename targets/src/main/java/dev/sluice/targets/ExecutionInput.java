package dev.sluice.targets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ExecutionName;
import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.batch.Batch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The input of the Step Functions execution that runs one attempt of an event, in every shape
 * ({@code sluice serve} and the serverless functions alike): the event's fields as in {@link
 * JobJson}, its identity, idempotency key, the attempt and the execution name — nothing that
 * changes from one release of the same attempt to the next. Step Functions treats a second {@code
 * StartExecution} with the same name as the same request only when the input is the same too, so a
 * redelivery must send exactly the same text.
 *
 * <pre>{@code
 * {"bucket":"b","key":"k","size":5,"eTag":"...","sequencer":"...","eventName":"ObjectCreated:Put",
 *  "eventTime":"2026-01-01T00:00:00Z","source":"s3","identity":"b/k@s:...",
 *  "idempotencyKey":"<64 hex>","attempt":1,"executionName":"k-<40 hex>-1"}
 * }</pre>
 */
public final class ExecutionInput {

  private ExecutionInput() {}

  /** The input as a fresh JSON object. */
  public static ObjectNode node(ObjectEvent event, int attempt) {
    ObjectNode node = JobJson.eventNode(event);
    node.put("attempt", attempt);
    node.put("executionName", ExecutionName.of(event.identity(), attempt));
    return node;
  }

  /**
   * The input of the execution that runs one attempt of a batch, ready for a Distributed Map whose
   * {@code ItemsPath} is {@code $.items}: the batch's key, partition and size, the attempt and the
   * execution name, and {@code items}, each member's event as in {@link #node(ObjectEvent, int)}
   * without the per-release fields, ordered by idempotency key so that a repeat of the same members
   * sends the same text.
   *
   * <pre>{@code
   * {"batch":"<64 hex>","partition":"photos","size":2,"attempt":1,
   *  "executionName":"photos-<40 hex>-1",
   *  "items":[{"bucket":"photos","key":"a.jpg",...,"idempotencyKey":"<64 hex>"},{...}]}
   * }</pre>
   */
  public static String ofBatch(Batch batch, int attempt) {
    ObjectNode node = JobJson.eventNode(null);
    node.put("batch", batch.idempotencyKey());
    node.put("partition", batch.partition());
    node.put("size", batch.size());
    node.put("attempt", attempt);
    node.put("executionName", ExecutionName.ofBatch(batch, attempt));
    List<Job> members = new ArrayList<>(batch.members());
    members.sort(Comparator.comparing(Job::idempotencyKey));
    ArrayNode items = node.putArray("items");
    for (Job member : members) {
      items.add(JobJson.eventNode(member.event()));
    }
    return JobJson.write(node);
  }

  /** The input as compact JSON text. */
  public static String of(ObjectEvent event, int attempt) {
    return JobJson.write(node(event, attempt));
  }
}
