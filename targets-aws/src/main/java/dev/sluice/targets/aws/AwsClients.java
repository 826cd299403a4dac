package dev.sluice.targets.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Builds the SDK clients of the AWS targets: the URL-connection HTTP client (small, quick to
 * start), region and credentials from the SDK's usual chains unless given, and an optional endpoint
 * (a local endpoint in tests, a VPC endpoint in production).
 */
public final class AwsClients {

  private AwsClients() {}

  /**
   * @param region the region, or null for the SDK's chain ({@code AWS_REGION}, profile, ...)
   * @param endpoint an endpoint override, or null
   * @param timeout how long one call may take, retries included
   */
  public static SfnClient stepFunctions(String region, URI endpoint, Duration timeout) {
    return build(SfnClient.builder(), region, endpoint, timeout);
  }

  /** A Step Functions client as {@code settings} say. */
  public static SfnClient stepFunctions(AwsClientSettings settings) {
    return stepFunctions(settings.region(), settings.endpoint(), settings.timeout());
  }

  /** A Lambda client as {@code settings} say. */
  public static LambdaClient lambda(AwsClientSettings settings) {
    return lambda(settings.region(), settings.endpoint(), settings.timeout());
  }

  /** As {@link #stepFunctions}, for Lambda. */
  public static LambdaClient lambda(String region, URI endpoint, Duration timeout) {
    return build(LambdaClient.builder(), region, endpoint, timeout);
  }

  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
      B builder, String region, URI endpoint, Duration timeout) {
    builder
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(timeout))
        .overrideConfiguration(c -> c.apiCallTimeout(timeout));
    if (region != null) {
      builder.region(Region.of(region));
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }
}
