package dev.sluice.cli.demo;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The AWS SDK S3 client the demo uses, pointed at the embedded endpoint. */
final class DemoS3 {
  private DemoS3() {}

  static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        // The embedded endpoint is anonymous on 127.0.0.1: any signature is accepted.
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo")))
        .httpClient(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build())
        .build();
  }
}
