package dev.sluice.service;

import dev.sluice.service.config.SqsSourceConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * The SDK client settings of {@code sources.sqs}: region, endpoint, credentials. The SQS source
 * adds its own HTTP client and builds it.
 */
final class SqsClients {
  private SqsClients() {}

  static SqsClientBuilder builder(SqsSourceConfig config) {
    SqsClientBuilder builder = SqsClient.builder().region(Region.of(config.signingRegion()));
    if (config.endpoint() != null) {
      builder.endpointOverride(config.endpoint());
    }
    if (config.accessKey() != null) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(config.accessKey(), config.secretKey())));
    }
    // Without static keys the SDK's default chain applies: environment, profile, instance role.
    return builder;
  }
}
