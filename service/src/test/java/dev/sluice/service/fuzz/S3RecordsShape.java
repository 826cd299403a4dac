package dev.sluice.service.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The S3 event notification ({@code {"Records": [...]}}, eventVersion 2.1) as S3 posts it: keys
 * form-encoded (a space is {@code +}, a plus is {@code %2B}), with or without size, eTag and
 * versionId.
 */
public final class S3RecordsShape implements ValidShape {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "s3-records";
  }

  @Override
  public String body(List<String> keys, Random random) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode records = body.putArray("Records");
    for (String key : keys) {
      records.add(record(key, random));
    }
    return body.toString();
  }

  /** One ObjectCreated:Put record; its sequencer is unique to the key, so it is one version. */
  static ObjectNode record(String key, Random random) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "2.1");
    r.put("eventSource", "aws:s3");
    r.put("awsRegion", "us-east-1");
    r.put("eventTime", "2026-11-25T00:00:00.000Z");
    r.put("eventName", "ObjectCreated:Put");
    ObjectNode s3 = r.putObject("s3");
    s3.put("s3SchemaVersion", "1.0");
    s3.putObject("bucket").put("name", "fuzz").put("arn", "arn:aws:s3:::fuzz");
    ObjectNode object = s3.putObject("object");
    object.put("key", URLEncoder.encode(key, StandardCharsets.UTF_8));
    if (random.nextBoolean()) {
      object.put("size", random.nextInt(1 << 20));
      object.put("eTag", Integer.toHexString(key.hashCode()));
    }
    if (random.nextInt(4) == 0) {
      object.put("versionId", "v-" + Integer.toHexString(key.hashCode()));
    }
    object.put("sequencer", String.format("%016X", (long) key.hashCode() & 0xffffffffL));
    return r;
  }
}
