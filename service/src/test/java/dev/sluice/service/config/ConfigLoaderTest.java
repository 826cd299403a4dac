package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.Limits;
import dev.sluice.store.postgres.PostgresOptions;
import dev.sluice.store.sqlite.SqliteOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading good files. Expected values come from the documented schema and defaults. */
class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaults_whenNoFile_matchTheDocumentedDefaults() {
    SluiceConfig config = SluiceConfig.defaults();

    assertThat(config.dataDir()).isEqualTo(Path.of("./sluice-data"));
    assertThat(config.backlogFile()).isEqualTo(Path.of("./sluice-data/backlog.db"));
    assertThat(config.objectsDir()).isEqualTo(Path.of("./sluice-data/objects"));
    assertThat(config.http()).isEqualTo(new HttpConfig("127.0.0.1", 8080, 1024 * 1024));
    assertThat(config.s3Endpoint())
        .isEqualTo(
            new S3EndpointConfig(
                true, "127.0.0.1", 9000, List.of("data"), null, null, "us-east-1"));
    assertThat(config.limits())
        .isEqualTo(new Limits(new Limits.Window(50, Duration.ofMinutes(1), false), null, null));
    assertThat(config.retry())
        .isEqualTo(new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0));
    assertThat(config.dispatcher())
        .isEqualTo(
            new DispatcherConfig(
                Duration.ofMinutes(5),
                64,
                500,
                Duration.ofMillis(100),
                new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0),
                Duration.ofMillis(50)));
    assertThat(config.target().type()).isEqualTo(TargetConfig.Type.LOG);
    assertThat(config.target().timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.store().synchronous()).isEqualTo(SqliteOptions.Synchronous.FULL);
  }

  @Test
  void parse_whenEmptyDocument_givesDefaults() {
    assertThat(ConfigLoader.parse("")).isEqualTo(SluiceConfig.defaults());
    assertThat(ConfigLoader.parse("# nothing but a comment\n")).isEqualTo(SluiceConfig.defaults());
  }

  @Test
  void load_whenEveryKeySet_readsEveryValue() throws Exception {
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(
        file,
        """
        data-dir: /var/lib/sluice
        http: { host: 0.0.0.0, port: 8181, max-body: 512KiB }
        s3-endpoint:
          enabled: false
          host: 0.0.0.0
          port: 9100
          buckets: [raw, curated.v2]
          access-key: AKIDEXAMPLE
          secret-key: wJalrXUtnFEMI
          region: eu-west-1
        limits:
          window: { limit: 100, every: 30s, aligned: true }
          rate: { per-second: 2.5, burst: 4 }
          concurrency: { max-in-flight: 7 }
        retry: { max-attempts: 3, initial-backoff: 500ms, max-backoff: 1h, multiplier: 3 }
        dispatcher: { lease: PT10M, workers: 8, batch: 50, lead: 20ms }
        target:
          type: http
          timeout: 10s
          url: https://jobs.example.com/start
          headers: { Authorization: Bearer abc, X-Team: data }
        store: { synchronous: normal }
        """);

    SluiceConfig config = ConfigLoader.load(file);

    assertThat(config)
        .isEqualTo(
            new SluiceConfig(
                Path.of("/var/lib/sluice"),
                new HttpConfig("0.0.0.0", 8181, 512 * 1024),
                new S3EndpointConfig(
                    false,
                    "0.0.0.0",
                    9100,
                    List.of("raw", "curated.v2"),
                    "AKIDEXAMPLE",
                    "wJalrXUtnFEMI",
                    "eu-west-1"),
                new Limits(
                    new Limits.Window(100, Duration.ofSeconds(30), true),
                    new Limits.Rate(2.5, 4),
                    7),
                new RetryPolicy(3, Duration.ofMillis(500), Duration.ofHours(1), 3.0),
                new DispatcherConfig(
                    Duration.ofMinutes(10),
                    8,
                    50,
                    Duration.ofMillis(100),
                    new RetryPolicy(3, Duration.ofMillis(500), Duration.ofHours(1), 3.0),
                    Duration.ofMillis(20)),
                TargetConfig.http(
                    URI.create("https://jobs.example.com/start"),
                    Duration.ofSeconds(10),
                    Map.of("Authorization", "Bearer abc", "X-Team", "data")),
                new StoreConfig(SqliteOptions.Synchronous.NORMAL)));
    assertThat(config.s3Endpoint().toString()).doesNotContain("wJalrXUtnFEMI");
    assertThat(config.toString()).doesNotContain("wJalrXUtnFEMI").doesNotContain("Bearer abc");
  }

  @Test
  void parse_whenSectionPartlySet_keepsDefaultsForTheRest() {
    SluiceConfig config = ConfigLoader.parse("http:\n  port: 9090\n");

    assertThat(config.http()).isEqualTo(new HttpConfig("127.0.0.1", 9090, 1024 * 1024));
    assertThat(config.limits()).isEqualTo(SluiceConfig.DEFAULT_LIMITS);
  }

  @Test
  void parse_whenStoreMaxSizeSet_readsItInBytes() {
    assertThat(ConfigLoader.parse("store:\n  max-size: 10GiB\n").store())
        .isEqualTo(new StoreConfig(SqliteOptions.Synchronous.FULL, 10L * 1024 * 1024 * 1024));
    assertThat(ConfigLoader.parse("store:\n  synchronous: full\n").store().maxSize())
        .as("no cap unless set")
        .isEqualTo(StoreConfig.NO_MAX_SIZE);
  }

  @Test
  void parse_whenPostgresBacklog_readsTheSharedStoreAndThisNodesPlace() {
    StoreConfig store =
        ConfigLoader.parse(
                """
                store:
                  backlog: postgres
                  postgres:
                    url: jdbc:postgresql://db.internal:5432/sluice
                    user: sluice
                    password: s3cret
                    pool-size: 12
                    connect-timeout: 2s
                    node-id: node-a
                    gate-term: 3s
                """)
            .store();

    assertThat(store.shared()).isTrue();
    assertThat(store.postgres())
        .isEqualTo(
            new PostgresStoreConfig(
                new PostgresOptions(
                    "jdbc:postgresql://db.internal:5432/sluice",
                    "sluice",
                    "s3cret",
                    12,
                    Duration.ofSeconds(2)),
                "node-a",
                Duration.ofSeconds(3)));
    assertThat(store.toString()).doesNotContain("s3cret");
  }

  @Test
  void parse_whenPostgresBacklogKeysAreLeftOut_takesTheDocumentedDefaults() {
    PostgresStoreConfig pg =
        ConfigLoader.parse(
                "store: { backlog: postgres, postgres: { url: 'jdbc:postgresql://h/db' } }\n")
            .store()
            .postgres();

    assertThat(pg)
        .isEqualTo(
            new PostgresStoreConfig(
                PostgresOptions.of("jdbc:postgresql://h/db", "postgres", null),
                null,
                PostgresStoreConfig.DEFAULT_GATE_TERM));
  }

  @Test
  void parse_whenPostgresSettingsAreWrong_namesTheKey() {
    assertThatThrownBy(() -> ConfigLoader.parse("store: { backlog: postgres }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.postgres: required when store.backlog is postgres");
    assertThatThrownBy(
            () -> ConfigLoader.parse("store: { postgres: { url: 'jdbc:postgresql://h/db' } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.postgres: set, but store.backlog is sqlite");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "store: { backlog: postgres, postgres: { url: 'jdbc:postgresql://h/db',"
                        + " pool-size: 0 } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("store.postgres.pool-size: must be between 1 and 1000, got 0");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "store: { backlog: postgres, postgres: { url: 'mysql://h/db' } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.postgres.url: must start with jdbc:postgresql:");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "store: { backlog: postgres, postgres: { url: 'jdbc:postgresql://h/db',"
                        + " gate-term: 100ms } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.postgres.gate-term: must be at least 1s");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "store: { backlog: postgres, postgres: { url: 'jdbc:postgresql://h/db',"
                        + " node-id: 'has space' } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.postgres.node-id: must be 1 to 100 of letters");
    assertThatThrownBy(() -> ConfigLoader.parse("store: { backlog: oracle }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.backlog:");
  }

  @Test
  void parse_whenLimitsSet_replacesTheDefaultWindow() {
    SluiceConfig config = ConfigLoader.parse("limits: { concurrency: { max-in-flight: 5 } }\n");

    assertThat(config.limits()).isEqualTo(new Limits(null, null, 5));
  }

  @Test
  void parse_whenLimitsEmpty_hasNoLimits() {
    assertThat(ConfigLoader.parse("limits: {}\n").limits()).isEqualTo(Limits.none());
  }

  @Test
  void parse_whenLimitSubsectionPartlySet_takesDocumentedFieldDefaults() {
    SluiceConfig config =
        ConfigLoader.parse("limits:\n  rate: { per-second: 20 }\n  window: { limit: 7 }\n");

    assertThat(config.limits())
        .isEqualTo(
            new Limits(
                new Limits.Window(7, Duration.ofMinutes(1), false), new Limits.Rate(20, 10), null));
  }

  @Test
  void parse_whenCommandTarget_readsCommand() {
    SluiceConfig config =
        ConfigLoader.parse("target: { type: command, command: [./process.sh, --retries, 5] }\n");

    assertThat(config.target())
        .isEqualTo(
            TargetConfig.command(
                List.of("./process.sh", "--retries", "5"), Duration.ofSeconds(30)));
  }

  @Test
  void load_whenExampleFile_succeedsAndDocumentsTheDefaults() {
    // Surefire runs in the module directory; the example lives at the repository root.
    Path example = Path.of("..", "sluice.example.yaml");

    SluiceConfig config = ConfigLoader.load(example);

    SluiceConfig defaults = SluiceConfig.defaults();
    assertThat(config.dataDir()).isEqualTo(defaults.dataDir());
    assertThat(config.http()).isEqualTo(defaults.http());
    assertThat(config.s3Endpoint()).isEqualTo(defaults.s3Endpoint());
    assertThat(config.limits()).isEqualTo(defaults.limits());
    assertThat(config.retry()).isEqualTo(defaults.retry());
    assertThat(config.dispatcher()).isEqualTo(defaults.dispatcher());
    assertThat(config.store()).isEqualTo(defaults.store());
    assertThat(config.sqsSource()).isEqualTo(defaults.sqsSource());
    assertThat(config.target().type()).isEqualTo(TargetConfig.Type.LOG);
    assertThat(config.target().timeout()).isEqualTo(TargetConfig.DEFAULT_TIMEOUT);
  }

  @Test
  void parse_whenStepFunctionsTarget_readsEveryKey() {
    SluiceConfig config =
        ConfigLoader.parse(
            """
            target:
              type: step-functions
              state-machine-arn: arn:aws:states:eu-west-1:123456789012:stateMachine:process
              completion: poll
              poll-interval: 2s
              max-execution-time: 2h
              region: eu-west-1
              endpoint: http://127.0.0.1:8083
              timeout: 10s
            """);

    TargetConfig t = config.target();
    assertThat(t.type()).isEqualTo(TargetConfig.Type.STEP_FUNCTIONS);
    assertThat(t.stepFunctions().stateMachineArn())
        .isEqualTo("arn:aws:states:eu-west-1:123456789012:stateMachine:process");
    assertThat(t.stepFunctions().completion())
        .isEqualTo(dev.sluice.targets.aws.StepFunctionsSettings.Completion.POLL);
    assertThat(t.stepFunctions().pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(t.stepFunctions().maxExecutionTime()).isEqualTo(Duration.ofHours(2));
    assertThat(t.region()).isEqualTo("eu-west-1");
    assertThat(t.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8083"));
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void parse_whenLambdaTarget_readsEveryKey() {
    SluiceConfig config =
        ConfigLoader.parse(
            """
            target:
              type: lambda
              function: process-object:live
              invocation-type: Event
              retry-function-errors: false
              permanent-error-types: [ValidationError]
            """);

    var lambda = config.target().lambda();
    assertThat(lambda.functionName()).isEqualTo("process-object:live");
    assertThat(lambda.invocationType())
        .isEqualTo(dev.sluice.targets.aws.LambdaSettings.InvocationType.EVENT);
    assertThat(lambda.functionErrorsRetryable()).isFalse();
    assertThat(lambda.permanentErrorTypes()).containsExactly("ValidationError");
  }
}
