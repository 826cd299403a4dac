package dev.sluice.targets.aws;

import dev.sluice.core.time.DurationFormat;
import java.net.URI;
import java.time.Duration;

/**
 * How the AWS targets reach AWS: the one definition of the {@code region}, {@code endpoint} and
 * {@code timeout} of the config file's {@code target:} section for them. Messages start with the
 * field's name in that section.
 *
 * @param region the region, or null for the SDK's chain ({@code AWS_REGION}, profile, ...)
 * @param endpoint an endpoint override (a local endpoint, a VPC endpoint), or null
 * @param timeout how long one call may take, retries included
 */
public record AwsClientSettings(String region, URI endpoint, Duration timeout) {

  /** The SDK's region and endpoint, 30 s per call. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public AwsClientSettings {
    if (region != null && region.isBlank()) {
      throw new IllegalArgumentException("region must not be empty");
    }
    if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
      throw new IllegalArgumentException(
          "endpoint must be an http or https URL with a host, got '" + endpoint + "'");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "timeout must be a positive duration, got " + DurationFormat.format(timeout));
    }
  }

  /** The SDK's usual region and endpoint, the default timeout. */
  public static AwsClientSettings defaults() {
    return new AwsClientSettings(null, null, DEFAULT_TIMEOUT);
  }
}
