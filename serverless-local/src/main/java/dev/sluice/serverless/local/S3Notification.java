package dev.sluice.serverless.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ObjectEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The S3 event notification S3 sends a function for one new object: {@code {"Records": [...]}},
 * event version 2.1, the key form-encoded as S3 writes it (a space is {@code +}, a plus is {@code
 * %2B}, a slash stays a slash), the event time to the millisecond.
 */
public final class S3Notification {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private S3Notification() {}

  /**
   * The notification of {@code event}, as S3 in {@code region} would send it.
   *
   * @param event the object's event, its key decoded
   */
  public static String of(ObjectEvent event, String region) {
    Objects.requireNonNull(event, "event");
    ObjectNode root = JSON.createObjectNode();
    ObjectNode r = root.putArray("Records").addObject();
    r.put("eventVersion", "2.1");
    r.put("eventSource", "aws:s3");
    r.put("awsRegion", region);
    r.put(
        "eventTime",
        EVENT_TIME.format(Objects.requireNonNullElse(event.eventTime(), Instant.EPOCH)));
    r.put("eventName", event.eventName());
    r.putObject("userIdentity").put("principalId", "local");
    r.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
    ObjectNode s3 = r.putObject("s3");
    s3.put("s3SchemaVersion", "1.0");
    s3.put("configurationId", "sluice-intake");
    s3.putObject("bucket").put("name", event.bucket()).put("arn", "arn:aws:s3:::" + event.bucket());
    ObjectNode object = s3.putObject("object");
    object.put("key", encodedKey(event.key()));
    if (event.size() != null) {
      object.put("size", event.size());
    }
    if (event.eTag() != null) {
      object.put("eTag", event.eTag());
    }
    if (event.versionId() != null) {
      object.put("versionId", event.versionId());
    }
    if (event.sequencer() != null) {
      object.put("sequencer", event.sequencer());
    }
    return root.toString();
  }

  /** A key as S3 writes it into a notification: form-encoded, slashes left alone. */
  public static String encodedKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }
}
