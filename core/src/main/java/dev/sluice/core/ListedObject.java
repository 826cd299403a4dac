package dev.sluice.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One object as a bucket listing shows it: what a backfill takes and what a reconcile looks up. A
 * listing knows no version id and no sequencer, so the event it becomes has the identity bucket +
 * key + eTag (see {@link EventIdentity}).
 *
 * @param bucket bucket name
 * @param key decoded object key
 * @param eTag entity tag without quotes, or null when the listing gave none
 * @param size object size in bytes, or null
 * @param lastModified when the object was last written, or null
 */
public record ListedObject(
    String bucket, String key, String eTag, Long size, Instant lastModified) {

  /** The event name of a listed object: created at some time before the listing, by any means. */
  public static final String EVENT_NAME = "ObjectCreated:Listed";

  public ListedObject {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("bucket must not be empty");
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    eTag = unquoted(eTag);
  }

  /** An object known by bucket, key and eTag alone. */
  public static ListedObject of(String bucket, String key, String eTag) {
    return new ListedObject(bucket, key, eTag, null, null);
  }

  /**
   * The event this object becomes when it is taken from a listing; the event time is the last
   * modification.
   *
   * @param source where the listing came from, e.g. {@code backfill}
   */
  public ObjectEvent toEvent(String source) {
    return new ObjectEvent(bucket, key, size, eTag, null, null, EVENT_NAME, lastModified, source);
  }

  /**
   * Whether an event is of this object: the same bucket and key, and the same eTag unless one of
   * the two has none (a notification without an eTag still says the key was written).
   */
  public boolean matches(ObjectEvent event) {
    return bucket.equals(event.bucket())
        && key.equals(event.key())
        && (eTag == null || event.eTag() == null || eTag.equals(event.eTag()));
  }

  // S3 quotes the eTag in listings and headers, never in notifications.
  private static String unquoted(String eTag) {
    if (eTag == null) {
      return null;
    }
    String t = eTag.strip();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t.isEmpty() ? null : t;
  }
}
