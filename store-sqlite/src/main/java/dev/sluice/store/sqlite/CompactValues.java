package dev.sluice.store.sqlite;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shorter stored forms of the event fields that repeat across millions of rows (schema 7). SQLite
 * types each value on its own, so a column holds the short form where one applies and the text
 * otherwise; reads turn either back into the exact text.
 *
 * <ul>
 *   <li>eTag: 32 lowercase hex characters (S3's single-part eTag) are stored as their 16 bytes, a
 *       BLOB; any other eTag (multipart {@code ...-N}, uppercase, other lengths) stays TEXT.
 *   <li>event name and source: a name in a fixed table is stored as a one-byte BLOB holding its
 *       code; any other stays TEXT. The columns have TEXT affinity, which would turn an INTEGER
 *       code into the text {@code "1"} (then indistinguishable from a name "1"), and a BLOB is
 *       never converted.
 * </ul>
 *
 * <p>The code tables are part of the file format: a code, once released, names the same text
 * forever (V7__compact_values.sql writes the same codes). New names may only be appended.
 */
final class CompactValues {

  /**
   * The event names S3 (and MinIO, Ceph with the {@code s3:} prefix) send, code = position + 1; the
   * same name with the {@code s3:} prefix has code + {@value #S3_PREFIXED}.
   */
  static final List<String> EVENT_NAMES =
      List.of(
          "ObjectCreated:Put",
          "ObjectCreated:Post",
          "ObjectCreated:Copy",
          "ObjectCreated:CompleteMultipartUpload",
          "ObjectRemoved:Delete",
          "ObjectRemoved:DeleteMarkerCreated",
          "ObjectRestore:Post",
          "ObjectRestore:Completed",
          "ObjectRestore:Delete",
          "ReducedRedundancyLostObject",
          "Replication:OperationFailedReplication",
          "Replication:OperationMissedThreshold",
          "Replication:OperationReplicatedAfterThreshold",
          "Replication:OperationNotTracked",
          "LifecycleExpiration:Delete",
          "LifecycleExpiration:DeleteMarkerCreated",
          "LifecycleTransition",
          "IntelligentTiering",
          "ObjectTagging:Put",
          "ObjectTagging:Delete",
          "ObjectAcl:Put");

  /** Added to an event name's code for the same name with the {@code s3:} prefix. */
  static final int S3_PREFIXED = 64;

  /** The sources Sluice's own intakes set, code = position + 1. */
  static final List<String> SOURCES = List.of("webhook", "sqs", "s3-endpoint", "s3", "reference");

  private static final Map<String, byte[]> EVENT_NAME_CODES = new HashMap<>();
  private static final String[] EVENT_NAME_BY_CODE = new String[128];
  private static final Map<String, byte[]> SOURCE_CODES = new HashMap<>();
  private static final String[] SOURCE_BY_CODE = new String[128];

  static {
    for (int i = 0; i < EVENT_NAMES.size(); i++) {
      int code = i + 1;
      String name = EVENT_NAMES.get(i);
      EVENT_NAME_CODES.put(name, new byte[] {(byte) code});
      EVENT_NAME_BY_CODE[code] = name;
      EVENT_NAME_CODES.put("s3:" + name, new byte[] {(byte) (code + S3_PREFIXED)});
      EVENT_NAME_BY_CODE[code + S3_PREFIXED] = "s3:" + name;
    }
    for (int i = 0; i < SOURCES.size(); i++) {
      SOURCE_CODES.put(SOURCES.get(i), new byte[] {(byte) (i + 1)});
      SOURCE_BY_CODE[i + 1] = SOURCES.get(i);
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CompactValues() {}

  /** The value to store for an eTag: its 16 bytes if it is 32 lowercase hex characters. */
  static Object eTag(String eTag) {
    if (eTag == null || eTag.length() != 32) {
      return eTag;
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < 16; i++) {
      int high = lowerHexDigit(eTag.charAt(2 * i));
      int low = lowerHexDigit(eTag.charAt(2 * i + 1));
      if (high < 0 || low < 0) {
        return eTag;
      }
      bytes[i] = (byte) (high << 4 | low);
    }
    return bytes;
  }

  /** The eTag a stored value stands for. */
  static String eTagOf(Object stored) {
    if (stored instanceof byte[] bytes) {
      char[] text = new char[bytes.length * 2];
      for (int i = 0; i < bytes.length; i++) {
        text[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
        text[2 * i + 1] = HEX[bytes[i] & 0xf];
      }
      return new String(text);
    }
    return (String) stored;
  }

  /** The value to store for an event name: its code if the name is in the table. */
  static Object eventName(String name) {
    return coded(EVENT_NAME_CODES, name);
  }

  /** The event name a stored value stands for. */
  static String eventNameOf(Object stored) {
    return decoded(EVENT_NAME_BY_CODE, stored, "event name");
  }

  /** The value to store for a source: its code if the source is one Sluice sets. */
  static Object source(String source) {
    return coded(SOURCE_CODES, source);
  }

  /** The source a stored value stands for. */
  static String sourceOf(Object stored) {
    return decoded(SOURCE_BY_CODE, stored, "source");
  }

  private static Object coded(Map<String, byte[]> codes, String text) {
    if (text == null) {
      return null;
    }
    byte[] code = codes.get(text);
    return code == null ? text : code;
  }

  private static String decoded(String[] byCode, Object stored, String what) {
    if (stored instanceof byte[] bytes) {
      String text = bytes.length == 1 && bytes[0] > 0 ? byCode[bytes[0]] : null;
      if (text == null) {
        // a code this release does not know: the file was written by a newer one
        throw new IllegalStateException("unknown " + what + " code in backlog file");
      }
      return text;
    }
    return (String) stored;
  }

  private static int lowerHexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    } else if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
