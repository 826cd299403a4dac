package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The dashboard's partitions table: each busy partition's weight, cap, due and share. */
class PartitionsDashboardTest {
  @TempDir Path dataDir;
  @TempDir Path profile;

  private static List<String> row(HeadlessChromium chromium, String partition) {
    return chromium
        .driver
        .findElement(By.cssSelector("#partitions tr[data-partition='" + partition + "']"))
        .findElements(By.tagName("td"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  void dashboard_showsTheBusyPartitions_withTheirShares() {
    RecordingTarget target = RecordingTarget.completing();
    PartitionsConfig partitions =
        new PartitionsConfig(
            PartitionRule.prefix(1),
            PartitionShares.EQUAL.withWeights(Map.of("a/", 3)).withCaps(Map.of("b/", 4)));
    try (RunningSluice sluice =
            RunningSluice.startWith(
                dataDir,
                target,
                c -> c.withPartitions(partitions),
                o -> new SluiceService.Options(target, System.out, true, Duration.ofMillis(20)));
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      List<String> keys = new java.util.ArrayList<>(Notifications.keys("a/obj", 0, 6));
      keys.addAll(Notifications.keys("b/obj", 0, 2));
      sluice.api.post("/v1/events", Notifications.forKeys(keys)).ok();

      chromium.driver.get(sluice.service.apiUrl().toString());
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> chromium.driver.findElement(By.id("partitions-card")).isDisplayed());
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  !chromium.driver.findElements(By.cssSelector("#partitions tbody tr")).isEmpty());
      assertThat(chromium.driver.findElement(By.id("partitions-caption")).getText())
          .isEqualTo("(by prefix depth 1; default weight 1)");
      assertThat(row(chromium, "a/")).containsExactly("a/", "3", "–", "6", "0", "0", "75.0 %", "0");
      assertThat(row(chromium, "b/")).containsExactly("b/", "1", "4", "2", "0", "0", "25.0 %", "0");
    }
  }
}
