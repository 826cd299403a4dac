package dev.sluice.service.config;

import java.util.regex.Pattern;

/**
 * The HTTP API: intake webhook, control and metrics.
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} (local only) or {@code 0.0.0.0}
 * @param port port to bind; 0 picks a free one
 * @param maxBody largest request body accepted, in bytes
 * @param controlToken bearer token the control actions need ({@code Authorization: Bearer
 *     <token>}), separate from the webhook's; null for none
 * @param allowUnprotected whether to serve on an address beyond loopback with no credentials
 *     configured; without it such a service refuses to start
 */
public record HttpConfig(
    String host, int port, long maxBody, String controlToken, boolean allowUnprotected) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_BODY = 1024 * 1024;

  /** Servers hold a body in one array, so it must fit an int. */
  public static final long MAX_MAX_BODY = Integer.MAX_VALUE;

  /** Short tokens can be guessed; 16 characters of a random string are out of reach. */
  public static final int MIN_CONTROL_TOKEN_LENGTH = 16;

  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");

  public HttpConfig {
    Checks.notBlank("host", host);
    Checks.port("port", port);
    if (maxBody < 1 || maxBody > MAX_MAX_BODY) {
      throw new IllegalArgumentException(
          "max-body must be between 1 and " + MAX_MAX_BODY + " bytes, got " + maxBody);
    }
    if (controlToken != null) {
      if (!TOKEN.matcher(controlToken).matches()) {
        throw new IllegalArgumentException(
            "control-token must be printable ASCII without spaces; leave it out for none");
      }
      if (controlToken.length() < MIN_CONTROL_TOKEN_LENGTH) {
        throw new IllegalArgumentException(
            "control-token must be at least "
                + MIN_CONTROL_TOKEN_LENGTH
                + " characters, got "
                + controlToken.length()
                + " (e.g. the output of `openssl rand -hex 16`)");
      }
    }
  }

  /** No control token, and protected mode on. */
  public HttpConfig(String host, int port, long maxBody) {
    this(host, port, maxBody, null, false);
  }

  public static HttpConfig defaults() {
    return new HttpConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY);
  }

  /** This configuration with a control token. */
  public HttpConfig withControlToken(String token) {
    return new HttpConfig(host, port, maxBody, token, allowUnprotected);
  }

  public boolean requiresControlToken() {
    return controlToken != null;
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "HttpConfig[host="
        + host
        + ", port="
        + port
        + ", maxBody="
        + maxBody
        + ", controlToken="
        + (controlToken == null ? "none" : "***")
        + ", allowUnprotected="
        + allowUnprotected
        + "]";
  }
}
