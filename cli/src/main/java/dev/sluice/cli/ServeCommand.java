package dev.sluice.cli;

import dev.sluice.service.SluiceService;
import dev.sluice.service.config.ConfigLoader;
import dev.sluice.service.config.SluiceConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice serve}: the long-running service. */
@Command(
    name = "serve",
    description = {
      "Run the service: HTTP API, embedded S3 endpoint, SQLite backlog, gate and dispatcher.",
      "Without --config: data in ./sluice-data, API on 127.0.0.1:8080, S3 on 127.0.0.1:9000,",
      "the log target, 50 releases per minute."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML config (see sluice.example.yaml).")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    SluiceConfig cfg = config == null ? SluiceConfig.defaults() : ConfigLoader.load(config);
    SluiceService service = SluiceService.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "sluice-shutdown"));
    // Human messages go to stderr: stdout carries the log target's JSON lines.
    System.err.printf(
        "sluice: serving. api %s, s3 %s, backlog %s, limits %s, target %s%n",
        service.apiUrl(),
        service.s3Endpoint() == null
            ? "disabled"
            : service.s3Endpoint() + " buckets " + cfg.s3Endpoint().buckets(),
        cfg.backlogFile(),
        LimitsText.render(
            dev.sluice.service.config.LimitsDocument.write(cfg.limits(), Json.MAPPER)),
        service.sluice().target().describe());
    if (!cfg.schedule().isEmpty()) {
      System.err.printf(
          "sluice: capacity schedule in %s, now %s%n",
          cfg.schedule().zone(),
          ScheduleText.capacity(
              dev.sluice.service.config.ScheduleDocument.writeCapacity(
                  service.sluice().capacity(), Json.MAPPER)));
    }
    if (service.restoredPaused()) {
      System.err.println(
          "sluice: paused, as an operator left it before the restart; `sluice resume` releases"
              + " again");
    }
    // Ends on a signal (the hook closes the service) or when a drain has emptied the backlog.
    service.drained().thenRun(stopped::countDown);
    stopped.await();
    if (service.drained().isDone()) {
      service.close();
      System.err.println("sluice: drained: the backlog is done; exiting");
    }
    return 0;
  }
}
