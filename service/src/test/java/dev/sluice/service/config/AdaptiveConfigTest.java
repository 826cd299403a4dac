package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.gate.AdaptiveSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code dispatcher.adaptive} section and the runtime patch that changes it. */
class AdaptiveConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    return e.getMessage();
  }

  @Test
  void parse_whenNoAdaptiveSection_isOff() {
    assertThat(ConfigLoader.parse("dispatcher: { workers: 8 }\n").dispatcher().adaptive())
        .isEqualTo(AdaptiveSettings.off());
    assertThat(SluiceConfig.defaults().dispatcher().adaptive().enabled()).isFalse();
  }

  @Test
  void parse_whenAdaptiveSectionGiven_isOnWithWhatItSays() {
    SluiceConfig c =
        ConfigLoader.parse(
            "dispatcher:\n  adaptive:\n    min: 2\n    backoff: 0.75\n    latency-above: 3s\n");
    assertThat(c.dispatcher().adaptive())
        .isEqualTo(new AdaptiveSettings(true, 2, 0.75, Duration.ofSeconds(3)));
    assertThat(ConfigLoader.parse("dispatcher: { adaptive: {} }\n").dispatcher().adaptive())
        .isEqualTo(AdaptiveSettings.on());
    assertThat(
            ConfigLoader.parse("dispatcher: { adaptive: { enabled: false, min: 3 } }\n")
                .dispatcher()
                .adaptive())
        .isEqualTo(AdaptiveSettings.off().withMin(3));
  }

  @Test
  void parse_rate_isOffUnlessSaidAndOnWhenSaid() {
    assertThat(ConfigLoader.parse("dispatcher: { adaptive: {} }\n").dispatcher().adaptive().rate())
        .isFalse();
    assertThat(
            ConfigLoader.parse("dispatcher: { adaptive: { rate: true } }\n")
                .dispatcher()
                .adaptive())
        .isEqualTo(AdaptiveSettings.on().withRate(true));
    assertThat(errorOf("dispatcher: { adaptive: { rate: sometimes } }\n"))
        .startsWith("dispatcher.adaptive.rate: ");
  }

  @Test
  void patch_rate_keepsTheRest_andSettingsStoredWithoutItReadAsOff() throws Exception {
    AdaptiveSettings current = new AdaptiveSettings(true, 2, 0.8, Duration.ofSeconds(1));
    assertThat(AdaptiveDocument.patch(current, JSON.readTree("{\"rate\": true}")))
        .isEqualTo(current.withRate(true));
    // Settings stored by a node before the rate adapted have no "rate": they keep it off.
    assertThat(
            AdaptiveDocument.read(
                JSON.readTree(
                    "{\"enabled\": true, \"min\": 1, \"backoff\": 0.9, \"latency-above\": null}")))
        .isEqualTo(AdaptiveSettings.on());
  }

  @Test
  void parse_whenAdaptiveValueIsBad_namesTheKey() {
    assertThat(errorOf("dispatcher: { adaptive: { min: 0 } }\n"))
        .isEqualTo("dispatcher.adaptive.min: must be >= 1, got 0");
    assertThat(errorOf("dispatcher: { adaptive: { backoff: 1.5 } }\n"))
        .isEqualTo("dispatcher.adaptive.backoff: must be > 0 and < 1, got 1.5");
    assertThat(errorOf("dispatcher: { adaptive: { latency-above: soon } }\n"))
        .startsWith("dispatcher.adaptive.latency-above: expected");
    assertThat(errorOf("dispatcher: { adaptive: { enable: true } }\n"))
        .isEqualTo("unknown key 'enable' in dispatcher.adaptive (did you mean 'enabled'?)");
  }

  @Test
  void patch_changesWhatItNames_keepsTheRest_andNullStopsWatchingLatency() throws Exception {
    AdaptiveSettings current = new AdaptiveSettings(true, 2, 0.8, Duration.ofSeconds(1));
    assertThat(AdaptiveDocument.patch(current, JSON.readTree("{\"enabled\": false}")))
        .isEqualTo(new AdaptiveSettings(false, 2, 0.8, Duration.ofSeconds(1)));
    assertThat(AdaptiveDocument.patch(current, JSON.readTree("{\"latency-above\": null}")))
        .isEqualTo(new AdaptiveSettings(true, 2, 0.8, null));
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> AdaptiveDocument.patch(current, JSON.readTree("{}")));
    assertThat(e.getMessage()).startsWith("adaptive: expected an object");
  }

  @Test
  void write_thenPatch_roundTrips() throws Exception {
    AdaptiveSettings s = new AdaptiveSettings(true, 4, 0.5, Duration.ofMillis(750), true);
    String text = AdaptiveDocument.write(s, JSON).toString();
    assertThat(AdaptiveDocument.patch(AdaptiveSettings.off(), JSON.readTree(text))).isEqualTo(s);
  }
}
