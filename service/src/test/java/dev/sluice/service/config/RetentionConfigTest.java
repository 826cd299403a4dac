package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code retention} section: its defaults, and horizons shorter than the gate needs. */
class RetentionConfigTest {

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    assertThat(e.getMessage()).doesNotContain("\n");
    return e.getMessage();
  }

  @Test
  void parse_whenNoRetentionSection_keepsEventsSevenDaysAndReleasesThirty() {
    SluiceConfig config = ConfigLoader.parse("data-dir: ./d\n");

    assertThat(config.retention().dedup()).isEqualTo(Duration.ofDays(7));
    assertThat(config.retention().releases()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void parse_whenBothHorizonsGiven_usesThem() {
    SluiceConfig config = ConfigLoader.parse("retention: { dedup: 2d, releases: 12h }\n");

    assertThat(config.retention())
        .isEqualTo(new RetentionConfig(Duration.ofDays(2), Duration.ofHours(12)));
  }

  @Test
  void parse_whenOneHorizonGiven_keepsTheOtherDefault() {
    SluiceConfig config = ConfigLoader.parse("retention: { releases: 90d }\n");

    assertThat(config.retention().dedup()).isEqualTo(Duration.ofDays(7));
    assertThat(config.retention().releases()).isEqualTo(Duration.ofDays(90));
  }

  @Test
  void parse_whenReleaseHorizonShorterThanWindowPlusLease_namesTheKeyAndWhy() {
    // a 1h window and a 5m lease: the restart reads 1h5m of the release log
    String error =
        errorOf(
            "limits: { window: { limit: 100, every: 1h } }\n"
                + "retention: { dedup: 7d, releases: 1h }\n");

    assertThat(error)
        .startsWith("retention.releases: must be at least 65m, got 1h")
        .contains("restores the gate from the release log");
  }

  @Test
  void parse_whenDedupHorizonShorterThanRateRefillPlusLease_namesDedup() {
    // 1 per second with a burst of 600 refills in 10m; plus a 2m lease
    String error =
        errorOf(
            "limits: { rate: { per-second: 1, burst: 600 } }\n"
                + "dispatcher: { lease: 2m }\n"
                + "retention: { dedup: 10m }\n");

    assertThat(error).startsWith("retention.dedup: must be at least 12m, got 10m");
  }

  @Test
  void parse_whenHorizonEqualsWhatTheGateNeeds_acceptsIt() {
    SluiceConfig config =
        ConfigLoader.parse(
            "limits: { window: { limit: 10, every: 1m } }\n"
                + "dispatcher: { lease: 1m }\n"
                + "retention: { dedup: 2m, releases: 2m }\n");

    assertThat(config.retention().releases()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void parse_whenHorizonZero_namesIt() {
    assertThat(errorOf("retention: { dedup: 0s }\n"))
        .startsWith("retention.dedup: must be a positive duration");
  }

  @Test
  void parse_whenUnknownKeyInRetention_rejectsIt() {
    assertThat(errorOf("retention: { done: 7d }\n")).contains("retention").contains("done");
  }
}
