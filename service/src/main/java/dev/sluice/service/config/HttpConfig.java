package dev.sluice.service.config;

/**
 * The HTTP API: intake webhook, control and metrics.
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} (local only) or {@code 0.0.0.0}
 * @param port port to bind; 0 picks a free one
 * @param maxBody largest request body accepted, in bytes
 */
public record HttpConfig(String host, int port, long maxBody) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_BODY = 1024 * 1024;

  /** Servers hold a body in one array, so it must fit an int. */
  public static final long MAX_MAX_BODY = Integer.MAX_VALUE;

  public HttpConfig {
    Checks.notBlank("host", host);
    Checks.port("port", port);
    if (maxBody < 1 || maxBody > MAX_MAX_BODY) {
      throw new IllegalArgumentException(
          "max-body must be between 1 and " + MAX_MAX_BODY + " bytes, got " + maxBody);
    }
  }

  public static HttpConfig defaults() {
    return new HttpConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY);
  }
}
