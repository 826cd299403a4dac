package dev.sluice.s3endpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to run the embedded S3 endpoint.
 *
 * @param host interface to bind, e.g. {@code 127.0.0.1}
 * @param port TCP port, or 0 for any free port (read the real one from {@link
 *     EmbeddedS3Endpoint#endpoint()})
 * @param dataDir where objects are kept, as plain files under {@code dataDir/<bucket>/<key>}
 * @param buckets buckets created at start when missing
 * @param accessKey access key clients must sign with (AWS Signature V4), or null for anonymous
 *     access
 * @param secretKey secret key matching {@code accessKey}, or null for anonymous access
 * @param region region clients should sign for
 */
public record EmbeddedS3Config(
    String host,
    int port,
    Path dataDir,
    List<String> buckets,
    String accessKey,
    String secretKey,
    String region) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final String DEFAULT_REGION = "us-east-1";

  // S3's rules for new bucket names, minus the rarer ones (no IP-address check).
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public EmbeddedS3Config {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("s3.host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("s3.port must be in 0..65535, got " + port);
    }
    Objects.requireNonNull(dataDir, "s3.dataDir must not be null");
    // s3proxy refuses a base path with "." or ".." in it as a traversal attempt; ./sluice-data is
    // the default, so resolve it here once.
    dataDir = dataDir.toAbsolutePath().normalize();
    Objects.requireNonNull(buckets, "s3.buckets must not be null");
    buckets = List.copyOf(buckets);
    for (String bucket : buckets) {
      if (!BUCKET_NAME.matcher(bucket).matches()) {
        throw new IllegalArgumentException(
            "s3.buckets: '"
                + bucket
                + "' is not a valid bucket name (3-63 lowercase letters, digits, '.' or '-')");
      }
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException(
          "s3.accessKey and s3.secretKey must be both set or both null (anonymous)");
    }
    if (accessKey != null && (accessKey.isBlank() || secretKey.isBlank())) {
      throw new IllegalArgumentException("s3.accessKey and s3.secretKey must not be blank");
    }
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("s3.region must not be blank");
    }
  }

  /** Anonymous access on 127.0.0.1, any free port, region us-east-1. */
  public static EmbeddedS3Config anonymous(Path dataDir, List<String> buckets) {
    return new EmbeddedS3Config(DEFAULT_HOST, 0, dataDir, buckets, null, null, DEFAULT_REGION);
  }

  /** The same config, with clients required to sign with these keys. */
  public EmbeddedS3Config withCredentials(String accessKey, String secretKey) {
    return new EmbeddedS3Config(host, port, dataDir, buckets, accessKey, secretKey, region);
  }

  /** The same config on another port. */
  public EmbeddedS3Config withPort(int port) {
    return new EmbeddedS3Config(host, port, dataDir, buckets, accessKey, secretKey, region);
  }

  /** Whether clients may send unsigned requests. */
  public boolean isAnonymous() {
    return accessKey == null;
  }

  @Override
  public String toString() {
    // Never print the secret.
    return "EmbeddedS3Config[host="
        + host
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", buckets="
        + buckets
        + ", accessKey="
        + accessKey
        + ", secretKey="
        + (secretKey == null ? "null" : "***")
        + ", region="
        + region
        + "]";
  }
}
