package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.gate.Limits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsPatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Limits CURRENT =
      new Limits(new Limits.Window(50, Duration.ofMinutes(1), true), new Limits.Rate(10.0, 10), 5);

  private static Limits patch(String json) throws Exception {
    return LimitsPatch.apply(CURRENT, JSON.readTree(json));
  }

  @Test
  void apply_whenOneFieldOfAPartGiven_changesOnlyThatField() throws Exception {
    assertThat(patch("{\"window\": {\"limit\": 80}}"))
        .isEqualTo(
            new Limits(
                new Limits.Window(80, Duration.ofMinutes(1), true), new Limits.Rate(10.0, 10), 5));
  }

  @Test
  void apply_whenPartIsNull_removesItOnly() throws Exception {
    assertThat(patch("{\"rate\": null}"))
        .isEqualTo(new Limits(new Limits.Window(50, Duration.ofMinutes(1), true), null, 5));
  }

  @Test
  void apply_whenPartIsNew_takesItAndKeepsTheRest() throws Exception {
    Limits onlyWindow = Limits.window(50, Duration.ofMinutes(1));
    assertThat(
            LimitsPatch.apply(
                onlyWindow, JSON.readTree("{\"concurrency\": {\"max-in-flight\": 3}}")))
        .isEqualTo(onlyWindow.withMaxInFlight(3));
  }

  @Test
  void apply_whenInvalid_namesTheKey() {
    assertThatThrownBy(() -> patch("{\"window\": {\"limit\": 0}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.window.limit");
    assertThatThrownBy(() -> patch("{\"windw\": {}}")).hasMessageContaining("windw");
    assertThatThrownBy(() -> patch("{\"window\": {\"evry\": \"1m\"}}"))
        .hasMessageContaining("evry");
    assertThatThrownBy(() -> patch("{}")).hasMessageContaining("at least one");
    assertThatThrownBy(() -> patch("[]")).isInstanceOf(ConfigException.class);
  }
}
