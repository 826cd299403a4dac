package dev.sluice.bench;

import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.SluiceService;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import dev.sluice.store.sqlite.SqliteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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
  private WebhookIngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = 10_000;
    int seconds = 60;
    int batch = 100;
    int clients = 8;
    SqliteOptions.Synchronous sync = SqliteOptions.Synchronous.FULL;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--sync" ->
            sync = SqliteOptions.Synchronous.valueOf(args[++i].toUpperCase(Locale.ROOT));
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
            RetryPolicy.defaults(),
            DispatcherConfig.defaults(),
            TargetConfig.log(),
            new StoreConfig(sync));
    SluiceService.Options options =
        SluiceService.Options.defaults().withTarget(new NoOpTarget()).paused(true);
    try (SluiceService service = SluiceService.start(config, options)) {
      PacedWebhookClients senders =
          new PacedWebhookClients(service.apiUrl().resolve("/v1/events"), clients);
      report(senders.send(posts, batch, intervalNanos, 0), service);
    }
  }

  private static void report(PacedWebhookClients.Run run, SluiceService service) {
    long acknowledged = run.acknowledged();
    long[] samples = run.responseNanos();
    long inBacklog = service.sluice().backlog().stats(service.sluice().time().now()).waiting();
    System.out.println(
        Figures.rate("  accepted (acknowledged by 2xx answers)", acknowledged, run.elapsedNanos()));
    System.out.printf(
        "  %,d POSTs answered, %d not 2xx, %d without an answer, %,d started over one interval"
            + " behind schedule%n",
        run.requests(), run.notOk(), run.failed(), run.late());
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
