package dev.sluice.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.intake.KeyEncoding;
import dev.sluice.sources.sqs.SqsSourceSettings;
import dev.sluice.store.postgres.PostgresOptions;
import dev.sluice.store.sqlite.SqliteOptions;
import dev.sluice.targets.HttpTarget;
import dev.sluice.targets.aws.AwsClientSettings;
import dev.sluice.targets.aws.LambdaSettings;
import dev.sluice.targets.aws.StepFunctionsSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a parsed YAML document into a {@link SluiceConfig}: each section on top of its defaults,
 * unknown keys rejected.
 */
final class ConfigReader {

  /** Used for a window, rate or concurrency section that leaves a field out. */
  static final Limits.Window DEFAULT_WINDOW = new Limits.Window(50, Duration.ofMinutes(1), false);

  static final Limits.Rate DEFAULT_RATE = new Limits.Rate(10.0, 10);
  static final int DEFAULT_MAX_IN_FLIGHT = 5;

  private static final String LIMITS = "limits";

  private ConfigReader() {}

  static SluiceConfig read(YamlSection root) {
    root.allowOnly(
        "data-dir",
        "http",
        "s3-endpoint",
        "limits",
        "retry",
        "dispatcher",
        "target",
        "store",
        "sources",
        "retention",
        "schedule",
        "partitions",
        "batch");
    SluiceConfig defaults = SluiceConfig.defaults();
    Path dataDir = dataDir(root, defaults.dataDir());
    HttpConfig http = root.section("http").map(ConfigReader::http).orElse(defaults.http());
    S3EndpointConfig s3 =
        root.section("s3-endpoint").map(ConfigReader::s3Endpoint).orElse(defaults.s3Endpoint());
    Limits limits = root.section(LIMITS).map(ConfigReader::limitsInFile).orElse(defaults.limits());
    RetryPolicy retry = root.section("retry").map(ConfigReader::retry).orElse(defaults.retry());
    DispatcherConfig dispatcher =
        root.section("dispatcher")
            .map(d -> dispatcher(d, retry))
            .orElse(defaults.dispatcher().withRetry(retry));
    TargetConfig target =
        root.section("target").map(ConfigReader::target).orElse(defaults.target());
    StoreConfig store = root.section("store").map(ConfigReader::store).orElse(defaults.store());
    SourcesConfig sources =
        root.section("sources").map(ConfigReader::sources).orElse(defaults.sources());
    RetentionConfig retention =
        root.section("retention").map(ConfigReader::retention).orElse(defaults.retention());
    CapacitySchedule schedule =
        root.section("schedule").map(ScheduleDocument::read).orElse(defaults.schedule());
    BatchConfig batch = batch(root);
    // Batches are grouped by partition; without a partitions section, by bucket.
    PartitionsConfig partitions =
        root.section("partitions")
            .map(ConfigReader::partitions)
            .orElse(
                batch.batching()
                    ? new PartitionsConfig(PartitionRule.bucket())
                    : defaults.partitions());
    return root.build(
        () ->
            new SluiceConfig(
                dataDir,
                http,
                s3,
                limits,
                retry,
                dispatcher,
                target,
                store,
                sources,
                retention,
                schedule,
                partitions,
                batch));
  }

  /**
   * The {@code batch:} section and {@code limits.count}: with {@code batch.max} above 1 the count
   * must be stated, since a limit of 100 means 100 batches or 100 events.
   */
  private static BatchConfig batch(YamlSection root) {
    BatchSettings settings =
        root.section("batch").map(BatchDocument::read).orElse(BatchSettings.NONE);
    Optional<YamlSection> limits = root.section(LIMITS);
    LimitCount count =
        limits.isPresent() && limits.get().has("count")
            ? limits.get().choice("count", LimitCount.class, LimitCount.OBJECTS)
            : null;
    if (count == null && settings.batching()) {
      throw new ConfigException(
          LIMITS
              + ".count: must be set to jobs or objects when batch.max is above 1 (batch.max: "
              + settings.max()
              + "): a limit of N counts N batches (jobs) or N events (objects)");
    }
    LimitCount chosen = count == null ? LimitCount.OBJECTS : count;
    return new BatchConfig(settings, chosen);
  }

  private static PartitionsConfig partitions(YamlSection s) {
    s.allowOnly("by", "depth", "weights", "caps", "default-weight");
    PartitionRule.By by = s.choice("by", PartitionRule.By.class, PartitionRule.By.NONE);
    if (by != PartitionRule.By.PREFIX && s.has("depth")) {
      throw s.error(
          "depth",
          "applies to partitions.by: prefix only, got partitions.by: "
              + YamlSection.configName(by));
    }
    int depth = s.integer("depth", PartitionRule.DEFAULT_DEPTH);
    if (by == PartitionRule.By.PREFIX && depth < 1) {
      throw s.error("depth", "must be >= 1 (key segments in a partition), got " + depth);
    }
    PartitionRule rule =
        switch (by) {
          case NONE -> PartitionRule.none();
          case BUCKET -> PartitionRule.bucket();
          case PREFIX -> PartitionRule.prefix(depth);
        };
    PartitionShares shares = PartitionsDocument.readShares(s);
    if (by == PartitionRule.By.NONE) {
      for (String key : PartitionsDocument.SHARE_KEYS) {
        if (s.has(key)) {
          throw s.error(
              key,
              "divides a limit between partitions, so it needs partitions.by: bucket or prefix"
                  + " (got none)");
        }
      }
    }
    return s.build(() -> new PartitionsConfig(rule, shares));
  }

  private static RetentionConfig retention(YamlSection s) {
    s.allowOnly("dedup", "releases");
    Duration dedup = s.duration("dedup", RetentionConfig.DEFAULT_DEDUP);
    Duration releases = s.duration("releases", RetentionConfig.DEFAULT_RELEASES);
    return s.build(() -> new RetentionConfig(dedup, releases));
  }

  private static SourcesConfig sources(YamlSection s) {
    s.allowOnly("webhook", "sqs");
    SourcesConfig defaults = SourcesConfig.defaults();
    WebhookSourceConfig webhook =
        s.section("webhook").map(ConfigReader::webhook).orElse(defaults.webhook());
    WebhookAuthConfig auth =
        s.section("webhook")
            .flatMap(w -> w.section("auth"))
            .map(ConfigReader::auth)
            .orElse(defaults.webhookAuth());
    SqsSourceConfig sqs = s.section("sqs").map(ConfigReader::sqsSource).orElse(defaults.sqs());
    WebhookSourceConfig sqsDecoding =
        s.section("sqs").map(ConfigReader::decodingAndFilters).orElse(defaults.sqsDecoding());
    return new SourcesConfig(webhook, auth, sqs, sqsDecoding);
  }

  private static WebhookAuthConfig auth(YamlSection a) {
    a.allowOnly("bearer-token", "hmac-secret", "hmac-header", "protect-control");
    String token = a.string("bearer-token", null);
    String secret = a.string("hmac-secret", null);
    String header = a.string("hmac-header", WebhookAuthConfig.DEFAULT_HMAC_HEADER);
    boolean protectControl = a.bool("protect-control", false);
    return a.build(() -> new WebhookAuthConfig(token, secret, header, protectControl));
  }

  private static Path dataDir(YamlSection root, Path fallback) {
    String text = root.string("data-dir", null);
    if (text == null) {
      return fallback;
    }
    if (text.isBlank()) {
      throw root.error("data-dir", "must not be empty");
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw root.error("data-dir", "not a valid path: " + e.getMessage());
    }
  }

  private static HttpConfig http(YamlSection s) {
    s.allowOnly("host", "port", "max-body", "control-token", "allow-unprotected");
    String host = s.string("host", HttpConfig.DEFAULT_HOST);
    int port = s.integer("port", HttpConfig.DEFAULT_PORT);
    long maxBody = s.byteSize("max-body", HttpConfig.DEFAULT_MAX_BODY);
    String controlToken = s.string("control-token", null);
    boolean allowUnprotected = s.bool("allow-unprotected", false);
    return s.build(() -> new HttpConfig(host, port, maxBody, controlToken, allowUnprotected));
  }

  private static S3EndpointConfig s3Endpoint(YamlSection s) {
    s.allowOnly(
        "enabled",
        "host",
        "port",
        "buckets",
        "access-key",
        "secret-key",
        "region",
        "prefix",
        "suffix",
        "allow-unprotected");
    boolean enabled = s.bool("enabled", true);
    String host = s.string("host", S3EndpointConfig.DEFAULT_HOST);
    int port = s.integer("port", S3EndpointConfig.DEFAULT_PORT);
    var buckets = s.strings("buckets", S3EndpointConfig.DEFAULT_BUCKETS);
    String accessKey = s.string("access-key", null);
    String secretKey = s.string("secret-key", null);
    String region = s.string("region", S3EndpointConfig.DEFAULT_REGION);
    String prefix = s.string("prefix", "");
    String suffix = s.string("suffix", "");
    boolean allowUnprotected = s.bool("allow-unprotected", false);
    return s.build(
        () ->
            new S3EndpointConfig(
                enabled,
                host,
                port,
                buckets,
                accessKey,
                secretKey,
                region,
                prefix,
                suffix,
                allowUnprotected));
  }

  /** A limits document on its own, as {@code PUT /v1/limits} receives it. */
  static Limits limits(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new ConfigException("limits: expected an object with window, rate and/or concurrency");
    }
    return limits(YamlSection.at(LIMITS, node));
  }

  /** A limits section replaces the default window: only what it names is limited. */
  static Limits limits(YamlSection s) {
    return limits(s, false);
  }

  /**
   * The file's limits section, which may also say what the limits count ({@code count}, read with
   * the batch section: it is no limit, and is not changed at runtime).
   */
  private static Limits limitsInFile(YamlSection s) {
    return limits(s, true);
  }

  private static Limits limits(YamlSection s, boolean countAllowed) {
    if (countAllowed) {
      s.allowOnly("window", "rate", "concurrency", "count");
    } else {
      s.allowOnly("window", "rate", "concurrency");
    }
    String at = s.path();
    Limits.Window window = s.section("window").map(w -> window(w, at)).orElse(null);
    Limits.Rate rate = s.section("rate").map(r -> rate(r, at)).orElse(null);
    Integer maxInFlight =
        s.section("concurrency")
            .map(c -> c.allowOnly("max-in-flight").integer("max-in-flight", DEFAULT_MAX_IN_FLIGHT))
            .orElse(null);
    return s.build(() -> new Limits(window, rate, maxInFlight));
  }

  private static Limits.Window window(YamlSection w, String limitsPath) {
    w.allowOnly("limit", "every", "aligned");
    int limit = w.integer("limit", DEFAULT_WINDOW.limit());
    Duration every = w.duration("every", DEFAULT_WINDOW.every());
    boolean aligned = w.bool("aligned", DEFAULT_WINDOW.aligned());
    // Limits' own messages start with "window.", so they are qualified from the limits section.
    return YamlSection.buildAt(limitsPath, () -> new Limits.Window(limit, every, aligned));
  }

  private static Limits.Rate rate(YamlSection r, String limitsPath) {
    r.allowOnly("per-second", "burst");
    double perSecond = r.number("per-second", DEFAULT_RATE.perSecond());
    int burst = r.integer("burst", DEFAULT_RATE.burst());
    return YamlSection.buildAt(limitsPath, () -> new Limits.Rate(perSecond, burst));
  }

  private static RetryPolicy retry(YamlSection s) {
    s.allowOnly("max-attempts", "initial-backoff", "max-backoff", "multiplier");
    int maxAttempts = s.integer("max-attempts", RetryPolicy.DEFAULT_MAX_ATTEMPTS);
    Duration initial = s.duration("initial-backoff", RetryPolicy.DEFAULT_INITIAL_BACKOFF);
    Duration max = s.duration("max-backoff", RetryPolicy.DEFAULT_MAX_BACKOFF);
    double multiplier = s.number("multiplier", RetryPolicy.DEFAULT_MULTIPLIER);
    return s.build(() -> new RetryPolicy(maxAttempts, initial, max, multiplier));
  }

  private static DispatcherConfig dispatcher(YamlSection s, RetryPolicy retry) {
    s.allowOnly("lease", "workers", "batch", "lead", "adaptive");
    Duration lease = s.duration("lease", DispatcherConfig.DEFAULT_LEASE);
    int workers = s.integer("workers", DispatcherConfig.DEFAULT_WORKERS);
    int batch = s.integer("batch", DispatcherConfig.DEFAULT_BATCH);
    Duration lead = s.duration("lead", DispatcherConfig.DEFAULT_LEAD);
    AdaptiveSettings adaptive =
        s.section("adaptive").map(AdaptiveDocument::read).orElse(AdaptiveSettings.off());
    return s.build(
        () ->
            new DispatcherConfig(
                lease, workers, batch, DispatcherConfig.DEFAULT_IDLE_POLL, retry, lead, adaptive));
  }

  private static TargetConfig target(YamlSection s) {
    s.allowOnly(
        "type",
        "command",
        "timeout",
        "url",
        "headers",
        "state-machine-arn",
        "completion",
        "poll-interval",
        "max-execution-time",
        "function",
        "invocation-type",
        "retry-function-errors",
        "permanent-error-types",
        "region",
        "endpoint");
    TargetConfig.Type type = s.choice("type", TargetConfig.Type.class, TargetConfig.Type.LOG);
    List<String> command = s.strings("command", List.of());
    Duration timeout = s.duration("timeout", TargetConfig.DEFAULT_TIMEOUT);
    URI url = url(s, "url");
    Map<String, String> headers = s.stringMap("headers", Map.of());
    String region = s.string("region", null);
    URI endpoint = url(s, "endpoint");
    // Keys of another type are checked by that type's own rules, though not kept: a file that
    // switches type later does not meet an old mistake then.
    s.build(
        () -> {
          HttpTarget.Config.checkHeaders(headers);
          return new AwsClientSettings(region, endpoint, timeout);
        });
    return switch (type) {
      case LOG -> TargetConfig.log();
      case COMMAND -> {
        if (command.isEmpty() || command.get(0).isBlank()) {
          throw s.error("command", "must name a program when type is command, got " + command);
        }
        yield s.build(() -> TargetConfig.command(command, timeout));
      }
      case HTTP -> {
        if (url == null) {
          throw s.error(
              "url", "must be an http or https URL with a host when type is http, got nothing");
        }
        yield s.build(() -> TargetConfig.http(url, timeout, headers));
      }
      case STEP_FUNCTIONS -> {
        StepFunctionsSettings d = StepFunctionsSettings.of(STATE_MACHINE_PLACEHOLDER);
        String arn = s.string("state-machine-arn", null);
        var completion =
            s.choice("completion", StepFunctionsSettings.Completion.class, d.completion());
        Duration poll = s.duration("poll-interval", d.pollInterval());
        Duration maxTime = s.duration("max-execution-time", d.maxExecutionTime());
        if (arn == null) {
          throw s.error("state-machine-arn", "must be set when type is step-functions");
        }
        StepFunctionsSettings settings =
            s.build(() -> new StepFunctionsSettings(arn.strip(), completion, poll, maxTime));
        yield s.build(() -> TargetConfig.stepFunctions(settings, timeout, region, endpoint));
      }
      case LAMBDA -> {
        String function = s.string("function", null);
        String invocationType = s.string("invocation-type", "RequestResponse");
        boolean retryErrors = s.bool("retry-function-errors", true);
        var permanent = s.strings("permanent-error-types", List.of());
        LambdaSettings settings =
            s.build(
                () ->
                    new LambdaSettings(
                        function,
                        LambdaSettings.InvocationType.parse(invocationType),
                        retryErrors,
                        Set.copyOf(permanent)));
        yield s.build(() -> TargetConfig.lambda(settings, timeout, region, endpoint));
      }
    };
  }

  /** Only to read the defaults of the step-functions settings. */
  private static final String STATE_MACHINE_PLACEHOLDER =
      "arn:aws:states:us-east-1:000000000000:stateMachine:defaults";

  private static URI url(YamlSection s, String key) {
    String text = s.string(key, null);
    if (text == null) {
      return null;
    }
    try {
      return new URI(text.strip());
    } catch (URISyntaxException e) {
      throw s.error(key, "not a valid URL: " + e.getMessage());
    }
  }

  private static final String[] DECODING_AND_FILTER_KEYS = {
    "key-encoding", "event-names", "prefix", "suffix"
  };

  private static WebhookSourceConfig webhook(YamlSection s) {
    s.allowOnly(concat(DECODING_AND_FILTER_KEYS, "auth"));
    return decodingAndFilters(s);
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** Key decoding and filters, the same keys for every source that reads notifications. */
  private static WebhookSourceConfig decodingAndFilters(YamlSection s) {
    WebhookSourceConfig defaults = WebhookSourceConfig.defaults();
    KeyEncoding keyEncoding = s.choice("key-encoding", KeyEncoding.class, defaults.keyEncoding());
    List<String> eventNames = s.strings("event-names", defaults.eventNames());
    String prefix = s.string("prefix", defaults.prefix());
    String suffix = s.string("suffix", defaults.suffix());
    return s.build(() -> new WebhookSourceConfig(keyEncoding, eventNames, prefix, suffix));
  }

  private static SqsSourceConfig sqsSource(YamlSection s) {
    s.allowOnly(
        concat(
            DECODING_AND_FILTER_KEYS,
            "enabled",
            "queue-url",
            "endpoint",
            "region",
            "access-key",
            "secret-key",
            "wait-time",
            "visibility-timeout",
            "max-messages"));
    boolean enabled = s.bool("enabled", false);
    URI queueUrl = uri(s, "queue-url");
    URI endpoint = uri(s, "endpoint");
    String region = s.string("region", null);
    String accessKey = s.string("access-key", null);
    String secretKey = s.string("secret-key", null);
    Duration waitTime = s.duration("wait-time", SqsSourceSettings.DEFAULT_WAIT_TIME);
    Duration visibility =
        s.duration("visibility-timeout", SqsSourceSettings.DEFAULT_VISIBILITY_TIMEOUT);
    int maxMessages = s.integer("max-messages", SqsSourceSettings.DEFAULT_MAX_MESSAGES);
    return s.build(
        () ->
            new SqsSourceConfig(
                enabled,
                queueUrl,
                endpoint,
                region,
                accessKey,
                secretKey,
                waitTime,
                visibility,
                maxMessages));
  }

  private static URI uri(YamlSection s, String key) {
    String text = s.string(key, null);
    if (text == null) {
      return null;
    }
    try {
      return new URI(text.strip());
    } catch (URISyntaxException e) {
      throw s.error(key, "not a valid URL: " + e.getMessage());
    }
  }

  /** Which backlog {@code store.backlog} names. */
  enum BacklogKind {
    SQLITE,
    POSTGRES
  }

  private static StoreConfig store(YamlSection s) {
    s.allowOnly("backlog", "synchronous", "max-size", "postgres");
    BacklogKind kind = s.choice("backlog", BacklogKind.class, BacklogKind.SQLITE);
    SqliteOptions.Synchronous synchronous =
        s.choice(
            "synchronous", SqliteOptions.Synchronous.class, StoreConfig.defaults().synchronous());
    long maxSize = s.byteSize("max-size", StoreConfig.NO_MAX_SIZE);
    Optional<YamlSection> pg = s.section("postgres");
    if (kind == BacklogKind.POSTGRES && pg.isEmpty()) {
      throw s.error("postgres", "required when store.backlog is postgres (at least its url)");
    }
    if (kind == BacklogKind.SQLITE && pg.isPresent()) {
      throw s.error("postgres", "set, but store.backlog is sqlite: set store.backlog: postgres");
    }
    PostgresStoreConfig postgres = pg.map(ConfigReader::postgres).orElse(null);
    return s.build(() -> new StoreConfig(synchronous, maxSize, postgres));
  }

  private static PostgresStoreConfig postgres(YamlSection p) {
    p.allowOnly("url", "user", "password", "pool-size", "connect-timeout", "node-id", "gate-term");
    String url = p.string("url", null);
    String user = p.string("user", "postgres");
    String password = p.string("password", null);
    int poolSize = p.integer("pool-size", PostgresOptions.DEFAULT_POOL_SIZE);
    Duration connectTimeout =
        p.duration("connect-timeout", PostgresOptions.DEFAULT_CONNECT_TIMEOUT);
    String nodeId = p.string("node-id", null);
    Duration gateTerm = p.duration("gate-term", PostgresStoreConfig.DEFAULT_GATE_TERM);
    PostgresOptions options =
        p.build(() -> new PostgresOptions(url, user, password, poolSize, connectTimeout));
    return p.build(() -> new PostgresStoreConfig(options, nodeId, gateTerm));
  }
}
