package dev.sluice.sfnlocal;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The real SDK client pointed at a local endpoint, with dummy keys and no retries. */
final class SfnClients {

  static final AwsCredentialsProvider DUMMY_KEYS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCALTEST", "local-secret"));

  private SfnClients() {}

  static SfnClient of(LocalStepFunctions sfn) {
    return of(sfn, Region.of(sfn.region()), DUMMY_KEYS);
  }

  static SfnClient of(LocalStepFunctions sfn, Region region, AwsCredentialsProvider credentials) {
    return SfnClient.builder()
        .endpointOverride(sfn.endpoint())
        .region(region)
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        // Every call is one request, so the endpoint's counts are the test's calls.
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }
}
