package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code sources.sqs}: read with its defaults, and each bad value named by its full key. */
class SqsSourceConfigTest {

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    return e.getMessage();
  }

  @Test
  void parse_whenNoSourcesSection_leavesSqsDisabled() {
    assertThat(ConfigLoader.parse("http: { port: 9090 }\n").sqsSource())
        .isEqualTo(SqsSourceConfig.disabled());
  }

  @Test
  void parse_whenEveryKeySet_readsThem() {
    SqsSourceConfig sqs =
        ConfigLoader.parse(
                """
                sources:
                  sqs:
                    enabled: true
                    queue-url: http://127.0.0.1:9324/000000000000/events
                    endpoint: http://127.0.0.1:9324
                    region: eu-west-1
                    access-key: AKID
                    secret-key: s3cr3t
                    wait-time: 5s
                    visibility-timeout: 2m
                    max-messages: 4
                """)
            .sqsSource();

    assertThat(sqs)
        .isEqualTo(
            new SqsSourceConfig(
                true,
                URI.create("http://127.0.0.1:9324/000000000000/events"),
                URI.create("http://127.0.0.1:9324"),
                "eu-west-1",
                "AKID",
                "s3cr3t",
                Duration.ofSeconds(5),
                Duration.ofMinutes(2),
                4));
    assertThat(sqs.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void parse_whenOnlyQueueUrlSet_takesTheDefaultsAndTheRegionOfTheUrl() {
    SqsSourceConfig sqs =
        ConfigLoader.parse(
                "sources: { sqs: { enabled: true, queue-url:"
                    + " 'https://sqs.eu-central-1.amazonaws.com/123456789012/events' } }\n")
            .sqsSource();

    assertThat(sqs.waitTime()).isEqualTo(Duration.ofSeconds(20));
    assertThat(sqs.visibilityTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(sqs.maxMessages()).isEqualTo(10);
    assertThat(sqs.signingRegion()).isEqualTo("eu-central-1");
  }

  @Test
  void parse_whenEnabledWithoutQueueUrl_namesQueueUrl() {
    assertThat(errorOf("sources: { sqs: { enabled: true } }\n"))
        .isEqualTo("sources.sqs.queue-url: must be set when enabled");
  }

  @Test
  void parse_whenMaxMessagesAboveTen_namesMaxMessages() {
    assertThat(errorOf("sources: { sqs: { max-messages: 11 } }\n"))
        .isEqualTo(
            "sources.sqs.max-messages: must be between 1 and 10 (SQS's batch limit), got 11");
  }

  @Test
  void parse_whenWaitTimeAboveTwentySeconds_namesWaitTime() {
    assertThat(errorOf("sources: { sqs: { wait-time: 30s } }\n"))
        .startsWith("sources.sqs.wait-time: must be whole seconds between 0s and 20s");
  }

  @Test
  void parse_whenVisibilityTimeoutZero_namesVisibilityTimeout() {
    assertThat(errorOf("sources: { sqs: { visibility-timeout: 0s } }\n"))
        .startsWith("sources.sqs.visibility-timeout: must be whole seconds between 1s");
  }

  @Test
  void parse_whenOnlyAccessKeySet_namesSecretKey() {
    assertThat(errorOf("sources: { sqs: { access-key: AKID } }\n"))
        .isEqualTo("sources.sqs.secret-key: must be set when access-key is set");
  }

  @Test
  void parse_whenKeyUnknown_namesItAndTheSection() {
    assertThat(errorOf("sources: { sqs: { queue: x } }\n"))
        .startsWith("unknown key 'queue' in sources.sqs");
  }

  @Test
  void parse_whenSqsHasDecodingAndFilters_readsThemApartFromTheWebhooks() {
    SluiceConfig config =
        ConfigLoader.parse(
            """
            sources:
              webhook: { prefix: "web/" }
              sqs:
                queue-url: http://127.0.0.1:9324/000000000000/events
                key-encoding: raw
                prefix: "incoming/"
                suffix: ".parquet"
            """);

    WebhookSourceConfig sqs = config.sources().sqsDecoding();
    assertThat(sqs.keyEncoding()).isEqualTo(dev.sluice.intake.KeyEncoding.RAW);
    assertThat(sqs.prefix()).isEqualTo("incoming/");
    assertThat(sqs.suffix()).isEqualTo(".parquet");
    assertThat(config.webhook().prefix()).isEqualTo("web/");
    assertThat(config.webhook().keyEncoding()).isEqualTo(dev.sluice.intake.KeyEncoding.AUTO);
  }

  @Test
  void parse_whenSqsKeyEncodingIsUnknown_namesTheKey() {
    assertThat(errorOf("sources: { sqs: { key-encoding: url } }\n"))
        .startsWith("sources.sqs.key-encoding:");
  }
}
