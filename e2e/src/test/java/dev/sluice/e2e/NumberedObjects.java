package dev.sluice.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The objects the end-to-end tests upload, numbered from 0, and the S3 notifications that announce
 * them. Some keys need encoding (a space, a literal '+', non-ASCII): the notification carries them
 * form-encoded as S3 sends them, and the target must see them decoded.
 */
final class NumberedObjects {
  static final String BUCKET = "landing";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NUMBER = Pattern.compile("part[- ](\\d{5})");

  private NumberedObjects() {}

  /** The key of object {@code n} as stored in the bucket (decoded). */
  static String key(int n) {
    return switch (n % 10) {
      case 3 -> String.format("data/year=2026/part %05d.parquet", n);
      case 7 -> String.format("data/a+b/part-%05d-\u00fc.parquet", n);
      default -> String.format("data/part-%05d.parquet", n);
    };
  }

  /** The key as an S3 notification carries it: form-encoded, '/' left alone. */
  static String encodedKey(int n) {
    return URLEncoder.encode(key(n), StandardCharsets.UTF_8).replace("%2F", "/");
  }

  /** The number in a decoded key, or -1 when the key is not one of ours. */
  static int numberOf(String key) {
    Matcher m = NUMBER.matcher(key);
    if (!m.find()) {
      return -1;
    }
    int n = Integer.parseInt(m.group(1));
    return key(n).equals(key) ? n : -1;
  }

  /** One S3 notification body ({@code {"Records": [...]}}) announcing the given objects. */
  static byte[] notification(List<Integer> numbers) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode records = root.putArray("Records");
    for (int n : numbers) {
      ObjectNode record = records.addObject();
      record.put("eventVersion", "2.1");
      record.put("eventSource", "aws:s3");
      record.put("awsRegion", "us-east-1");
      record.put("eventTime", "2026-01-01T00:00:00.000Z");
      record.put("eventName", "ObjectCreated:Put");
      ObjectNode s3 = record.putObject("s3");
      s3.putObject("bucket").put("name", BUCKET);
      s3.putObject("object")
          .put("key", encodedKey(n))
          .put("size", 1_000 + n)
          .put("eTag", String.format("etag-%d", n))
          .put("sequencer", String.format("%016X", n + 1));
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
