package dev.sluice.s3endpoint;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Real AWS SDK v2 S3 clients pointed at the embedded endpoint (path-style, us-east-1). */
final class S3Clients {
  private S3Clients() {}

  static S3Client signedWith(URI endpoint, String accessKey, String secretKey) {
    return signedWith(endpoint, accessKey, secretKey, new AtomicInteger());
  }

  /** A client that counts every HTTP attempt it sends, retries included, in {@code attempts}. */
  static S3Client signedWith(
      URI endpoint, String accessKey, String secretKey, AtomicInteger attempts) {
    return build(
        endpoint,
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)),
        attempts);
  }

  /** Signs with dummy keys; an anonymous endpoint accepts any signature. */
  static S3Client dummy(URI endpoint) {
    return signedWith(endpoint, "dummy-access", "dummy-secret");
  }

  /** Sends unsigned requests. */
  static S3Client anonymous(URI endpoint) {
    return build(endpoint, AnonymousCredentialsProvider.create(), new AtomicInteger());
  }

  private static S3Client build(
      URI endpoint, AwsCredentialsProvider credentials, AtomicInteger attempts) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(credentials)
        .httpClient(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build())
        .overrideConfiguration(
            c ->
                c.retryStrategy(RetryMode.STANDARD)
                    .addExecutionInterceptor(
                        new ExecutionInterceptor() {
                          @Override
                          public void beforeTransmission(
                              Context.BeforeTransmission context, ExecutionAttributes attributes) {
                            attempts.incrementAndGet();
                          }
                        }))
        .build();
  }
}
