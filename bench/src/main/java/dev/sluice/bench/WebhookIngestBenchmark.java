package dev.sluice.bench;

import dev.sluice.core.gate.Limits;
import dev.sluice.service.SluiceService;
import dev.sluice.service.config.DispatcherConfig;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.RetryConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook ingest of issue 3: client threads POST S3 notifications of {@code --batch} records to
 * {@code POST /v1/events} of a real {@link SluiceService} over loopback HTTP, paced to {@code
 * --rate} events/s for {@code --seconds}. The dispatcher is paused, so every accepted event stays
 * in the backlog and "lost" is simply acknowledged minus backlog. Prints figures, asserts nothing.
 *
 * <pre>
 * WebhookIngestBenchmark [--rate 10000] [--seconds 60] [--batch 100] [--clients 8]
 *                        [--sync full|normal] [--dir DIR]
 * </pre>
 */
public final class WebhookIngestBenchmark {
  private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");

  private WebhookIngestBenchmark() {}

  /** One client thread's measurements. */
  private record ClientFigures(
      long[] responseNanos, int requests, long acknowledged, int notOk, int failed, long late) {}

  public static void main(String[] args) throws Exception {
    int rate = 10_000;
    int seconds = 60;
    int batch = 100;
    int clients = 8;
    StoreConfig.Synchronous sync = StoreConfig.Synchronous.FULL;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--sync" -> sync = StoreConfig.Synchronous.valueOf(args[++i].toUpperCase(Locale.ROOT));
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("sluice-webhook-bench");
    }
    int posts = rate * seconds / batch;
    long intervalNanos = 1_000_000_000L * batch / rate;
    System.out.printf(
        "webhook ingest: %,d events/s target as %,d POSTs/s of %d records, %d s, %d clients,"
            + " sync %s, data in %s%n",
        rate, rate / batch, batch, seconds, clients, sync.name().toLowerCase(Locale.ROOT), dir);

    SluiceConfig config =
        new SluiceConfig(
            dir,
            new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
            new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
            Limits.none(),
            RetryConfig.defaults(),
            DispatcherConfig.defaults(),
            TargetConfig.log(),
            new StoreConfig(sync));
    SluiceService.Options options =
        SluiceService.Options.defaults().withTarget(new NoOpTarget()).paused(true);
    try (SluiceService service = SluiceService.start(config, options)) {
      URI events = service.apiUrl().resolve("/v1/events");
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      AtomicLong nextPost = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      long start = System.nanoTime();
      List<Future<ClientFigures>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        int batchSize = batch;
        running.add(
            pool.submit(
                () ->
                    client(
                        http, events, client, nextPost, posts, start, intervalNanos, batchSize)));
      }
      List<ClientFigures> all = new ArrayList<>();
      for (Future<ClientFigures> f : running) {
        all.add(f.get());
      }
      long elapsed = System.nanoTime() - start;
      pool.shutdown();
      report(all, elapsed, service);
    }
  }

  /** Takes post numbers in turn and sends each at its slot on the schedule (or at once if late). */
  private static ClientFigures client(
      HttpClient http,
      URI events,
      int client,
      AtomicLong nextPost,
      int posts,
      long start,
      long intervalNanos,
      int batch) {
    long[] samples = new long[posts];
    int n = 0;
    long acknowledged = 0;
    int notOk = 0;
    int failed = 0;
    long late = 0;
    for (long p; (p = nextPost.getAndIncrement()) < posts; ) {
      long due = start + p * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else if (-wait > intervalNanos) {
        late++;
      }
      HttpRequest request =
          HttpRequest.newBuilder(events)
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body(p, batch)))
              .build();
      long sent = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        samples[n++] = System.nanoTime() - sent;
        Matcher m = ACCEPTED.matcher(r.body());
        if (r.statusCode() == 200 && m.find()) {
          acknowledged += Long.parseLong(m.group(1));
        } else {
          notOk++;
        }
      } catch (IOException e) {
        failed++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long[] used = new long[n];
    System.arraycopy(samples, 0, used, 0, n);
    return new ClientFigures(used, n, acknowledged, notOk, failed, late);
  }

  /** An S3 notification of {@code batch} ObjectCreated records with keys unique to the post. */
  private static String body(long post, int batch) {
    StringBuilder b = new StringBuilder(batch * 360).append("{\"Records\":[");
    for (int i = 0; i < batch; i++) {
      if (i > 0) {
        b.append(',');
      }
      long n = post * batch + i;
      b.append("{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",")
          .append("\"eventTime\":\"2026-11-25T00:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\",")
          .append("\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"landing\"},")
          .append("\"object\":{\"key\":\"ingest/")
          .append(String.format("%012d", n))
          .append(".parquet\",\"size\":1048576,\"eTag\":\"")
          .append(Long.toHexString(n))
          .append("\",\"sequencer\":\"")
          .append(String.format("%016X", n))
          .append("\"}}}");
    }
    return b.append("]}").toString();
  }

  private static void report(List<ClientFigures> all, long elapsed, SluiceService service) {
    long acknowledged = all.stream().mapToLong(ClientFigures::acknowledged).sum();
    int requests = all.stream().mapToInt(ClientFigures::requests).sum();
    int notOk = all.stream().mapToInt(ClientFigures::notOk).sum();
    int failed = all.stream().mapToInt(ClientFigures::failed).sum();
    long late = all.stream().mapToLong(ClientFigures::late).sum();
    long[] samples =
        all.stream().flatMapToLong(f -> java.util.Arrays.stream(f.responseNanos())).toArray();
    long inBacklog = service.sluice().backlog().stats(service.sluice().time().now()).waiting();
    System.out.println(
        Figures.rate("  accepted (acknowledged by 200 answers)", acknowledged, elapsed));
    System.out.printf(
        "  %,d POSTs answered, %d not 200, %d without an answer, %,d started over one interval"
            + " behind schedule%n",
        requests, notOk, failed, late);
    if (samples.length > 0) {
      Percentiles p = new Percentiles(samples);
      System.out.printf(
          "  response time: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          p.at(50) / 1e6, p.at(99) / 1e6, p.max() / 1e6);
    }
    System.out.printf(
        "  backlog holds %,d; events lost (acknowledged - backlog): %,d%n",
        inBacklog, acknowledged - inBacklog);
    System.out.printf("  VmHWM: %.1f MiB%n", ProcessMemory.read().peakRssMib());
  }
}
