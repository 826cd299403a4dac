package dev.sluice.service.config;

import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code sluice serve} needs to start. Built by {@link ConfigLoader} from a YAML file,
 * or {@link #defaults()} when there is none.
 *
 * @param dataDir where the backlog ({@code backlog.db}) and the endpoint's objects live; a relative
 *     path is relative to the working directory
 * @param http the HTTP API
 * @param s3Endpoint the embedded S3-compatible endpoint
 * @param limits the gate's limits; {@link Limits#none()} means release as fast as the target takes
 * @param retry retries and dead letters ({@code retry:})
 * @param dispatcher the release loop ({@code dispatcher:}); its {@link DispatcherConfig#retry()} is
 *     always {@code retry}, so the two sections of the file stay one setting each
 * @param target what a job starts
 * @param store the SQLite backlog
 * @param sources webhook and other sources ({@code sources})
 * @param retention how long settled events and releases are kept ({@code retention}); neither
 *     horizon may be shorter than the span of the release log the dispatcher reads to restore the
 *     gate after a restart (the longest limit window or refill time, plus the lease)
 * @param schedule limits by time of day and blackouts over {@code limits} ({@code schedule:});
 *     {@link CapacitySchedule#NONE}: {@code limits} always
 * @param partitions how events are grouped into partitions ({@code partitions:}); {@link
 *     PartitionsConfig#defaults()}: none
 * @param batch batches of events ({@code batch:}) and what the limits count ({@code limits.count});
 *     {@link BatchConfig#none()}: one event per job
 */
public record SluiceConfig(
    Path dataDir,
    HttpConfig http,
    S3EndpointConfig s3Endpoint,
    Limits limits,
    RetryPolicy retry,
    DispatcherConfig dispatcher,
    TargetConfig target,
    StoreConfig store,
    SourcesConfig sources,
    RetentionConfig retention,
    CapacitySchedule schedule,
    PartitionsConfig partitions,
    BatchConfig batch) {

  public static final Path DEFAULT_DATA_DIR = Path.of("./sluice-data");

  /** The reference AWS architecture's limit: 50 releases per minute. */
  public static final Limits DEFAULT_LIMITS = Limits.window(50, Duration.ofMinutes(1));

  public SluiceConfig {
    Objects.requireNonNull(dataDir, "data-dir");
    if (dataDir.toString().isBlank()) {
      throw new IllegalArgumentException("data-dir must not be empty");
    }
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(s3Endpoint, "s3-endpoint");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(dispatcher, "dispatcher");
    dispatcher = dispatcher.withRetry(retry);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(partitions, "partitions");
    Objects.requireNonNull(batch, "batch");
    batch.checkAgainst(limits);
    batch.checkAgainst(partitions.shares());
    Duration needed = releaseLogNeeded(limits, schedule, dispatcher);
    atLeast("retention.releases", retention.releases(), needed);
    atLeast("retention.dedup", retention.dedup(), needed);
    if (s3Endpoint.enabled()
        && http.port() != 0
        && http.port() == s3Endpoint.port()
        && http.host().equals(s3Endpoint.host())) {
      throw new IllegalArgumentException(
          "s3-endpoint.port must differ from http.port on the same host, got " + http.port());
    }
  }

  /** A configuration without batches. */
  public SluiceConfig(
      Path dataDir,
      HttpConfig http,
      S3EndpointConfig s3Endpoint,
      Limits limits,
      RetryPolicy retry,
      DispatcherConfig dispatcher,
      TargetConfig target,
      StoreConfig store,
      SourcesConfig sources,
      RetentionConfig retention,
      CapacitySchedule schedule,
      PartitionsConfig partitions) {
    this(
        dataDir,
        http,
        s3Endpoint,
        limits,
        retry,
        dispatcher,
        target,
        store,
        sources,
        retention,
        schedule,
        partitions,
        BatchConfig.none());
  }

  /** A configuration without partitions. */
  public SluiceConfig(
      Path dataDir,
      HttpConfig http,
      S3EndpointConfig s3Endpoint,
      Limits limits,
      RetryPolicy retry,
      DispatcherConfig dispatcher,
      TargetConfig target,
      StoreConfig store,
      SourcesConfig sources,
      RetentionConfig retention,
      CapacitySchedule schedule) {
    this(
        dataDir,
        http,
        s3Endpoint,
        limits,
        retry,
        dispatcher,
        target,
        store,
        sources,
        retention,
        schedule,
        PartitionsConfig.defaults());
  }

  /** A configuration without a capacity schedule. */
  public SluiceConfig(
      Path dataDir,
      HttpConfig http,
      S3EndpointConfig s3Endpoint,
      Limits limits,
      RetryPolicy retry,
      DispatcherConfig dispatcher,
      TargetConfig target,
      StoreConfig store,
      SourcesConfig sources,
      RetentionConfig retention) {
    this(
        dataDir,
        http,
        s3Endpoint,
        limits,
        retry,
        dispatcher,
        target,
        store,
        sources,
        retention,
        CapacitySchedule.NONE);
  }

  /** A configuration with the default retention. */
  public SluiceConfig(
      Path dataDir,
      HttpConfig http,
      S3EndpointConfig s3Endpoint,
      Limits limits,
      RetryPolicy retry,
      DispatcherConfig dispatcher,
      TargetConfig target,
      StoreConfig store,
      SourcesConfig sources) {
    this(
        dataDir,
        http,
        s3Endpoint,
        limits,
        retry,
        dispatcher,
        target,
        store,
        sources,
        RetentionConfig.defaults());
  }

  /**
   * How far back the dispatcher reads the release log when it restores the gate at a start: the
   * gate's history (the longest window, or the time a rate takes to refill, of the limits and of
   * every rule of the schedule) plus the lease, within which a released job may still reach the
   * target.
   */
  public static Duration releaseLogNeeded(
      Limits limits, CapacitySchedule schedule, DispatcherConfig dispatcher) {
    return schedule.historyNeeded(limits).plus(dispatcher.lease());
  }

  /** As {@link #releaseLogNeeded(Limits, CapacitySchedule, DispatcherConfig)} with no schedule. */
  public static Duration releaseLogNeeded(Limits limits, DispatcherConfig dispatcher) {
    return releaseLogNeeded(limits, CapacitySchedule.NONE, dispatcher);
  }

  /** This configuration with another capacity schedule. */
  public SluiceConfig withSchedule(CapacitySchedule s) {
    Copy c = new Copy(this);
    c.schedule = s;
    return c.build();
  }

  private static void atLeast(String key, Duration horizon, Duration needed) {
    if (horizon.compareTo(needed) < 0) {
      throw new IllegalArgumentException(
          key
              + " must be at least "
              + DurationText.format(needed)
              + ", got "
              + DurationText.format(horizon)
              + ": the dispatcher restores the gate from the release log of the longest limit"
              + " window (or rate refill) plus dispatcher.lease, and the events of those releases"
              + " must still be known");
    }
  }

  /** This configuration with other batch settings. */
  public SluiceConfig withBatch(BatchConfig b) {
    Copy c = new Copy(this);
    c.batch = b;
    return c.build();
  }

  /** This configuration with another partitions section. */
  public SluiceConfig withPartitions(PartitionsConfig p) {
    Copy c = new Copy(this);
    c.partitions = p;
    return c.build();
  }

  /** This configuration with another retention section. */
  public SluiceConfig withRetention(RetentionConfig r) {
    Copy c = new Copy(this);
    c.retention = r;
    return c.build();
  }

  /** This configuration with another dispatcher section (the retry section is kept). */
  public SluiceConfig withDispatcher(DispatcherConfig d) {
    Copy c = new Copy(this);
    c.dispatcher = d;
    return c.build();
  }

  /** This configuration with another target. */
  public SluiceConfig withTarget(TargetConfig t) {
    Copy c = new Copy(this);
    c.target = t;
    return c.build();
  }

  /** A configuration with the default sources. */
  public SluiceConfig(
      Path dataDir,
      HttpConfig http,
      S3EndpointConfig s3Endpoint,
      Limits limits,
      RetryPolicy retry,
      DispatcherConfig dispatcher,
      TargetConfig target,
      StoreConfig store) {
    this(
        dataDir,
        http,
        s3Endpoint,
        limits,
        retry,
        dispatcher,
        target,
        store,
        SourcesConfig.defaults());
  }

  /** The webhook source ({@code sources.webhook}). */
  public WebhookSourceConfig webhook() {
    return sources.webhook();
  }

  /** Who may post to the webhook ({@code sources.webhook.auth}). */
  public WebhookAuthConfig webhookAuth() {
    return sources.webhookAuth();
  }

  /** This configuration with other sources. */
  public SluiceConfig withSources(SourcesConfig s) {
    Copy c = new Copy(this);
    c.sources = s;
    return c.build();
  }

  /** This configuration with another HTTP API section. */
  public SluiceConfig withHttp(HttpConfig h) {
    Copy c = new Copy(this);
    c.http = h;
    return c.build();
  }

  /** This configuration with another S3 endpoint section. */
  public SluiceConfig withS3Endpoint(S3EndpointConfig s) {
    Copy c = new Copy(this);
    c.s3Endpoint = s;
    return c.build();
  }

  /** This configuration with another store section. */
  public SluiceConfig withStore(StoreConfig s) {
    Copy c = new Copy(this);
    c.store = s;
    return c.build();
  }

  /** This configuration with other limits. */
  public SluiceConfig withLimits(Limits l) {
    Copy c = new Copy(this);
    c.limits = l;
    return c.build();
  }

  /** The SQS source ({@code sources.sqs}). */
  public SqsSourceConfig sqsSource() {
    return sources.sqs();
  }

  /** This configuration with another SQS source. */
  public SluiceConfig withSqsSource(SqsSourceConfig sqs) {
    return withSources(sources.withSqs(sqs));
  }

  /** This configuration with another webhook source. */
  public SluiceConfig withWebhook(WebhookSourceConfig w) {
    return withSources(sources.withWebhook(w));
  }

  /** This configuration with {@code auth} guarding the webhook. */
  public SluiceConfig withWebhookAuth(WebhookAuthConfig auth) {
    return withSources(sources.withWebhookAuth(auth));
  }

  /** The configuration with no file: every default. */
  public static SluiceConfig defaults() {
    return new SluiceConfig(
        DEFAULT_DATA_DIR,
        HttpConfig.defaults(),
        S3EndpointConfig.defaults(),
        DEFAULT_LIMITS,
        RetryPolicy.defaults(),
        DispatcherConfig.defaults(),
        TargetConfig.log(),
        StoreConfig.defaults());
  }

  /** The SQLite backlog file. */
  public Path backlogFile() {
    return dataDir.resolve("backlog.db");
  }

  /** Where the embedded S3 endpoint keeps objects. */
  public Path objectsDir() {
    return dataDir.resolve("objects");
  }

  /**
   * This configuration's sections, to change one and build again: what the with-methods do, so each
   * names only the section it changes.
   */
  private static final class Copy {
    private Path dataDir;
    private HttpConfig http;
    private S3EndpointConfig s3Endpoint;
    private Limits limits;
    private RetryPolicy retry;
    private DispatcherConfig dispatcher;
    private TargetConfig target;
    private StoreConfig store;
    private SourcesConfig sources;
    private RetentionConfig retention;
    private CapacitySchedule schedule;
    private PartitionsConfig partitions;
    private BatchConfig batch;

    Copy(SluiceConfig c) {
      dataDir = c.dataDir;
      http = c.http;
      s3Endpoint = c.s3Endpoint;
      limits = c.limits;
      retry = c.retry;
      dispatcher = c.dispatcher;
      target = c.target;
      store = c.store;
      sources = c.sources;
      retention = c.retention;
      schedule = c.schedule;
      partitions = c.partitions;
      batch = c.batch;
    }

    SluiceConfig build() {
      return new SluiceConfig(
          dataDir,
          http,
          s3Endpoint,
          limits,
          retry,
          dispatcher,
          target,
          store,
          sources,
          retention,
          schedule,
          partitions,
          batch);
    }
  }
}
