package dev.sluice.serverless;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * CloudWatch embedded metric format: one JSON log line that CloudWatch turns into metrics,
 * namespace {@value #NAMESPACE}, dimension {@code Pipeline}, every metric a count.
 */
public final class EmbeddedMetrics {
  public static final String NAMESPACE = "Sluice";

  private static final ObjectMapper JSON = new ObjectMapper();

  private EmbeddedMetrics() {}

  /** The line for {@code values} (metric name to value) at {@code at}. */
  public static String line(String pipeline, Instant at, Map<String, ? extends Number> values) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", at.toEpochMilli());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    directive.putArray("Dimensions").addArray().add("Pipeline");
    ArrayNode metrics = directive.putArray("Metrics");
    root.put("Pipeline", pipeline);
    values.forEach(
        (name, value) -> {
          metrics.addObject().put("Name", name).put("Unit", "Count");
          root.put(name, value.longValue());
        });
    return root.toString();
  }
}
