package dev.sluice.service.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The embedded S3-compatible endpoint: clients upload objects to it and each new object becomes an
 * event. Credentials are optional; when one of the pair is set, both must be.
 *
 * @param enabled whether to start the endpoint
 * @param host address to bind
 * @param port port to bind; 0 picks a free one
 * @param buckets buckets created at start
 * @param accessKey access key clients must sign with, or null for no authentication
 * @param secretKey secret key paired with {@code accessKey}, or null
 * @param region region clients sign for
 * @param prefix only keys that start with this become events
 * @param suffix only keys that end with this become events
 * @param allowUnprotected whether to serve on an address beyond loopback without credentials;
 *     without it such a service refuses to start
 */
public record S3EndpointConfig(
    boolean enabled,
    String host,
    int port,
    List<String> buckets,
    String accessKey,
    String secretKey,
    String region,
    String prefix,
    String suffix,
    boolean allowUnprotected) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9000;
  public static final List<String> DEFAULT_BUCKETS = List.of("data");
  public static final String DEFAULT_REGION = "us-east-1";

  /** S3's rule for new bucket names: 3 to 63 of a-z, 0-9, '.', '-', starting and ending alnum. */
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public S3EndpointConfig {
    prefix = prefix == null ? "" : prefix;
    suffix = suffix == null ? "" : suffix;
    Checks.notBlank("host", host);
    Checks.port("port", port);
    buckets = List.copyOf(Objects.requireNonNull(buckets, "buckets"));
    Checks.notBlank("region", region);
    if (enabled && buckets.isEmpty()) {
      throw new IllegalArgumentException("buckets must name at least one bucket when enabled");
    }
    for (int i = 0; i < buckets.size(); i++) {
      if (!BUCKET_NAME.matcher(buckets.get(i)).matches()) {
        throw new IllegalArgumentException(
            "buckets["
                + i
                + "] must be a valid bucket name (3-63 of a-z, 0-9, '.', '-'), got '"
                + buckets.get(i)
                + "'");
      }
    }
    if (buckets.stream().distinct().count() != buckets.size()) {
      throw new IllegalArgumentException("buckets must not repeat a name, got " + buckets);
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException(
          (accessKey == null ? "access-key" : "secret-key")
              + " must be set when "
              + (accessKey == null ? "secret-key" : "access-key")
              + " is set");
    }
  }

  /** Without key filters: every new object becomes an event. */
  public S3EndpointConfig(
      boolean enabled,
      String host,
      int port,
      List<String> buckets,
      String accessKey,
      String secretKey,
      String region) {
    this(enabled, host, port, buckets, accessKey, secretKey, region, "", "", false);
  }

  /** With key filters, and protected mode on. */
  public S3EndpointConfig(
      boolean enabled,
      String host,
      int port,
      List<String> buckets,
      String accessKey,
      String secretKey,
      String region,
      String prefix,
      String suffix) {
    this(enabled, host, port, buckets, accessKey, secretKey, region, prefix, suffix, false);
  }

  public static S3EndpointConfig defaults() {
    return new S3EndpointConfig(
        true, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_BUCKETS, null, null, DEFAULT_REGION);
  }

  /** Whether clients must sign requests. */
  public boolean requiresAuthentication() {
    return accessKey != null;
  }

  /** Keeps the secret key out of logs. */
  @Override
  public String toString() {
    return "S3EndpointConfig[enabled="
        + enabled
        + ", host="
        + host
        + ", port="
        + port
        + ", buckets="
        + buckets
        + ", accessKey="
        + accessKey
        + ", secretKey="
        + (secretKey == null ? null : "****")
        + ", region="
        + region
        + ", prefix="
        + prefix
        + ", suffix="
        + suffix
        + ", allowUnprotected="
        + allowUnprotected
        + "]";
  }
}
