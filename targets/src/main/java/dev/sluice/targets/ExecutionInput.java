package dev.sluice.targets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ExecutionName;
import dev.sluice.core.ObjectEvent;

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

  /** The input as compact JSON text. */
  public static String of(ObjectEvent event, int attempt) {
    return JobJson.write(node(event, attempt));
  }
}
