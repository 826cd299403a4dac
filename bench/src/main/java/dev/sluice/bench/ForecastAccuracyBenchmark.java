package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.Sluice;
import dev.sluice.service.SluiceService;
import dev.sluice.service.config.HttpConfig;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How good is the drain forecast? A real {@link SluiceService} (SQLite, paused) takes {@code
 * --events} S3 notifications through its webhook under {@code window 500 per 1s}, with an HTTP
 * target in the same JVM that answers after 2 ms. A warm-up of {@code --warm-up} events first gives
 * the release log the target's latency and the dispatcher's lag behind the window, as a service
 * that has been running has them; once their windows have passed, the measured run's events are
 * posted, and while the service is paused the forecast is read through the HTTP API: the drain time
 * from {@code GET /v1/status} and every object's forecast start from {@code GET
 * /v1/events/landing/KEY}, each as seconds from the moment releases resume. Then it resumes, waits
 * for the drain, and compares with the release log: the actual drain time (the last answer), and
 * each object's actual start (the instant its call to the target began). Prints the figures;
 * asserts nothing.
 *
 * <pre>
 * ForecastAccuracyBenchmark [--events 10000] [--limit 500] [--every-ms 1000] [--warm-up 5000]
 *                           [--lookup-every 1] [--dir DIR]
 * </pre>
 */
public final class ForecastAccuracyBenchmark {
  private static final long TARGET_ANSWER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final int POST_BATCH = 500;
  private static final int WARM_UP_FIRST_KEY = 100_000_000;
  private static final int LOOKUP_THREADS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ForecastAccuracyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = 10_000;
    int limit = 500;
    long everyMs = 1_000;
    int warmUp = 5_000;
    int lookupEvery = 1;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--limit" -> limit = Integer.parseInt(args[++i]);
        case "--every-ms" -> everyMs = Long.parseLong(args[++i]);
        case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
        case "--lookup-every" -> lookupEvery = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("sluice-forecast-bench");
    }
    Duration every = Duration.ofMillis(everyMs);
    System.out.printf(
        "forecast accuracy: %,d events under window %d per %d ms (sliding); http target answering"
            + " after %d ms; data in %s%n",
        events, limit, everyMs, TimeUnit.NANOSECONDS.toMillis(TARGET_ANSWER_NANOS), dir);
    try (SlowTargetEndpoint target = new SlowTargetEndpoint(TARGET_ANSWER_NANOS, 64)) {
      SluiceConfig config =
          new SluiceConfig(
              dir,
              new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
              new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
              Limits.window(limit, every),
              RetryPolicy.defaults(),
              DispatcherConfig.defaults().withWorkers(64),
              TargetConfig.http(target.url(), Duration.ofSeconds(30), Map.of()),
              StoreConfig.defaults());
      try (SluiceService service =
          SluiceService.start(config, SluiceService.Options.defaults().paused(true))) {
        run(service, events, every, warmUp, lookupEvery);
      }
    }
  }

  private static void run(
      SluiceService service, int events, Duration every, int warmUp, int lookupEvery)
      throws Exception {
    URI api = service.apiUrl();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Sluice sluice = service.sluice();
    if (warmUp > 0) {
      post(http, api, WARM_UP_FIRST_KEY, warmUp);
      call(http, api.resolve("/v1/resume"), "POST", "");
      awaitDone(sluice, warmUp);
      call(http, api.resolve("/v1/pause"), "POST", "");
      // Past the warm-up's windows: the forecast starts from a clear window, and the starts it
      // gives do not depend on when each lookup is made while paused.
      Thread.sleep(every.multipliedBy(2).toMillis());
      System.out.printf("  warm-up: %,d events released and answered%n", warmUp);
    }
    long fillStart = System.nanoTime();
    post(http, api, 0, events);
    System.out.printf(
        "  %,d accepted through the webhook in %.2f s (paused)%n",
        events, (System.nanoTime() - fillStart) / 1e9);

    JsonNode status = call(http, api.resolve("/v1/status"), "GET", null);
    System.out.printf(
        "  measured by the warm-up: target latency %.4f s (median of %d), lag %.4f s%n",
        status.path("forecast").path("latencySeconds").asDouble(),
        status.path("forecast").path("latencySamples").asInt(),
        status.path("forecast").path("lagSeconds").asDouble());
    double forecastDrain = status.path("timeToDrainSeconds").asDouble();
    double forecastLastStart =
        seconds(
            Duration.between(
                Instant.parse(status.path("now").asText()),
                Instant.parse(status.path("forecast").path("lastStart").asText())));

    long lookupStart = System.nanoTime();
    double[] forecastStart = new double[events];
    double[] lagSeen = new double[events];
    Arrays.fill(forecastStart, Double.NaN);
    forecastStarts(http, api, events, lookupEvery, forecastStart, lagSeen);
    int looked = (events + lookupEvery - 1) / lookupEvery;
    long lookupNanos = System.nanoTime() - lookupStart;
    System.out.printf(
        "  forecast at the start: drained in %.3f s (last start at %.3f s);"
            + " %,d objects looked up in %.2f s (%.2f ms each, %d threads), lag seen %.4f-%.4f s%n",
        forecastDrain,
        forecastLastStart,
        looked,
        lookupNanos / 1e9,
        lookupNanos / 1e6 / looked * LOOKUP_THREADS,
        LOOKUP_THREADS,
        Arrays.stream(lagSeen).filter(x -> !Double.isNaN(x)).min().orElse(0),
        Arrays.stream(lagSeen).filter(x -> !Double.isNaN(x)).max().orElse(0));

    JsonNode resumed = call(http, api.resolve("/v1/resume"), "POST", "");
    Instant resumedAt = Instant.parse(resumed.path("now").asText());
    awaitDone(sluice, warmUp + events);

    Map<Integer, ReleaseRecord> firstRelease = new HashMap<>();
    Instant lastAnswer = resumedAt;
    List<Duration> handovers = new ArrayList<>();
    Instant firstReleased = null;
    long after = 0;
    while (true) {
      List<ReleaseRecord> page = sluice.backlog().releases(Instant.EPOCH, after, 5_000);
      for (ReleaseRecord r : page) {
        int n = objectNumber(r.key());
        if (n >= WARM_UP_FIRST_KEY) {
          continue;
        }
        firstRelease.putIfAbsent(n, r);
        if (r.reachedAt() != null) {
          handovers.add(Duration.between(r.releasedAt(), r.reachedAt()));
        }
        Instant answered = r.answeredAt() != null ? r.answeredAt() : r.finishedAt();
        if (answered != null && answered.isAfter(lastAnswer)) {
          lastAnswer = answered;
        }
        if (firstReleased == null || r.releasedAt().isBefore(firstReleased)) {
          firstReleased = r.releasedAt();
        }
      }
      if (page.size() < 5_000) {
        break;
      }
      after = page.get(page.size() - 1).releaseId();
    }
    double actualDrain = seconds(Duration.between(resumedAt, lastAnswer));
    double windowSeconds = seconds(every);
    double[] errors = new double[looked];
    double[] worstByTenth = new double[10];
    int withinWindow = 0;
    double lastStart = 0;
    int e = 0;
    for (int n = 0; n < events; n++) {
      ReleaseRecord r = firstRelease.get(n);
      if (r == null) {
        throw new IllegalStateException("object " + n + " has no release");
      }
      Instant started = r.reachedAt() != null ? r.reachedAt() : r.releasedAt();
      double actual = seconds(Duration.between(resumedAt, started));
      lastStart = Math.max(lastStart, actual);
      if (Double.isNaN(forecastStart[n])) {
        continue;
      }
      double error = actual - forecastStart[n];
      errors[e++] = error;
      int tenth = (int) ((long) n * 10 / events);
      worstByTenth[tenth] = Math.max(worstByTenth[tenth], Math.abs(error));
      if (Math.abs(error) <= windowSeconds) {
        withinWindow++;
      }
    }
    double[] abs = Arrays.stream(errors).map(Math::abs).sorted().toArray();
    System.out.printf(
        "  first release %.3f s after the resume; last start %.3f s; drained (last answer) %.3f s%n",
        seconds(Duration.between(resumedAt, firstReleased)), lastStart, actualDrain);
    System.out.printf(
        "  handover in the measured run: mean %.4f s%n",
        handovers.stream().mapToLong(Duration::toNanos).average().orElse(0) / 1e9);
    System.out.printf(
        "  drain: forecast %.3f s, actual %.3f s, error %+.2f%% (target within 5%%)%n",
        forecastDrain, actualDrain, (forecastDrain - actualDrain) / actualDrain * 100);
    System.out.printf(
        "  start of each object (actual - forecast): mean %+.3f s, |error| median %.3f s, p99 %.3f"
            + " s, max %.3f s; %,d of %,d (%.2f%%) within one window (%.3f s)%n",
        Arrays.stream(errors).average().orElse(0),
        abs[abs.length / 2],
        abs[(int) Math.min(abs.length - 1, Math.ceil(abs.length * 0.99) - 1)],
        abs[abs.length - 1],
        withinWindow,
        looked,
        100.0 * withinWindow / looked,
        windowSeconds);
    StringBuilder tenths = new StringBuilder();
    for (double w : worstByTenth) {
      tenths.append(String.format(" %.2f", w));
    }
    System.out.printf("  worst |error| by tenth of the backlog, in claim order (s):%s%n", tenths);
  }

  private static void post(HttpClient http, URI api, int firstKey, int events) throws Exception {
    for (int from = 0; from < events; from += POST_BATCH) {
      int count = Math.min(POST_BATCH, events - from);
      JsonNode r =
          call(
              http,
              api.resolve("/v1/events"),
              "POST",
              S3NotificationBodies.of(firstKey + (long) from, count));
      if (r.path("accepted").asInt() != count) {
        throw new IllegalStateException("not all accepted: " + r);
      }
    }
  }

  private static void awaitDone(Sluice sluice, long done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (sluice.backlog().stats(sluice.time().now()).done() < done) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not drained in 10 minutes");
      }
      Thread.sleep(20);
    }
  }

  /**
   * Every {@code every}-th object's forecast start, in seconds from the moment releases resume, and
   * the lag that forecast used.
   */
  private static void forecastStarts(
      HttpClient http, URI api, int events, int every, double[] starts, double[] lags)
      throws Exception {
    Arrays.fill(lags, Double.NaN);
    ExecutorService pool = Executors.newFixedThreadPool(LOOKUP_THREADS);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < LOOKUP_THREADS; t++) {
        int first = t * every;
        work.add(
            pool.submit(
                () -> {
                  for (int n = first; n < events; n += LOOKUP_THREADS * every) {
                    URI uri =
                        api.resolve(String.format("/v1/events/landing/ingest/%012d.parquet", n));
                    JsonNode answer = call(http, uri, "GET", null);
                    starts[n] =
                        answer.path("events").path(0).path("forecastStartInSeconds").asDouble();
                    lags[n] = answer.path("lagSeconds").asDouble();
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static int objectNumber(String key) {
    return Integer.parseInt(key.substring("ingest/".length(), key.length() - ".parquet".length()));
  }

  private static JsonNode call(HttpClient http, URI uri, String method, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          method + " " + uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
