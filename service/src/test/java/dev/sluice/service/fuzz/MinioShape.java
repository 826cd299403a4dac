package dev.sluice.service.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A MinIO webhook body ({@code event.Log}): {@code EventName}, {@code Key} as bucket/key, and
 * {@code Records} whose keys are Go's url.QueryEscape of the name, so {@code /} is {@code %2F}.
 */
public final class MinioShape implements ValidShape {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "minio";
  }

  @Override
  public String body(List<String> keys, Random random) {
    ObjectNode body = JSON.createObjectNode();
    body.put("EventName", "s3:ObjectCreated:Put");
    body.put("Key", "fuzz/" + keys.get(0));
    ArrayNode records = body.putArray("Records");
    for (String key : keys) {
      ObjectNode r = S3RecordsShape.record(key, random);
      r.put("eventVersion", "2.0");
      r.put("eventSource", "minio:s3");
      r.put("eventName", "s3:ObjectCreated:Put");
      // QueryEscape, like URLEncoder, writes a space as + and escapes '/'.
      ((ObjectNode) r.get("s3").get("object"))
          .put("key", URLEncoder.encode(key, StandardCharsets.UTF_8));
      records.add(r);
    }
    return body.toString();
  }
}
