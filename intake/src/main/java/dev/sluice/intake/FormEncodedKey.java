package dev.sluice.intake;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An object key as S3 sends it in notifications: form-encoded ({@code +} is a space, {@code %XX} is
 * a byte of UTF-8). AWS sends a space as {@code +}; MinIO sends a literal {@code +} as {@code %2B};
 * form-decoding handles both.
 *
 * <p>Decoding is {@link URLDecoder} with UTF-8. It is checked first because {@link URLDecoder}
 * silently replaces malformed UTF-8 with U+FFFD, which would turn a bad key into a different, wrong
 * key instead of a rejected record.
 */
public final class FormEncodedKey {

  private FormEncodedKey() {}

  /**
   * The decoded key.
   *
   * @throws IllegalArgumentException naming the position of a bad {@code %} sequence or of bytes
   *     that are not UTF-8
   */
  public static String decode(String raw) {
    check(raw);
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  private static void check(String raw) {
    int i = 0;
    while (i < raw.length()) {
      if (raw.charAt(i) != '%') {
        i++;
        continue;
      }
      // URLDecoder decodes a run of consecutive %XX as one byte sequence: check runs the same way.
      int runStart = i;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (i < raw.length() && raw.charAt(i) == '%') {
        if (i + 3 > raw.length()) {
          throw new IllegalArgumentException(
              "incomplete percent-escape at index " + i + " ('" + raw.substring(i) + "')");
        }
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          throw new IllegalArgumentException(
              "invalid percent-escape at index " + i + " ('" + raw.substring(i, i + 3) + "')");
        }
        bytes.write(high * 16 + low);
        i += 3;
      }
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes.toByteArray()));
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException(
            "percent-escapes at index "
                + runStart
                + " ('"
                + raw.substring(runStart, i)
                + "') are not UTF-8");
      }
    }
  }
}
