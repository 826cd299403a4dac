package dev.sluice.bench;

import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.service.SluiceService;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fair share between partitions in real time: a real {@link SluiceService} on SQLite, partitions by
 * the key's first segment, {@code window LIMIT per 1s}, a target that completes at once. Prefix a/
 * gets {@code --a} objects at the start, prefix b/ gets {@code --b} objects {@code --b-after}
 * seconds later (over the webhook, as S3 would send them). When all are released, the release log
 * says: how long after its arrival each of b/'s objects started, the most releases in any second
 * (sliding), and how full each second was while work waited. {@code --partitions none} runs the
 * same without partitions, for contrast. Prints the figures; asserts nothing.
 *
 * <pre>
 * FairShareBenchmark [--a 10000] [--b 100] [--b-after 60] [--limit 100] [--partitions prefix|none]
 *                    [--dir DIR]
 * </pre>
 */
public final class FairShareBenchmark {
  private static final int POST_BATCH = 500;

  private FairShareBenchmark() {}

  public static void main(String[] args) throws Exception {
    int a = 10_000;
    int b = 100;
    int bAfter = 60;
    int limit = 100;
    boolean partitioned = true;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--a" -> a = Integer.parseInt(args[++i]);
        case "--b" -> b = Integer.parseInt(args[++i]);
        case "--b-after" -> bAfter = Integer.parseInt(args[++i]);
        case "--limit" -> limit = Integer.parseInt(args[++i]);
        case "--partitions" -> partitioned = args[++i].equals("prefix");
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("sluice-fairshare-bench");
    }
    System.out.printf(
        "fair share: a/ %,d objects at the start, b/ %,d objects %d s later; window %d per 1s;"
            + " partitions %s; SQLite in %s%n",
        a, b, bAfter, limit, partitioned ? "by prefix depth 1" : "none", dir);
    SluiceConfig config =
        new SluiceConfig(
                dir,
                new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
                new S3EndpointConfig(
                    false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
                Limits.window(limit, Duration.ofSeconds(1)),
                RetryPolicy.defaults(),
                DispatcherConfig.defaults().withWorkers(Math.max(64, limit)),
                TargetConfig.log(),
                StoreConfig.defaults())
            .withPartitions(
                new PartitionsConfig(partitioned ? PartitionRule.prefix(1) : PartitionRule.NONE));
    try (SluiceService service =
        SluiceService.start(
            config, SluiceService.Options.defaults().withTarget(new NoOpTarget()).paused(true))) {
      run(service, a, b, bAfter, limit);
    }
  }

  private static void run(SluiceService service, int a, int b, int bAfter, int limit)
      throws Exception {
    URI api = service.apiUrl();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    postObjects(http, api, "a", a);
    post(http, api.resolve("/v1/resume"), "");
    long start = System.nanoTime();
    Thread.sleep(Math.max(0, bAfter * 1000L - (System.nanoTime() - start) / 1_000_000));
    Instant bSent = Instant.now();
    postObjects(http, api, "b", b);
    Instant bAccepted = Instant.now();

    List<ReleaseRecord> log = new ArrayList<>();
    while (log.size() < a + b) {
      Thread.sleep(500);
      log = releases(service);
    }
    post(http, api.resolve("/v1/pause"), "");

    Instant first = log.get(0).releasedAt();
    Instant last = first;
    double bFirst = Double.MAX_VALUE;
    double bLast = 0;
    for (ReleaseRecord r : log) {
      if (r.releasedAt().isAfter(last)) {
        last = r.releasedAt();
      }
      if (r.key().startsWith("b/")) {
        double s = Duration.between(bAccepted, r.releasedAt()).toNanos() / 1e9;
        bFirst = Math.min(bFirst, s);
        bLast = Math.max(bLast, s);
      }
    }
    int seconds = (int) Duration.between(first, last).getSeconds() + 1;
    int[] all = new int[seconds];
    int[] ofA = new int[seconds];
    for (ReleaseRecord r : log) {
      int s = (int) Duration.between(first, r.releasedAt()).getSeconds();
      all[s]++;
      if (r.key().startsWith("a/")) {
        ofA[s]++;
      }
    }
    int full = 0;
    int least = Integer.MAX_VALUE;
    for (int s = 0; s < seconds - 1; s++) { // the last second holds what was left
      if (all[s] == limit) {
        full++;
      }
      least = Math.min(least, all[s]);
    }
    int bSecond = (int) Duration.between(first, bAccepted).getSeconds();
    System.out.printf(
        "  released %,d in %.1f s; b/ posted in %d ms; b/ started %.3f to %.3f s after it was"
            + " accepted%n",
        log.size(),
        Duration.between(first, last).toNanos() / 1e9,
        Duration.between(bSent, bAccepted).toMillis(),
        bFirst,
        bLast);
    System.out.printf(
        "  seconds from the first release: %d full (%d each) of %d before the last; fewest in one"
            + " %d; most in any sliding second %d%n",
        full, limit, seconds - 1, least, mostInAnySecond(log));
    StringBuilder around = new StringBuilder("  around b/'s arrival, releases of all (of a/):");
    for (int s = Math.max(0, bSecond - 1); s < Math.min(seconds, bSecond + 4); s++) {
      around.append(String.format(" [%d s: %d (%d)]", s, all[s], ofA[s]));
    }
    System.out.println(around);
  }

  private static List<ReleaseRecord> releases(SluiceService service) {
    List<ReleaseRecord> all = new ArrayList<>();
    long after = 0;
    for (List<ReleaseRecord> page;
        !(page = service.sluice().backlog().releases(Instant.EPOCH, after, 10_000)).isEmpty(); ) {
      all.addAll(page);
      after = page.get(page.size() - 1).releaseId();
    }
    all.sort((x, y) -> x.releasedAt().compareTo(y.releasedAt()));
    return all;
  }

  private static int mostInAnySecond(List<ReleaseRecord> log) {
    int most = 0;
    int from = 0;
    for (int to = 0; to < log.size(); to++) {
      while (!log.get(from).releasedAt().plusSeconds(1).isAfter(log.get(to).releasedAt())) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }

  private static void postObjects(HttpClient http, URI api, String prefix, int count)
      throws Exception {
    for (int from = 0; from < count; from += POST_BATCH) {
      StringBuilder body = new StringBuilder("{\"Records\":[");
      for (int i = from; i < Math.min(count, from + POST_BATCH); i++) {
        if (i > from) {
          body.append(',');
        }
        body.append("{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"data\"},")
            .append("\"object\":{\"key\":\"")
            .append(prefix)
            .append("/obj-")
            .append(i)
            .append("\",\"size\":1}}}");
      }
      body.append("]}");
      post(http, api.resolve("/v1/events"), body.toString());
    }
  }

  private static void post(HttpClient http, URI uri, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("POST " + uri + ": " + r.statusCode() + " " + r.body());
    }
  }
}
