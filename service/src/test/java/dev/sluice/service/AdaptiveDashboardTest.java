package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The dashboard shows the adapted limit and switches adapting on and off, audited. */
class AdaptiveDashboardTest {
  @TempDir Path dataDir;
  @TempDir Path profile;

  private static String text(HeadlessChromium chromium, String id) {
    return chromium.driver.findElement(By.id(id)).getText();
  }

  @Test
  void dashboard_showsTheAdaptedLimit_andItsButtonSwitchesAdapting() {
    try (RunningSluice sluice =
            RunningSluice.startWith(
                dataDir,
                RecordingTarget.completing(),
                c ->
                    c.withLimits(Limits.none().withMaxInFlight(7))
                        .withDispatcher(c.dispatcher().withAdaptive(AdaptiveSettings.on())));
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      chromium.driver.get(sluice.service.apiUrl().toString());

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> text(chromium, "fig-adaptive").equals("7 / 7"));
      assertThat(text(chromium, "fig-adaptive-last")).startsWith("last: start 7 → 7 at ");
      assertThat(text(chromium, "adaptive-settings")).isEqualTo("min 1, backoff 0.9");

      chromium.driver.findElement(By.id("adaptive-toggle")).click();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> !sluice.status().get("adaptive").get("enabled").asBoolean());
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> text(chromium, "fig-adaptive").equals("off"));
      assertThat(text(chromium, "adaptive-toggle")).isEqualTo("Switch on");
      JsonNode entry = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(entry.get("action").asText()).isEqualTo("adaptive");
      assertThat(entry.get("via").asText()).isEqualTo("dashboard");
      assertThat(entry.get("after").get("enabled").asBoolean()).isFalse();

      chromium.driver.findElement(By.id("adaptive-toggle")).click();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> sluice.status().get("adaptive").get("enabled").asBoolean());
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> text(chromium, "fig-adaptive").equals("7 / 7"));
      assertThat(text(chromium, "fig-adaptive-last")).startsWith("last: settings 7 → 7 at ");
    }
  }

  @Test
  void dashboard_showsTheAdaptedRate_andItsButtonSwitchesTheRatePart() {
    try (RunningSluice sluice =
            RunningSluice.startWith(
                dataDir,
                RecordingTarget.completing(),
                c ->
                    c.withLimits(Limits.window(100, Duration.ofSeconds(1)))
                        .withDispatcher(c.dispatcher().withAdaptive(AdaptiveSettings.on())));
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      chromium.driver.get(sluice.service.apiUrl().toString());

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> text(chromium, "fig-adaptive-rate").equals("off"));
      assertThat(text(chromium, "fig-adaptive-rate-last"))
          .isEqualTo("window and rate as configured");
      assertThat(text(chromium, "adaptive-rate-toggle")).isEqualTo("Adapt the rate");

      chromium.driver.findElement(By.id("adaptive-rate-toggle")).click();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> sluice.status().get("adaptive").get("rate").asBoolean());
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> text(chromium, "fig-adaptive-rate").equals("×1.00 (window 100)"));
      assertThat(text(chromium, "fig-adaptive-rate-last")).startsWith("last: settings at ");
      assertThat(text(chromium, "adaptive-rate-toggle")).isEqualTo("Keep the rate");
      JsonNode entry = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(entry.get("action").asText()).isEqualTo("adaptive");
      assertThat(entry.get("via").asText()).isEqualTo("dashboard");
      assertThat(entry.get("before").get("rate").asBoolean()).isFalse();
      assertThat(entry.get("after").get("rate").asBoolean()).isTrue();
    }
  }
}
