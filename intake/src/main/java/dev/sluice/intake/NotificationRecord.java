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
import java.util.regex.Pattern;

/**
 * One entry of an S3 notification's {@code Records} array, as AWS S3, MinIO and Ceph RGW send it
 * (eventVersion 2.x). Tolerates what those senders differ in: {@code size} as a string and {@code
 * etag} in lower case (Ceph), an {@code eventTime} with a space instead of {@code T} (Ceph).
 */
final class NotificationRecord {

  /** 2.0 to 2.x: a new minor version only adds fields, which are ignored. */
  private static final Pattern SUPPORTED_VERSION = Pattern.compile("2(\\.\\d+)*");

  /** Ceph RGW: {@code 2021-02-19 02:03:08.330496Z}. */
  private static final Pattern SPACED_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:.*");

  private NotificationRecord() {}

  /** The record's event name, which every record must have. */
  static String eventName(JsonNode record, String path) {
    return requiredString(record, "eventName", path + ".eventName");
  }

  /**
   * The event this record describes.
   *
   * @param path where the record is, for messages: {@code Records[2]}
   * @throws InvalidRecordException naming the field at fault
   */
  static ObjectEvent toEvent(
      JsonNode record, String path, String eventName, SourceOptions options) {
    checkVersion(optionalString(record, "eventVersion", path + ".eventVersion"), path);
    String eventSource = optionalString(record, "eventSource", path + ".eventSource");
    JsonNode s3 = requiredObject(record, "s3", path + ".s3");
    JsonNode bucket = requiredObject(s3, "bucket", path + ".s3.bucket");
    JsonNode object = requiredObject(s3, "object", path + ".s3.object");
    String objectPath = path + ".s3.object";

    String bucketName = requiredString(bucket, "name", path + ".s3.bucket.name");
    String key =
        decodeKey(
            requiredString(object, "key", objectPath + ".key"),
            options.keyEncoding(),
            eventSource,
            objectPath + ".key");
    Long size = size(object, objectPath + ".size");
    String eTagField = object.hasNonNull("eTag") || !object.hasNonNull("etag") ? "eTag" : "etag";
    String eTag = unquote(optionalString(object, eTagField, objectPath + "." + eTagField));
    String versionId = optionalString(object, "versionId", objectPath + ".versionId");
    String sequencer = optionalString(object, "sequencer", objectPath + ".sequencer");
    Instant eventTime =
        parseTime(optionalString(record, "eventTime", path + ".eventTime"), path + ".eventTime");

    return new ObjectEvent(
        bucketName, key, size, eTag, versionId, sequencer, eventName, eventTime, options.source());
  }

  private static void checkVersion(String version, String path) {
    if (version != null && !SUPPORTED_VERSION.matcher(version).matches()) {
      throw new InvalidRecordException(
          path + ".eventVersion must be 2.x, got '" + shorten(version) + "'");
    }
  }

  /** A whole number, or a string of digits as Ceph RGW sends it. */
  static Long size(JsonNode object, String path) {
    JsonNode node = object.get("size");
    if (node != null && node.isTextual()) {
      String text = node.textValue();
      if (text.isEmpty()) {
        return null;
      }
      if (text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new InvalidRecordException(
            path + " must be a non-negative whole number, got a string ('" + shorten(text) + "')");
      }
      return Long.parseLong(text);
    }
    return optionalCount(object, "size", path);
  }

  static String decodeKey(String raw, KeyEncoding encoding, String eventSource, String path) {
    String key;
    try {
      key = encoding.decode(raw, eventSource);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(path + " has invalid percent-encoding: " + e.getMessage());
    }
    if (key.isEmpty()) {
      throw new InvalidRecordException(path + " is empty");
    }
    if (key.indexOf('\u0000') >= 0) {
      throw new InvalidRecordException(path + " decodes to a key with a NUL character (U+0000)");
    }
    return key;
  }

  /** S3 sends eTags bare, but HTTP-style sources quote them; identity must not depend on that. */
  static String unquote(String eTag) {
    if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
      String inner = eTag.substring(1, eTag.length() - 1);
      return inner.isEmpty() ? null : inner;
    }
    return eTag;
  }

  static Instant parseTime(String text, String path) {
    if (text == null) {
      return null;
    }
    String iso = SPACED_TIME.matcher(text).matches() ? text.replaceFirst(" ", "T") : text;
    try {
      return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
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
