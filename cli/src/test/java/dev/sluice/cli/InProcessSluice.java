package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Target;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.SluiceService;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real {@link SluiceService} in the test JVM for the CLI to talk to: SQLite in a temporary data
 * dir, API on 127.0.0.1 port 0, no S3 endpoint, the given target. The test feeds it events and
 * reads its state over HTTP, the way the CLI's commands are checked against.
 */
final class InProcessSluice implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final SluiceService service;
  private final HttpClient http = HttpClient.newHttpClient();

  private InProcessSluice(SluiceService service) {
    this.service = service;
  }

  static InProcessSluice start(Path dataDir, Target target, Limits limits, boolean paused) {
    return start(dataDir, target, limits, paused, null);
  }

  /** As {@link #start}, with every control endpoint requiring {@code token} (null: open). */
  static InProcessSluice start(
      Path dataDir, Target target, Limits limits, boolean paused, String token) {
    SluiceConfig config =
        new SluiceConfig(
            dataDir,
            new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
            new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
            limits,
            new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100), 2.0),
            DispatcherConfig.defaults().withWorkers(8).withBatch(100),
            TargetConfig.log(),
            StoreConfig.defaults());
    if (token != null) {
      config =
          config.withWebhookAuth(
              new dev.sluice.service.config.WebhookAuthConfig(
                  token, null, "X-Sluice-Signature", true));
    }
    return new InProcessSluice(
        SluiceService.start(
            config, new SluiceService.Options(target, System.out, paused, Duration.ofMillis(20))));
  }

  /** As {@link #start}, releasing batches as {@code batch} says, grouped by bucket. */
  static InProcessSluice startBatching(
      Path dataDir,
      Target target,
      Limits limits,
      dev.sluice.service.config.BatchConfig batch,
      boolean paused) {
    SluiceConfig config =
        new SluiceConfig(
                dataDir,
                new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
                new S3EndpointConfig(
                    false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
                limits,
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100), 2.0),
                DispatcherConfig.defaults().withWorkers(8).withBatch(100),
                TargetConfig.log(),
                StoreConfig.defaults())
            .withBatch(batch)
            .withPartitions(
                new dev.sluice.service.config.PartitionsConfig(
                    dev.sluice.core.partition.PartitionRule.bucket()));
    return new InProcessSluice(
        SluiceService.start(
            config, new SluiceService.Options(target, System.out, paused, Duration.ofMillis(20))));
  }

  /** As {@link #start} with no limits, its backlog partitioned by {@code partitions}. */
  static InProcessSluice startPartitioned(
      Path dataDir,
      Target target,
      dev.sluice.service.config.PartitionsConfig partitions,
      boolean paused) {
    return startPartitioned(dataDir, target, partitions, Limits.none(), paused);
  }

  /** As {@link #start} under {@code limits}, its backlog partitioned by {@code partitions}. */
  static InProcessSluice startPartitioned(
      Path dataDir,
      Target target,
      dev.sluice.service.config.PartitionsConfig partitions,
      Limits limits,
      boolean paused) {
    SluiceConfig config =
        new SluiceConfig(
                dataDir,
                new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
                new S3EndpointConfig(
                    false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
                limits,
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100), 2.0),
                DispatcherConfig.defaults().withWorkers(8).withBatch(100),
                TargetConfig.log(),
                StoreConfig.defaults())
            .withPartitions(partitions);
    return new InProcessSluice(
        SluiceService.start(
            config, new SluiceService.Options(target, System.out, paused, Duration.ofMillis(20))));
  }

  /**
   * As {@link #start}, with the embedded S3 endpoint on (anonymous, any free port) holding {@code
   * bucket}: its objects live under {@link #objectsDir}.
   */
  static InProcessSluice startWithS3(Path dataDir, String bucket, boolean paused) {
    SluiceConfig config =
        new SluiceConfig(
            dataDir,
            new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
            new S3EndpointConfig(true, "127.0.0.1", 0, List.of(bucket), null, null, "us-east-1"),
            Limits.none(),
            new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100), 2.0),
            DispatcherConfig.defaults().withWorkers(8).withBatch(100),
            TargetConfig.log(),
            StoreConfig.defaults());
    return new InProcessSluice(
        SluiceService.start(
            config,
            new SluiceService.Options(
                dev.sluice.testkit.RecordingTarget.completing(),
                System.out,
                paused,
                Duration.ofMillis(20))));
  }

  /**
   * A node of several sharing the Postgres backlog at {@code databaseUrl}, under {@code nodeId}.
   */
  static InProcessSluice startNode(
      Path dataDir, Target target, Limits limits, String databaseUrl, String nodeId) {
    SluiceConfig config =
        new SluiceConfig(
                dataDir,
                new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
                new S3EndpointConfig(
                    false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
                limits,
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100), 2.0),
                DispatcherConfig.defaults().withWorkers(8).withBatch(100),
                TargetConfig.log(),
                StoreConfig.defaults())
            .withStore(
                StoreConfig.postgres(
                    new dev.sluice.service.config.PostgresStoreConfig(
                        dev.sluice.store.postgres.PostgresOptions.of(
                            databaseUrl,
                            dev.sluice.store.postgres.EmbeddedPostgresServer.USER,
                            null),
                        nodeId,
                        Duration.ofSeconds(2))));
    return new InProcessSluice(
        SluiceService.start(
            config, new SluiceService.Options(target, System.out, false, Duration.ofMillis(20))));
  }

  /** The value of {@code --url}. */
  /** The running service, for what the API does not show. */
  SluiceService service() {
    return service;
  }

  String url() {
    return service.apiUrl().toString();
  }

  /** Posts a notification body as S3 would send it; returns the intake's report. */
  JsonNode postNotification(String body) {
    return call("POST", "v1/events", body);
  }

  /** Posts an S3 notification with one ObjectCreated:Put record per key. */
  void postObjects(List<String> keys) {
    String records =
        keys.stream()
            .map(
                k ->
                    "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"landing\"},"
                        + "\"object\":{\"key\":\""
                        + k
                        + "\",\"size\":10,\"sequencer\":\"00A1\"}}}")
            .collect(Collectors.joining(","));
    JsonNode report = call("POST", "v1/events", "{\"Records\":[" + records + "]}");
    if (report.get("accepted").asInt() != keys.size()) {
      throw new IllegalStateException("not all accepted: " + report);
    }
  }

  static List<String> keys(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i + ".parquet").toList();
  }

  JsonNode status() {
    return call("GET", "v1/status", null);
  }

  /** The Prometheus text of {@code GET /metrics}. */
  String metrics() {
    HttpRequest request = HttpRequest.newBuilder(service.apiUrl().resolve("metrics")).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode limits() {
    return call("GET", "v1/limits", null);
  }

  JsonNode dead() {
    return call("GET", "v1/dead", null);
  }

  private JsonNode call(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(service.apiUrl().resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            method + " " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    service.close();
  }
}
