package dev.sluice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sluice backfill s3://BUCKET/PREFIX}: lists the objects already in a bucket and takes each
 * one the backlog has not seen as an event, so a bucket that held data before Sluice stood in front
 * of it is processed too. A second run adds nothing.
 */
@Command(
    name = "backfill",
    description = {
      "Take the objects already under s3://BUCKET/PREFIX as events (listed with ListObjectsV2).",
      "An object the backlog has seen (by bucket, key and eTag) is not taken again, so a second"
          + " run adds nothing."
    })
final class BackfillCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Mixin S3Options s3;

  @Parameters(index = "0", paramLabel = "s3://BUCKET/PREFIX", description = "What to list.")
  String location;

  @Override
  public void run() {
    S3Url url = S3Url.parse(location);
    ApiClient api = service.client();
    try (S3Client client = s3.client()) {
      // Before listing what may be millions of keys: is anyone there to take them?
      api.call("GET", "healthz", null);
      ListedObjectsApi objects = new ListedObjectsApi(api);
      ListingProgress progress = ListingProgress.onConsole();
      Tally tally = new Tally();
      try {
        new BucketListing(client, url, s3.where())
            .forEachPage(
                page -> {
                  ListedObjectsApi.Taken t = objects.take(page, "backfill");
                  tally.listed += page.size();
                  tally.taken += t.taken();
                  tally.known += t.known();
                  progress.show(tally.line());
                });
      } finally {
        progress.done();
      }
      System.out.println("backfill " + url + ": " + tally.line());
    }
  }

  /** What a run has counted so far. */
  private static final class Tally {
    long listed;
    long taken;
    long known;

    String line() {
      return String.format("listed %d objects, taken %d, already known %d", listed, taken, known);
    }
  }
}
