package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.service.config.BatchConfig;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The dashboard shows the batch size and wait in force and changes them, audited. */
class BatchDashboardTest {
  @TempDir Path dataDir;
  @TempDir Path profile;

  private static WebElement element(HeadlessChromium chromium, String id) {
    return chromium.driver.findElement(By.id(id));
  }

  private static void type(HeadlessChromium chromium, String id, String value) {
    WebElement input = element(chromium, id);
    input.clear();
    input.sendKeys(value);
  }

  @Test
  void dashboard_showsTheBatchSettings_andItsFormChangesThem() {
    try (RunningSluice sluice =
            RunningSluice.startWith(
                dataDir,
                RecordingTarget.completing(),
                c ->
                    c.withBatch(
                            new BatchConfig(
                                new BatchSettings(10, Duration.ofSeconds(30)), LimitCount.JOBS))
                        .withPartitions(new PartitionsConfig(PartitionRule.bucket())));
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      chromium.driver.get(sluice.service.apiUrl().toString());

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> element(chromium, "fig-batch-detail").getText().startsWith("max 10, "));
      assertThat(element(chromium, "fig-batch-detail").getText())
          .startsWith("max 10, wait 30s, limits count jobs, by bucket;");
      assertThat(element(chromium, "batch-settings").isDisplayed()).isTrue();
      assertThat(element(chromium, "batch-max").getAttribute("value")).isEqualTo("10");

      type(chromium, "batch-max", "4");
      type(chromium, "batch-wait", "2s");
      element(chromium, "batch-set").click();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> sluice.status().get("batch").get("max").asInt() == 4);
      assertThat(sluice.status().get("batch").get("wait").asText()).isEqualTo("2s");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> element(chromium, "fig-batch-detail").getText().startsWith("max 4, wait 2s,"));
      JsonNode entry = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(entry.get("action").asText()).isEqualTo("batch");
      assertThat(entry.get("via").asText()).isEqualTo("dashboard");
      assertThat(entry.get("after").get("max").asInt()).isEqualTo(4);

      type(chromium, "batch-max", "1");
      element(chromium, "batch-set").click();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  element(chromium, "action-result")
                      .getText()
                      .contains("batch.max: must stay above 1"));
      assertThat(sluice.status().get("batch").get("max").asInt()).isEqualTo(4);
    }
  }

  @Test
  void dashboard_whenNotBatching_hidesTheBatchFigureAndForm() {
    try (RunningSluice sluice =
            RunningSluice.startWith(dataDir, RecordingTarget.completing(), c -> c);
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      chromium.driver.get(sluice.service.apiUrl().toString());

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> !element(chromium, "fig-backlog").getText().equals("–"));
      assertThat(element(chromium, "batch-figure").isDisplayed()).isFalse();
      assertThat(element(chromium, "batch-settings").isDisplayed()).isFalse();
    }
  }
}
