package dev.sluice.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.IntStream;

/** S3 event notification bodies ({@code {"Records": [...]}}) as S3 posts them to a webhook. */
final class Notifications {
  static final String BUCKET = "landing";

  private Notifications() {}

  /** One ObjectCreated:Put record for {@code key}, with a sequencer that makes it one version. */
  static ObjectNode record(String key) {
    ObjectNode r = ApiCalls.JSON.createObjectNode();
    r.put("eventVersion", "2.1");
    r.put("eventSource", "aws:s3");
    r.put("eventTime", "2026-01-01T00:00:00.000Z");
    r.put("eventName", "ObjectCreated:Put");
    ObjectNode s3 = r.putObject("s3");
    s3.putObject("bucket").put("name", BUCKET);
    s3.putObject("object")
        .put("key", key)
        .put("size", 1024)
        .put("eTag", "etag-" + key)
        .put("sequencer", sequencer(key));
    return r;
  }

  /** The sequencer {@link #record} gives {@code key}. */
  static String sequencer(String key) {
    return "00" + Integer.toHexString(key.hashCode()).toUpperCase();
  }

  static String of(ObjectNode... records) {
    return of(List.of(records));
  }

  static String of(List<ObjectNode> records) {
    ObjectNode body = ApiCalls.JSON.createObjectNode();
    ArrayNode arr = body.putArray("Records");
    records.forEach(arr::add);
    return body.toString();
  }

  /** A body with one record per key. */
  static String forKeys(List<String> keys) {
    return of(keys.stream().map(Notifications::record).toList());
  }

  /** Keys {@code prefix-00000} ... for {@code count} objects starting at {@code from}. */
  static List<String> keys(String prefix, int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> String.format("%s-%05d.parquet", prefix, i))
        .toList();
  }
}
