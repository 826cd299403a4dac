package dev.sluice.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two deliveries the same event: bucket + decoded key + the most specific version marker
 * the source gave (versionId, else sequencer, else eTag).
 *
 * @param bucket bucket name
 * @param key decoded key
 * @param version {@code v:<versionId>}, {@code s:<sequencer>}, {@code e:<eTag>} or empty
 */
public record EventIdentity(String bucket, String key, String version) {

  static EventIdentity of(ObjectEvent e) {
    String version;
    if (notBlank(e.versionId())) {
      version = "v:" + e.versionId();
    } else if (notBlank(e.sequencer())) {
      version = "s:" + e.sequencer();
    } else if (notBlank(e.eTag())) {
      version = "e:" + e.eTag();
    } else {
      version = "";
    }
    return new EventIdentity(e.bucket(), e.key(), version);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  /**
   * A stable text form, unique per identity. NUL separates the parts because no S3 bucket name and
   * no version marker can contain it.
   */
  public String asString() {
    return bucket + '\u0000' + key + '\u0000' + version;
  }

  /** The inverse of {@link #asString()}. */
  public static EventIdentity fromString(String text) {
    int a = text.indexOf('\u0000');
    int b = text.lastIndexOf('\u0000');
    if (a < 0 || a == b) {
      throw new IllegalArgumentException("not an identity string: " + text);
    }
    return new EventIdentity(text.substring(0, a), text.substring(a + 1, b), text.substring(b + 1));
  }

  /**
   * A deterministic key for targets that deduplicate (HTTP {@code Idempotency-Key}, Step Functions
   * execution name): 64 hex chars of SHA-256 over {@link #asString()}, safe in headers and names.
   */
  public String idempotencyKey() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(asString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return bucket + "/" + key + (version.isEmpty() ? "" : "@" + version);
  }
}
