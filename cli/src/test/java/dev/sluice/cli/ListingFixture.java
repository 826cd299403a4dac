package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What the tests of the listing commands share: notifications as S3 sends them, a client. */
final class ListingFixture {
  static final String BUCKET = "landing";

  private ListingFixture() {}

  /** One ObjectCreated:Put record of an S3 notification. */
  static String record(String key, String eTag, String sequencer) {
    return "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
        + BUCKET
        + "\"},\"object\":{\"key\":\""
        + key
        + "\",\"size\":"
        + key.length()
        + ",\"eTag\":\""
        + eTag
        + "\",\"sequencer\":\""
        + sequencer
        + "\"}}}";
  }

  /** Posts the records as one notification body; returns how many became new events. */
  static int post(InProcessSluice sluice, List<String> records) {
    JsonNode report = sluice.postNotification("{\"Records\":[" + String.join(",", records) + "]}");
    return report.get("accepted").asInt();
  }

  /** The objects a reconcile printed as never notified. */
  static Set<String> missing(CliRun run) {
    return run.outLines().stream()
        .filter(l -> l.startsWith("s3://"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** An anonymous path-style client of the embedded endpoint. */
  static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClient(UrlConnectionHttpClient.builder().build())
        .build();
  }
}
