package dev.sluice.service;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Target;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import dev.sluice.service.config.WebhookAuthConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@link SluiceService} for a test: SQLite backlog in a temporary data dir, HTTP API on
 * 127.0.0.1 port 0, no S3 endpoint, the given target, and an {@link ApiCalls} client for its API.
 */
final class RunningSluice implements AutoCloseable {
  /** Retries that finish in milliseconds: 10 ms doubling up to 100 ms. */
  static RetryPolicy fastRetry(int maxAttempts) {
    return new RetryPolicy(maxAttempts, Duration.ofMillis(10), Duration.ofMillis(100), 2.0);
  }

  final SluiceService service;
  final ApiCalls api;

  private RunningSluice(SluiceService service) {
    this.service = service;
    this.api = new ApiCalls(service.apiUrl());
  }

  static RunningSluice start(Path dataDir, Target target, Limits limits, RetryPolicy retry) {
    return start(dataDir, target, limits, retry, false);
  }

  static RunningSluice start(
      Path dataDir, Target target, Limits limits, RetryPolicy retry, boolean paused) {
    SluiceService.Options options =
        new SluiceService.Options(target, System.out, paused, Duration.ofMillis(20));
    return new RunningSluice(
        SluiceService.start(config(dataDir, TargetConfig.log(), limits, retry), options));
  }

  /** A service whose webhook (and maybe control endpoints) {@code auth} guards. */
  static RunningSluice startWithAuth(
      Path dataDir, Target target, boolean paused, WebhookAuthConfig auth) {
    SluiceService.Options options =
        new SluiceService.Options(target, System.out, paused, Duration.ofMillis(20));
    SluiceConfig config =
        config(dataDir, TargetConfig.log(), Limits.none(), fastRetry(3)).withWebhookAuth(auth);
    return new RunningSluice(SluiceService.start(config, options));
  }

  /** A service on a configuration changed by {@code tweak}, with no limits. */
  static RunningSluice startWith(
      Path dataDir, Target target, java.util.function.UnaryOperator<SluiceConfig> tweak) {
    SluiceService.Options options =
        new SluiceService.Options(target, System.out, false, Duration.ofMillis(20));
    SluiceConfig config =
        tweak.apply(config(dataDir, TargetConfig.log(), Limits.none(), fastRetry(3)));
    return new RunningSluice(SluiceService.start(config, options));
  }

  /** A service on a configuration changed by {@code tweak}, with no limits, and these options. */
  static RunningSluice startWith(
      Path dataDir,
      Target target,
      java.util.function.UnaryOperator<SluiceConfig> tweak,
      java.util.function.UnaryOperator<SluiceService.Options> options) {
    SluiceConfig config =
        tweak.apply(config(dataDir, TargetConfig.log(), Limits.none(), fastRetry(3)));
    return new RunningSluice(
        SluiceService.start(
            config,
            options.apply(
                new SluiceService.Options(target, System.out, false, Duration.ofMillis(20)))));
  }

  /** A service whose target is built from configuration, as {@code sluice serve} builds it. */
  static RunningSluice startConfigured(
      Path dataDir, TargetConfig target, Limits limits, RetryPolicy retry) {
    SluiceService.Options options =
        new SluiceService.Options(null, System.out, false, Duration.ofMillis(20));
    return new RunningSluice(SluiceService.start(config(dataDir, target, limits, retry), options));
  }

  private static SluiceConfig config(
      Path dataDir, TargetConfig target, Limits limits, RetryPolicy retry) {
    return new SluiceConfig(
        dataDir,
        new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
        new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
        limits,
        retry,
        DispatcherConfig.defaults().withWorkers(16).withBatch(500),
        target,
        StoreConfig.defaults());
  }

  /** {@code GET /v1/status}, which must answer 200. */
  JsonNode status() {
    return api.get("/v1/status").ok();
  }

  @Override
  public void close() {
    service.close();
  }

  /**
   * Waits until the dispatcher has run two more release steps, so at least one began after this
   * call: whatever was accepted, paused or limited before the call, the dispatcher has since had
   * its chance to release it. A check that nothing was released after this cannot pass merely
   * because the dispatcher was slow.
   */
  void awaitDispatcherLooked() {
    var dispatcher = service.sluice().dispatcher();
    long from = dispatcher.releasePasses();
    await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.releasePasses() >= from + 2);
  }
}
