package dev.sluice.service;

import dev.sluice.service.config.SqsSourceConfig;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/** Builds the SDK client the SQS source polls with, from {@code sources.sqs}. */
final class SqsClients {
  /** Room beyond the long-poll wait before a silent connection counts as broken. */
  private static final Duration READ_MARGIN = Duration.ofSeconds(10);

  private SqsClients() {}

  static SqsClient create(SqsSourceConfig config) {
    SqsClientBuilder builder =
        SqsClient.builder()
            .region(Region.of(config.signingRegion()))
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(config.waitTime().plus(READ_MARGIN))
                    .build());
    if (config.endpoint() != null) {
      builder.endpointOverride(config.endpoint());
    }
    if (config.accessKey() != null) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(config.accessKey(), config.secretKey())));
    }
    // Without static keys the SDK's default chain applies: environment, profile, instance role.
    return builder.build();
  }
}
