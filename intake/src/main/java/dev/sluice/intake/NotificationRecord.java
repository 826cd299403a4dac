package dev.sluice.intake;

import static dev.sluice.intake.JsonFields.optionalCount;
import static dev.sluice.intake.JsonFields.optionalString;
import static dev.sluice.intake.JsonFields.requiredObject;
import static dev.sluice.intake.JsonFields.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ObjectEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** One entry of an S3 notification's {@code Records} array. */
final class NotificationRecord {

  /** The event names Sluice takes; everything else is dropped. */
  static final String FILTER = "ObjectCreated:*";

  private static final String CREATED_PREFIX = "ObjectCreated:";
  private static final String S3_PREFIX = "s3:";

  private NotificationRecord() {}

  /** The record's event name, which every record must have. */
  static String eventName(JsonNode record, String path) {
    return requiredString(record, "eventName", path + ".eventName");
  }

  /**
   * True for {@code ObjectCreated:*}, with or without the {@code s3:} prefix MinIO and Ceph keep.
   */
  static boolean isObjectCreated(String eventName) {
    String name =
        eventName.startsWith(S3_PREFIX) ? eventName.substring(S3_PREFIX.length()) : eventName;
    return name.startsWith(CREATED_PREFIX);
  }

  /**
   * The event this record describes.
   *
   * @param path where the record is, for messages: {@code Records[2]}
   * @throws InvalidRecordException naming the field at fault
   */
  static ObjectEvent toEvent(JsonNode record, String path, String eventName, String source) {
    JsonNode s3 = requiredObject(record, "s3", path + ".s3");
    JsonNode bucket = requiredObject(s3, "bucket", path + ".s3.bucket");
    JsonNode object = requiredObject(s3, "object", path + ".s3.object");
    String objectPath = path + ".s3.object";

    String bucketName = requiredString(bucket, "name", path + ".s3.bucket.name");
    String key = decodeKey(requiredString(object, "key", objectPath + ".key"), objectPath + ".key");
    Long size = optionalCount(object, "size", objectPath + ".size");
    String eTag = unquote(optionalString(object, "eTag", objectPath + ".eTag"));
    String versionId = optionalString(object, "versionId", objectPath + ".versionId");
    String sequencer = optionalString(object, "sequencer", objectPath + ".sequencer");
    Instant eventTime =
        parseTime(optionalString(record, "eventTime", path + ".eventTime"), path + ".eventTime");

    return new ObjectEvent(
        bucketName, key, size, eTag, versionId, sequencer, eventName, eventTime, source);
  }

  private static String decodeKey(String raw, String path) {
    String key;
    try {
      key = FormEncodedKey.decode(raw);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(path + " has invalid percent-encoding: " + e.getMessage());
    }
    if (key.isEmpty()) {
      throw new InvalidRecordException(path + " is empty");
    }
    return key;
  }

  /** S3 sends eTags bare, but HTTP-style sources quote them; identity must not depend on that. */
  private static String unquote(String eTag) {
    if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
      String inner = eTag.substring(1, eTag.length() - 1);
      return inner.isEmpty() ? null : inner;
    }
    return eTag;
  }

  private static Instant parseTime(String text, String path) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidRecordException(
          path + " is not an ISO-8601 time with offset, got '" + shorten(text) + "'");
    }
  }

  /** Keeps messages one short line even when a source sends a huge or multi-line value. */
  static String shorten(String text) {
    String head = text.length() <= 80 ? text : text.substring(0, 80) + "...";
    return head.replaceAll("\\p{Cntrl}", "?");
  }
}
