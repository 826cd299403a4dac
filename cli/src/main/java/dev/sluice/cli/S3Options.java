package dev.sluice.cli;

import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * How to reach the bucket a command lists: AWS by default (region and credentials from the usual
 * chain: environment, profile, instance role), or an S3-compatible endpoint with {@code
 * --endpoint}, addressed path-style as MinIO, Ceph and Sluice's own endpoint expect.
 */
final class S3Options {
  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "An S3-compatible endpoint (MinIO, Ceph, sluice's own), path-style addressing")
  String endpoint;

  @Option(
      names = "--region",
      description =
          "The bucket's region (default: the AWS chain, $AWS_REGION or the profile; with --endpoint,"
              + " $AWS_REGION or us-east-1)")
  String region;

  @Option(
      names = "--no-sign-request",
      description = "Send unsigned requests (a public bucket, or an endpoint without credentials)")
  boolean noSign;

  /** Where requests go, for messages. */
  String where() {
    return endpoint != null ? endpoint : "AWS S3";
  }

  S3Client client() {
    S3ClientBuilder b =
        S3Client.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(60))
                    .build())
            .region(region())
            .credentialsProvider(
                noSign
                    ? AnonymousCredentialsProvider.create()
                    : DefaultCredentialsProvider.builder().build());
    if (endpoint != null) {
      b.endpointOverride(endpointUri()).forcePathStyle(true);
    }
    return b.build();
  }

  private URI endpointUri() {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new CliException("--endpoint is not a URL: " + endpoint);
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new CliException("--endpoint must be an http:// or https:// URL, got " + endpoint);
    }
    return uri;
  }

  private Region region() {
    if (region != null) {
      return Region.of(region);
    }
    if (endpoint != null) {
      // An S3-compatible endpoint rarely cares; the full chain would ask the EC2 metadata service.
      String env = System.getenv("AWS_REGION");
      return Region.of(env != null && !env.isBlank() ? env : "us-east-1");
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      throw new CliException("no AWS region: give --region, or set AWS_REGION");
    }
  }
}
