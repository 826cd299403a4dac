package dev.sluice.serverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * How Lambda reads a function's answer to an SQS batch with {@code ReportBatchItemFailures}: an
 * empty or missing {@code batchItemFailures} is a complete success; each listed {@code
 * itemIdentifier} is a failed message; an answer that is not JSON, or that names an identifier that
 * is empty, null or not in the batch, fails the whole batch.
 */
final class BatchItemFailures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BatchItemFailures() {}

  /**
   * The failed message ids of {@code batch}, or empty when the whole batch failed.
   *
   * @param answer what the function returned
   * @param batch the message ids it was given
   */
  static Optional<Set<String>> of(String answer, Set<String> batch) {
    if (answer == null || answer.isBlank()) {
      return Optional.of(Set.of());
    }
    JsonNode root;
    try {
      root = JSON.readTree(answer);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (root == null || root.isNull()) {
      return Optional.of(Set.of());
    }
    if (!root.isObject()) {
      return Optional.empty();
    }
    JsonNode failures = root.get("batchItemFailures");
    if (failures == null || failures.isNull()) {
      return Optional.of(Set.of());
    }
    if (!failures.isArray()) {
      return Optional.empty();
    }
    Set<String> failed = new HashSet<>();
    for (JsonNode f : failures) {
      JsonNode id = f.get("itemIdentifier");
      if (id == null
          || !id.isTextual()
          || id.textValue().isEmpty()
          || !batch.contains(id.textValue())) {
        return Optional.empty();
      }
      failed.add(id.textValue());
    }
    return Optional.of(failed);
  }
}
