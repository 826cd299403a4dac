package dev.sluice.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One normalized object event: what a source told us about one object change.
 *
 * <p>The key is always decoded (never URL-encoded). Optional fields are {@code null} when the
 * source did not send them.
 *
 * @param bucket bucket name
 * @param key decoded object key
 * @param size object size in bytes, or null
 * @param eTag entity tag without quotes, or null
 * @param versionId version id, or null for unversioned buckets
 * @param sequencer S3 sequencer (hex string), or null
 * @param eventName event name as the source sent it, e.g. {@code ObjectCreated:Put}
 * @param eventTime when the source says the change happened, or null
 * @param source where the event came from, e.g. {@code webhook}, {@code s3-endpoint}
 */
public record ObjectEvent(
    String bucket,
    String key,
    Long size,
    String eTag,
    String versionId,
    String sequencer,
    String eventName,
    Instant eventTime,
    String source) {

  public ObjectEvent {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("bucket must not be empty");
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
  }

  /** A created-object event with only the fields every source has. */
  public static ObjectEvent created(String bucket, String key, String source) {
    return new ObjectEvent(bucket, key, null, null, null, null, "ObjectCreated:Put", null, source);
  }

  public EventIdentity identity() {
    return EventIdentity.of(this);
  }
}
