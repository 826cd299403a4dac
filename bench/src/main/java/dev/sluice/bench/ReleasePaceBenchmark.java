package dev.sluice.bench;

import dev.sluice.core.dispatch.Dispatcher;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Does the release pace hold while intake is heavy? A real {@link SluiceService} (SQLite, FULL
 * sync) releases to a real HTTP target under {@code rate 2000/s} and {@code max-in-flight 32} at
 * once, while client threads POST S3 notifications of {@code --batch} records to the webhook at
 * each intake level in turn. Before each phase the dispatcher is paused and the backlog topped up,
 * so every phase starts with more waiting than it can release and the top-up is nobody's intake.
 * Releases are counted where they land (the target's own arrival clock), skipping each phase's
 * first second, in which the full bucket bursts. Prints figures, asserts nothing.
 *
 * <pre>
 * ReleasePaceBenchmark [--seconds 15] [--batch 10] [--clients 16] [--intake 0,1000,5000,10000]
 *                      [--burst 2000] [--max-in-flight 32] [--workers 64] [--dir DIR]
 * </pre>
 */
public final class ReleasePaceBenchmark {
  private static final int RATE_PER_SECOND = 2_000;
  private static final long TARGET_ANSWER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final int TARGET_THREADS = 64;
  private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int TOP_UP_BATCH = 1_000;
  private static final int TOP_UP_CLIENTS = 4;

  private ReleasePaceBenchmark() {}

  /** One phase's figures. */
  private record Phase(
      int intakeAsked,
      long posts,
      PacedWebhookClients.Run intake,
      long released,
      long releaseNanos,
      long slowestSecond,
      InFlightSampler.Summary inFlight,
      long retried,
      long dueAtEnd) {}

  public static void main(String[] args) throws Exception {
    int seconds = 15;
    int batch = 10;
    int clients = 16;
    int burst = 2_000;
    int workers = 64;
    int maxInFlight = 32;
    int[] levels = {0, 1_000, 5_000, 10_000};
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--burst" -> burst = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--max-in-flight" -> maxInFlight = Integer.parseInt(args[++i]);
        case "--intake" ->
            levels = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (seconds < 2) {
      throw new IllegalArgumentException("seconds must be >= 2 (the first is warm-up)");
    }
    if (dir == null) {
      dir = Files.createTempDirectory("sluice-release-pace-bench");
    }
    // Enough for a phase at the full rate, half as long again in case the phase overruns.
    long fullBacklog = RATE_PER_SECOND * seconds * 3L / 2 + burst;
    System.out.printf(
        "release pace: limits rate %,d/s (burst %,d) and max-in-flight %d; http target answering"
            + " 200 after %d ms; %d workers; intake %s events/s, %d s each, %d records per POST,"
            + " %d clients; backlog topped up to %,d before each phase; sync full; data in %s;"
            + " pid %d%n",
        RATE_PER_SECOND,
        burst,
        maxInFlight,
        TimeUnit.NANOSECONDS.toMillis(TARGET_ANSWER_NANOS),
        workers,
        Arrays.toString(levels),
        seconds,
        batch,
        clients,
        fullBacklog,
        dir,
        ProcessHandle.current().pid());

    Limits limits =
        Limits.none()
            .withRate(new Limits.Rate(RATE_PER_SECOND, burst))
            .withMaxInFlight(maxInFlight);
    try (SlowTargetEndpoint target = new SlowTargetEndpoint(TARGET_ANSWER_NANOS, TARGET_THREADS)) {
      SluiceConfig config =
          new SluiceConfig(
              dir,
              new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
              new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
              limits,
              RetryPolicy.defaults(),
              DispatcherConfig.defaults().withWorkers(workers),
              TargetConfig.http(target.url(), Duration.ofSeconds(30), Map.of()),
              StoreConfig.defaults());
      try (SluiceService service =
          SluiceService.start(config, SluiceService.Options.defaults().paused(true))) {
        Sluice sluice = service.sluice();
        PacedWebhookClients intake =
            new PacedWebhookClients(service.apiUrl().resolve("/v1/events"), clients);
        PacedWebhookClients topUp =
            new PacedWebhookClients(service.apiUrl().resolve("/v1/events"), TOP_UP_CLIENTS);
        long nextKey = 0;
        Phase[] phases = new Phase[levels.length];
        for (int i = 0; i < levels.length; i++) {
          nextKey += topUp(sluice, topUp, fullBacklog, nextKey);
          phases[i] =
              phase(sluice, intake, target, levels[i], seconds, batch, maxInFlight, nextKey);
          nextKey += phases[i].posts() * batch;
        }
        print(phases, maxInFlight);
      }
    }
  }

  /** Pauses releases and fills the backlog to {@code full}; returns the keys used. */
  private static long topUp(Sluice sluice, PacedWebhookClients topUp, long full, long firstKey)
      throws Exception {
    Dispatcher dispatcher = sluice.dispatcher();
    dispatcher.pause();
    long due = sluice.backlog().stats(sluice.time().now()).due();
    long posts = Math.max(0, (full - due + TOP_UP_BATCH - 1) / TOP_UP_BATCH);
    long start = System.nanoTime();
    PacedWebhookClients.Run run = topUp.send(posts, TOP_UP_BATCH, 0, firstKey);
    System.out.printf(
        "  top-up: %,d due, %,d added (%d POSTs not 2xx, %d without an answer) in %.2f s%n",
        due, run.acknowledged(), run.notOk(), run.failed(), (System.nanoTime() - start) / 1e9);
    return posts * TOP_UP_BATCH;
  }

  private static Phase phase(
      Sluice sluice,
      PacedWebhookClients clients,
      SlowTargetEndpoint target,
      int level,
      int seconds,
      int batch,
      int maxInFlight,
      long firstKey)
      throws Exception {
    Dispatcher dispatcher = sluice.dispatcher();
    long retriedBefore = dispatcher.stats().retried();
    System.out.printf("  phase intake %,d/s: started%n", level);
    InFlightSampler sampler =
        new InFlightSampler(
            () -> dispatcher.stats().inFlight(), maxInFlight, TimeUnit.MILLISECONDS.toNanos(5));
    dispatcher.resume();
    long posts = (long) level * seconds / batch;
    PacedWebhookClients.Run run;
    if (level == 0) {
      long start = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      run = new PacedWebhookClients.Run(List.of(), start, System.nanoTime() - start);
    } else {
      run = clients.send(posts, batch, 1_000_000_000L * batch / level, firstKey);
    }
    InFlightSampler.Summary inFlight = sampler.stop();
    long from = run.startNanos() + WARM_UP_NANOS;
    long to = run.startNanos() + run.elapsedNanos();
    long[] perSecond = target.arrivalsPerSecond(from, (int) ((to - from) / 1_000_000_000L));
    return new Phase(
        level,
        posts,
        run,
        target.arrivalsBetween(from, to),
        to - from,
        Arrays.stream(perSecond).min().orElse(0),
        inFlight,
        dispatcher.stats().retried() - retriedBefore,
        sluice.backlog().stats(sluice.time().now()).due());
  }

  private static void print(Phase[] phases, int maxInFlight) {
    System.out.printf(
        "%n| intake asked/s | intake acked/s | POSTs | failed | POST p50 / p99 ms"
            + " | releases/s at target | releases/limit | slowest 1 s | in flight mean / max"
            + " / at %d | retried | due at end |%n",
        maxInFlight);
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Phase p : phases) {
      PacedWebhookClients.Run in = p.intake();
      double releasesPerSecond = p.released() / (p.releaseNanos() / 1e9);
      long[] samples = in.responseNanos();
      String latency = "-";
      if (samples.length > 0) {
        Percentiles pc = new Percentiles(samples);
        latency = String.format("%.1f / %.1f", pc.at(50) / 1e6, pc.at(99) / 1e6);
      }
      System.out.printf(
          "| %,d | %,.0f | %,d | %d | %s | %,.0f | %.3f | %,d | %.1f / %d / %.0f%% | %d | %,d |%n",
          p.intakeAsked(),
          in.acknowledged() / (in.elapsedNanos() / 1e9),
          in.requests(),
          in.notOk() + in.failed(),
          latency,
          releasesPerSecond,
          releasesPerSecond / RATE_PER_SECOND,
          p.slowestSecond(),
          p.inFlight().mean(),
          p.inFlight().max(),
          p.inFlight().atLimitShare() * 100,
          p.retried(),
          p.dueAtEnd());
    }
    System.out.println(
        "intake acked/s: events in 2xx answers / (first slot to last answer); releases: requests"
            + " arriving at the target after the phase's first second, / the rest of the phase;"
            + " in flight: released and not yet settled, sampled every 5 ms.");
    System.out.printf("VmHWM: %.1f MiB%n", ProcessMemory.read().peakRssMib());
  }
}
