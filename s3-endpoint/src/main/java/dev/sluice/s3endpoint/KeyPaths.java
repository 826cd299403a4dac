package dev.sluice.s3endpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The path under a bucket's directory where an object key is kept, and back.
 *
 * <p>S3 accepts any key of up to 1024 bytes of UTF-8, but a file system does not accept every such
 * path: a file name is at most 255 bytes, {@code .} and {@code ..} are not names of their own and
 * an empty name does not exist. A key is therefore split at {@code /} and each segment that a file
 * system keeps as it is stays as it is (so ordinary keys are plain files, as written by older
 * versions). Every other segment — empty, {@code .}, {@code ..}, longer than {@value #PLAIN_MAX}
 * bytes, or one that starts with the escape mark {@value #MARK} itself — is written as {@value
 * #MARK} followed by its percent-encoded UTF-8 bytes; when that is longer than one file name it is
 * cut into several path segments, each starting with the mark, all but the last ending with {@value
 * #CONTINUED}. The mapping is injective and reversible, and no path it produces has a segment that
 * leaves the bucket's directory.
 */
final class KeyPaths {
  /** S3's limit on a key, in bytes of UTF-8. */
  static final int MAX_KEY_BYTES = 1024;

  static final String MARK = "%~";
  static final String CONTINUED = "%+";

  /**
   * The directory of {@link #displaced} keys: an escaped segment's body never holds a {@code ~}, so
   * no key's own path starts with it.
   */
  static final String DISPLACED = MARK + MARK;

  // Below the file system's 255 bytes, so an escaped chunk with its mark and continuation fits.
  static final int PLAIN_MAX = 255;
  private static final int CHUNK = 240;

  private KeyPaths() {}

  static int utf8Length(String key) {
    return key.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The relative path, segments joined with {@code /}, at which {@code key} is stored. */
  static String encode(String key) {
    if (key == null) {
      return null;
    }
    String[] segments = key.split("/", -1);
    StringBuilder path = new StringBuilder(key.length() + 16);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        path.append('/');
      }
      String segment = segments[i];
      if (isPlain(segment)) {
        path.append(segment);
      } else {
        appendEscaped(path, segment);
      }
    }
    return path.toString();
  }

  /**
   * Where {@code key} is kept when its {@link #encode path} is taken by the other kind of entry: a
   * key {@code a} when {@code a/b} exists (a directory {@code a}), or the other way round. The
   * whole key, percent-encoded, in a directory of its own whose names are never a plain or escaped
   * segment; within it a file and a directory never share a name, as only directories end with
   * {@value #CONTINUED}.
   */
  static String displaced(String key) {
    StringBuilder path = new StringBuilder(DISPLACED);
    String body = percentEncode(key);
    int start = 0;
    do {
      int end = chunkEnd(body, start);
      path.append('/').append(body, start, end);
      if (end < body.length()) {
        path.append(CONTINUED);
      }
      start = end;
    } while (start < body.length());
    return path.toString();
  }

  /** The key stored at {@code path}; the inverse of {@link #encode} and {@link #displaced}. */
  static String decode(String path) {
    if (path == null || !path.contains(MARK)) {
      return path;
    }
    if (path.startsWith(DISPLACED + "/")) {
      String key =
          percentDecode(path.substring(DISPLACED.length() + 1).replace(CONTINUED + "/", ""));
      return key == null ? path : key;
    }
    List<String> segments = new ArrayList<>();
    StringBuilder escaped = null;
    for (String part : path.split("/", -1)) {
      if (escaped != null) {
        // A continued segment goes on in this part.
        if (!part.startsWith(MARK)) {
          return path; // not written by encode: show it as it is on disk
        }
        part = part.substring(MARK.length());
      } else if (part.startsWith(MARK)) {
        escaped = new StringBuilder();
        part = part.substring(MARK.length());
      } else {
        segments.add(part);
        continue;
      }
      if (part.endsWith(CONTINUED)) {
        escaped.append(part, 0, part.length() - CONTINUED.length());
        continue;
      }
      escaped.append(part);
      String segment = percentDecode(escaped.toString());
      if (segment == null) {
        return path;
      }
      segments.add(segment);
      escaped = null;
    }
    return escaped != null ? path : String.join("/", segments);
  }

  private static boolean isPlain(String segment) {
    return !segment.isEmpty()
        && !segment.equals(".")
        && !segment.equals("..")
        && !segment.startsWith(MARK)
        && segment.indexOf('\0') < 0
        && utf8Length(segment) <= PLAIN_MAX;
  }

  private static void appendEscaped(StringBuilder path, String segment) {
    String body = percentEncode(segment);
    int start = 0;
    do {
      int end = chunkEnd(body, start);
      path.append(MARK).append(body, start, end);
      if (end < body.length()) {
        path.append(CONTINUED).append('/');
      }
      start = end;
    } while (start < body.length());
  }

  private static int chunkEnd(String body, int start) {
    int end = Math.min(body.length(), start + CHUNK);
    // Keep a %XX escape within one chunk, so each file name is readable on its own.
    if (end < body.length()) {
      if (body.charAt(end - 1) == '%') {
        end -= 1;
      } else if (body.charAt(end - 2) == '%') {
        end -= 2;
      }
    }
    return end;
  }

  private static String percentEncode(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String percentDecode(String body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '%') {
        if (i + 2 >= body.length()) {
          return null;
        }
        int hi = Character.digit(body.charAt(i + 1), 16);
        int lo = Character.digit(body.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return null;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
