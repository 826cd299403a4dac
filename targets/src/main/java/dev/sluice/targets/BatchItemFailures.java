package dev.sluice.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a partial-failure answer to a batch, in the shape of Lambda's partial batch response:
 *
 * <pre>{@code
 * {"batchItemFailures":[{"itemIdentifier":"<a member's idempotencyKey>"}, ...]}
 * }</pre>
 *
 * The members named fail (retryably) and only they are released again; the others completed. As
 * Lambda does, an answer that names no member of the batch (an unknown, empty or missing
 * identifier) fails the whole batch, since which members failed cannot be told. An answer that is
 * not JSON, or has no {@code batchItemFailures} field, says nothing about members: the whole batch
 * completed.
 */
public final class BatchItemFailures {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BatchItemFailures() {}

  /**
   * The outcome of {@code batch} given the target's successful answer {@code body}; {@code who}
   * names the target in the failures' text.
   */
  public static BatchOutcome read(Batch batch, String body, String who) {
    JsonNode failures = failuresIn(body);
    if (failures == null || failures.isNull()) {
      return BatchOutcome.all(Outcome.completed());
    }
    if (!failures.isArray()) {
      return BatchOutcome.all(
          Outcome.retryable(who + " answered batchItemFailures that is not a list"));
    }
    Map<Long, Outcome> failed = new LinkedHashMap<>();
    for (JsonNode item : failures) {
      JsonNode id = item == null ? null : item.get("itemIdentifier");
      Job member = id == null || !id.isTextual() ? null : batch.memberWithKey(id.asText());
      if (member == null) {
        return BatchOutcome.all(
            Outcome.retryable(
                who
                    + " reported a failed item that is no member of the batch: "
                    + BodySnippet.clip(String.valueOf(item), 200)));
      }
      failed.put(
          member.eventId(),
          Outcome.retryable(who + " reported this item failed (batchItemFailures)"));
    }
    return BatchOutcome.except(Outcome.completed(), failed);
  }

  private static JsonNode failuresIn(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode root = MAPPER.readTree(body);
      return root != null && root.isObject() ? root.get("batchItemFailures") : null;
    } catch (IOException notJson) {
      return null;
    }
  }
}
