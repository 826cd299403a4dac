package dev.sluice.targets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first characters of a response body and stops reading there, so an error page of any
 * size costs a bounded amount of memory and time.
 */
final class BodySnippet {
  private BodySnippet() {}

  /**
   * The first {@code maxChars} characters of {@code in} (UTF-8), stripped; what arrived if the body
   * is cut short; empty for no body.
   */
  static String read(InputStream in, int maxChars) {
    if (in == null) {
      return "";
    }
    // UTF-8 takes at most 4 bytes per character.
    int maxBytes = maxChars * 4;
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buffer = new byte[Math.min(8192, maxBytes)];
    try (in) {
      for (int n;
          kept.size() < maxBytes
              && (n = in.read(buffer, 0, Math.min(buffer.length, maxBytes - kept.size()))) > 0; ) {
        kept.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // A body cut short still tells the operator something; keep what arrived.
    }
    String text = kept.toString(StandardCharsets.UTF_8).strip();
    return text.length() > maxChars ? text.substring(0, maxChars) : text;
  }

  /** {@code text} cut to {@code maxChars} characters. */
  static String clip(String text, int maxChars) {
    return text.length() > maxChars ? text.substring(0, maxChars) + "..." : text;
  }
}
