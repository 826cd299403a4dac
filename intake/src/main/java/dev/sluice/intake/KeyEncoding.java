package dev.sluice.intake;

import java.util.Locale;

/**
 * How a source encodes object keys in its notifications.
 *
 * <ul>
 *   <li>{@link #FORM}: form-encoded, as AWS S3 and MinIO send them ({@code +} is a space, {@code
 *       %2B} a plus, {@code %2F} a slash). Also used for EventBridge {@code detail.object.key}:
 *       form-decoding a key sent as {@code %20} or {@code +} gives the same key, and a literal key
 *       without {@code +} or {@code %} is left as it is.
 *   <li>{@link #RAW}: the key as stored, as Ceph RGW sends it. Form-decoding such a key would turn
 *       a literal {@code +} into a space.
 *   <li>{@link #AUTO}: per record, by its {@code eventSource}: {@code ceph:s3} is raw, everything
 *       else ({@code aws:s3}, {@code minio:s3}, EventBridge, unknown) is form-encoded.
 * </ul>
 */
public enum KeyEncoding {
  AUTO,
  FORM,
  RAW;

  private static final String CEPH_SOURCE = "ceph:s3";

  /** The encoding to apply to one record: {@link #FORM} or {@link #RAW}, never {@link #AUTO}. */
  KeyEncoding forEventSource(String eventSource) {
    if (this != AUTO) {
      return this;
    }
    return eventSource != null && eventSource.toLowerCase(Locale.ROOT).equals(CEPH_SOURCE)
        ? RAW
        : FORM;
  }

  /**
   * The decoded key.
   *
   * @throws IllegalArgumentException when a form-encoded key has a bad {@code %} sequence
   */
  String decode(String raw, String eventSource) {
    return forEventSource(eventSource) == RAW ? raw : FormEncodedKey.decode(raw);
  }
}
