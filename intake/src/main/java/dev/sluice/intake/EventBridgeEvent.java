package dev.sluice.intake;

import static dev.sluice.intake.JsonFields.optionalString;
import static dev.sluice.intake.JsonFields.requiredObject;
import static dev.sluice.intake.JsonFields.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ObjectEvent;
import java.util.Map;

/**
 * An EventBridge event from S3 ({@code source: aws.s3}): {@code detail-type} "Object Created" (or
 * "Object Deleted", ...), {@code detail.bucket.name}, {@code detail.object.key}, {@code size},
 * {@code etag}, {@code version-id}, {@code sequencer}, and {@code time}.
 *
 * <p>EventBridge has no S3 event name; one is derived so that the same event-name filters apply to
 * every shape: "Object Created" with {@code reason} PutObject is {@code ObjectCreated:Put},
 * CopyObject {@code ObjectCreated:Copy}, and so on; "Object Deleted" is {@code
 * ObjectRemoved:Delete} or {@code ObjectRemoved:DeleteMarkerCreated}; any other detail-type is kept
 * as it is (e.g. {@code Object Restore Completed}) and so falls outside {@code ObjectCreated:*}.
 */
final class EventBridgeEvent {

  static final String S3_SOURCE = "aws.s3";

  private static final Map<String, String> CREATED_BY_REASON =
      Map.of(
          "PutObject", "Put",
          "POST Object", "Post",
          "CopyObject", "Copy",
          "CompleteMultipartUpload", "CompleteMultipartUpload");

  private EventBridgeEvent() {}

  /** True when the body looks like an EventBridge event of any source. */
  static boolean isEventBridge(JsonNode root) {
    return root.has("detail-type") && root.has("source");
  }

  /**
   * Why the body is not an S3 event, or null when it is one (the scheduled event and other
   * EventBridge events are bodies Sluice cannot use, not records to drop).
   */
  static String notS3(JsonNode root) {
    JsonNode source = root.get("source");
    if (source != null && source.isTextual() && S3_SOURCE.equals(source.textValue())) {
      return null;
    }
    return "EventBridge event from source "
        + describe(source)
        + " (detail-type "
        + describe(root.get("detail-type"))
        + ") is not an S3 event; expected source 'aws.s3'";
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    return node.isTextual()
        ? "'" + NotificationRecord.shorten(node.textValue()) + "'"
        : JsonFields.describe(node);
  }

  /** The derived S3 event name (see the class comment). */
  static String eventName(JsonNode root) {
    String detailType = requiredString(root, "detail-type", "detail-type");
    JsonNode detail = root.path("detail");
    switch (detailType) {
      case "Object Created":
        String reason = detail.path("reason").asText("");
        String created = CREATED_BY_REASON.get(reason);
        return "ObjectCreated:" + (created != null ? created : reason.isEmpty() ? "Put" : reason);
      case "Object Deleted":
        return "Delete Marker Created".equals(detail.path("deletion-type").asText(""))
            ? "ObjectRemoved:DeleteMarkerCreated"
            : "ObjectRemoved:Delete";
      default:
        return detailType;
    }
  }

  /**
   * The event this S3 EventBridge event describes.
   *
   * @throws InvalidRecordException naming the field at fault
   */
  static ObjectEvent toEvent(JsonNode root, String eventName, SourceOptions options) {
    JsonNode detail = requiredObject(root, "detail", "detail");
    JsonNode bucket = requiredObject(detail, "bucket", "detail.bucket");
    JsonNode object = requiredObject(detail, "object", "detail.object");
    String bucketName = requiredString(bucket, "name", "detail.bucket.name");
    String key =
        NotificationRecord.decodeKey(
            requiredString(object, "key", "detail.object.key"),
            options.keyEncoding(),
            null,
            "detail.object.key");
    Long size = NotificationRecord.size(object, "detail.object.size");
    String eTag = NotificationRecord.unquote(optionalString(object, "etag", "detail.object.etag"));
    String versionId = optionalString(object, "version-id", "detail.object.version-id");
    String sequencer = optionalString(object, "sequencer", "detail.object.sequencer");
    var eventTime = NotificationRecord.parseTime(optionalString(root, "time", "time"), "time");
    return new ObjectEvent(
        bucketName, key, size, eTag, versionId, sequencer, eventName, eventTime, options.source());
  }
}
