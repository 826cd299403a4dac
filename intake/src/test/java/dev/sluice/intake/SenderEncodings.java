package dev.sluice.intake;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * How each sender writes a key into a notification, written from the senders' documented rules
 * (SOURCES.md, "Key-encoding summary"), not from the decoder under test.
 */
final class SenderEncodings {
  private SenderEncodings() {}

  /** AWS S3: form-encoded ("red flower.jpg" becomes "red+flower.jpg"); '/' is left as it is. */
  static String aws(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }

  /** MinIO: Go's url.QueryEscape, so '/' is %2F and a space is '+'. */
  static String minio(String key) {
    return escape(key, "-_.~", "+", false);
  }

  /** LocalStack's EventBridge key: Python's quote(), so a space is %20 and '/' stays. */
  static String pythonQuote(String key) {
    return escape(key, "-_.~", "%20", true);
  }

  private static String escape(String key, String unreserved, String space, boolean keepSlash) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || unreserved.indexOf(c) >= 0
              || (keepSlash && c == '/');
      if (plain) {
        out.write(c);
      } else if (c == ' ') {
        out.writeBytes(space.getBytes(StandardCharsets.US_ASCII));
      } else {
        out.writeBytes(String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
