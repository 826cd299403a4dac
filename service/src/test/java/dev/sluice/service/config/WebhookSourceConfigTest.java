package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.intake.KeyEncoding;
import dev.sluice.intake.SourceOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sources.webhook}: key encoding, event-name patterns, prefix and suffix. */
class WebhookSourceConfigTest {

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    return e.getMessage();
  }

  @Test
  void parse_whenNoSources_usesAutoAndObjectCreated() {
    SluiceConfig config = ConfigLoader.parse("http: { port: 9090 }\n");

    assertThat(config.webhook())
        .isEqualTo(new WebhookSourceConfig(KeyEncoding.AUTO, List.of("ObjectCreated:*"), "", ""));
  }

  @Test
  void parse_whenEveryKeySet_readsThem() {
    SluiceConfig config =
        ConfigLoader.parse(
            """
            sources:
              webhook:
                key-encoding: raw
                event-names: [ObjectCreated:Put, "s3:ObjectRemoved:*"]
                prefix: incoming/
                suffix: .parquet
            """);

    assertThat(config.webhook())
        .isEqualTo(
            new WebhookSourceConfig(
                KeyEncoding.RAW,
                List.of("ObjectCreated:Put", "s3:ObjectRemoved:*"),
                "incoming/",
                ".parquet"));
    SourceOptions options = config.webhook().sourceOptions();
    assertThat(options.source()).isEqualTo("webhook");
    assertThat(options.keepsEventName("ObjectRemoved:Delete")).isTrue();
    assertThat(options.keepsEventName("ObjectCreated:Copy")).isFalse();
  }

  @Test
  void parse_whenSingleEventName_readsAListOfOne() {
    assertThat(ConfigLoader.parse("sources: { webhook: { event-names: '*' } }\n").webhook())
        .extracting(WebhookSourceConfig::eventNames)
        .isEqualTo(List.of("*"));
  }

  @Test
  void parse_whenKeyEncodingUnknown_listsTheValidOnes() {
    assertThat(errorOf("sources: { webhook: { key-encoding: url } }\n"))
        .isEqualTo("sources.webhook.key-encoding: unknown value 'url' (expected auto, form, raw)");
  }

  @Test
  void parse_whenEventNamesEmpty_namesTheKey() {
    assertThat(errorOf("sources: { webhook: { event-names: [] } }\n"))
        .startsWith("sources.webhook.event-names: must name at least one pattern");
  }

  @Test
  void parse_whenStarInTheMiddle_namesThePattern() {
    assertThat(errorOf("sources: { webhook: { event-names: [ObjectCreated:Put, 'Obj*:Put'] } }\n"))
        .isEqualTo(
            "sources.webhook.event-names[1]: may have '*' only at its end, like ObjectCreated:*,"
                + " got 'Obj*:Put'");
  }

  @Test
  void parse_whenUnknownKeys_nameTheSection() {
    assertThat(errorOf("sources: { webhok: {} }\n")).startsWith("unknown key 'webhok' in sources");
    assertThat(errorOf("sources: { webhook: { prefixes: a } }\n"))
        .startsWith("unknown key 'prefixes' in sources.webhook");
  }

  @Test
  void load_whenExampleFile_documentsTheWebhookDefaults() {
    SluiceConfig config = ConfigLoader.load(Path.of("..", "sluice.example.yaml"));

    assertThat(config.webhook()).isEqualTo(WebhookSourceConfig.defaults());
  }
}
