package dev.sluice.cli;

import dev.sluice.core.ListedObject;
import dev.sluice.service.config.DurationText;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sluice reconcile s3://BUCKET/PREFIX --since TIME}: lists the objects modified since TIME,
 * asks the backlog which it has seen, and prints those whose notification never arrived; with
 * {@code --take} it takes them as events.
 */
@Command(
    name = "reconcile",
    description = {
      "List the objects under s3://BUCKET/PREFIX modified at or after --since and print those the"
          + " backlog has never seen (by bucket, key and eTag): their notification never arrived.",
      "With --take, take them as events."
    })
final class ReconcileCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Mixin S3Options s3;

  @Parameters(index = "0", paramLabel = "s3://BUCKET/PREFIX", description = "What to list.")
  String location;

  @Option(
      names = "--since",
      required = true,
      paramLabel = "TIME",
      description =
          "Compare objects modified at or after TIME: an instant (2026-12-01T08:00:00Z), a date"
              + " (2026-12-01, UTC) or an age (30m, 24h, 7d)")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description =
          "Compare only objects modified before TIME (same forms as --since; default: now). An age"
              + " such as 5m leaves out objects whose notification may still be on its way.")
  String until;

  @Option(names = "--take", description = "Take the objects found missing as events.")
  boolean take;

  @Override
  public void run() {
    S3Url url = S3Url.parse(location);
    Instant now = Instant.now();
    Instant from = since(since, now, "--since");
    Instant to = until == null ? null : since(until, now, "--until");
    if (to != null && !to.isAfter(from)) {
      throw new CliException("--until (" + to + ") must be after --since (" + from + ")");
    }
    ApiClient api = service.client();
    try (S3Client client = s3.client()) {
      api.call("GET", "healthz", null);
      ListedObjectsApi objects = new ListedObjectsApi(api);
      ListingProgress progress = ListingProgress.onConsole();
      Tally tally = new Tally();
      try {
        new BucketListing(client, url, s3.where())
            .forEachPage(
                page -> {
                  List<ListedObject> missing = missing(objects, page, from, to, tally);
                  if (!missing.isEmpty()) {
                    progress.done();
                    missing.forEach(o -> System.out.println("s3://" + o.bucket() + "/" + o.key()));
                    if (take) {
                      tally.taken += objects.take(missing, "reconcile").taken();
                    }
                  }
                  progress.show(
                      String.format(
                          "listed %d, modified since %d, never notified %d",
                          tally.listed, tally.compared, tally.missing));
                });
      } finally {
        progress.done();
      }
      System.out.printf(
          "reconcile %s since %s%s: listed %d objects, %d modified since, %d never notified%s%n",
          url,
          from,
          to == null ? "" : " until " + to,
          tally.listed,
          tally.compared,
          tally.missing,
          take ? ", taken " + tally.taken : "");
    }
  }

  /** What a run has counted so far. */
  private static final class Tally {
    long listed;
    long compared;
    long missing;
    long taken;
  }

  /** The objects of a page modified in [from, to) that the backlog has not seen. */
  private static List<ListedObject> missing(
      ListedObjectsApi objects, List<ListedObject> page, Instant from, Instant to, Tally tally) {
    List<ListedObject> compared = page.stream().filter(o -> within(o, from, to)).toList();
    List<Boolean> known = objects.known(compared);
    List<ListedObject> missing = new ArrayList<>();
    for (int i = 0; i < compared.size(); i++) {
      if (!known.get(i)) {
        missing.add(compared.get(i));
      }
    }
    tally.listed += page.size();
    tally.compared += compared.size();
    tally.missing += missing.size();
    return missing;
  }

  /** Whether the object was modified in [from, to); one the listing gave no time is compared. */
  private static boolean within(ListedObject o, Instant from, Instant to) {
    Instant t = o.lastModified();
    return t == null || (!t.isBefore(from) && (to == null || t.isBefore(to)));
  }

  /** The instant {@code text} names: an instant, a date (midnight UTC) or an age before now. */
  static Instant since(String text, Instant now, String option) {
    String t = text.strip();
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      // not an instant
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      // not a date
    }
    try {
      return now.minus(DurationText.parse(t));
    } catch (IllegalArgumentException e) {
      throw new CliException(
          option
              + " must be an instant (2026-12-01T08:00:00Z), a date (2026-12-01) or an age (24h,"
              + " 7d), got '"
              + text
              + "'");
    }
  }
}
