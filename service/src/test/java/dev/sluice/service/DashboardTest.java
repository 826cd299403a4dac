package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.PostgresStoreConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.WebhookAuthConfig;
import dev.sluice.store.postgres.EmbeddedPostgresServer;
import dev.sluice.store.postgres.PostgresOptions;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard at {@code /} in headless Chromium during a real run: what its charts hold is what
 * the API says, and its controls steer the flow.
 */
class DashboardTest {
  private static final String POISON = "poison.parquet";
  private static final Duration WINDOW = Duration.ofSeconds(1);

  /** What the charts and figures hold, read from the page's own model of them. */
  private static final String CHART_DATA =
      "const s = window.sluiceDashboard; return JSON.stringify({polls: s.polls, limit: s.limit,"
          + " windowMs: s.windowMs, releaseWindows: s.releaseWindows, outcomeWindows:"
          + " s.outcomeWindows, lastStatusPoint: s.backlogSeries[s.backlogSeries.length - 1],"
          + " releaseIds: Array.from(s.releases.keys()), status: s.status});";

  @TempDir Path dataDir;
  @TempDir Path profile;

  @Test
  void dashboard_duringARun_chartsMatchTheApiAndControlsSteerTheFlow() {
    AtomicBoolean poisoned = new AtomicBoolean(true);
    RecordingTarget target =
        new RecordingTarget(
            job ->
                poisoned.get() && job.event().key().equals(POISON)
                    ? Outcome.permanent("422 cannot read " + POISON)
                    : Outcome.completed());
    try (RunningSluice sluice =
            RunningSluice.start(
                dataDir, target, Limits.window(20, WINDOW), RunningSluice.fastRetry(3));
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      chromium.driver.get(sluice.service.apiUrl().toString());
      awaitPolls(chromium, 1);

      List<String> keys = new ArrayList<>(List.of(POISON));
      keys.addAll(Notifications.keys("burst", 0, 160));
      sluice.api.post("/v1/events", Notifications.forKeys(keys)).ok();

      // The chart fills window by window, never above the limit line.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> chartData(chromium).get("releaseWindows").size() >= 3);
      JsonNode early = chartData(chromium);
      assertThat(early.get("limit").asInt()).isEqualTo(20);
      assertThat(early.get("windowMs").asLong()).isEqualTo(WINDOW.toMillis());
      List<Integer> earlyCounts = counts(early.get("releaseWindows"));
      assertThat(earlyCounts).allSatisfy(c -> assertThat(c).isBetween(0, 20));
      assertThat(earlyCounts.stream().mapToInt(Integer::intValue).max().orElseThrow())
          .as("a window of the burst holds more than the limit set below")
          .isGreaterThan(5);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> rowKeys(chromium, "#dead tbody tr").contains(POISON));
      assertThat(chromium.script("return document.querySelector('#dead tbody tr').textContent"))
          .asString()
          .contains("422 cannot read " + POISON);

      // A limit change through the page takes effect within one window.
      Instant beforeChange = Instant.now();
      WebElement windowLimit = chromium.driver.findElement(By.id("lim-window-limit"));
      windowLimit.clear();
      windowLimit.sendKeys("5");
      chromium.driver.findElement(By.cssSelector("button[data-limit=window]")).click();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("limits").get("window").get("limit").asInt() == 5);
      Instant changed = Instant.now();
      JsonNode limits = sluice.status().get("limits");
      assertThat(limits.get("window").get("every").asText()).isEqualTo("1s");
      assertThat(limits.get("rate").isNull()).isTrue();
      assertThat(limits.get("concurrency").isNull()).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> releasedAfter(sluice, changed.plus(WINDOW)).size() >= 8);

      // Each bar is drawn against the limit of its own time.
      JsonNode sinceChange = chartData(chromium).get("releaseWindows");
      for (JsonNode w : sinceChange) {
        Instant start = Instant.parse(w.get("start").asText());
        if (!start.plus(WINDOW).isAfter(beforeChange)) {
          assertThat(w.get("limit").asInt()).as("limit line at %s", start).isEqualTo(20);
        } else if (!start.isBefore(changed.plus(WINDOW))) {
          assertThat(w.get("limit").asInt()).as("limit line at %s", start).isEqualTo(5);
          assertThat(w.get("count").asInt()).isLessThanOrEqualTo(5);
        }
      }

      // Pause through the page: once it has taken effect, the release log stops growing.
      chromium.driver.findElement(By.id("pause")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> bannerState(chromium).equals("paused"));
      assertThat(chromium.driver.findElement(By.id("banner")).getText()).startsWith("Paused");
      assertThat(sluice.status().get("paused").asBoolean()).isTrue();
      // A step of the loop that began before the pause may still claim its jobs; once the loop has
      // run two more steps, that one has ended and its releases are in the log.
      sluice.awaitDispatcherLooked();
      int atPause = releaseLog(sluice).size();
      // Let the window reopen (the limit would let 5 more go), then make sure the loop looked.
      sleep(WINDOW);
      sluice.awaitDispatcherLooked();
      List<JsonNode> log = releaseLog(sluice);
      assertThat(log).as("releases after the pause took effect").hasSize(atPause);
      assertThat(sluice.status().get("backlog").asLong())
          .as("events waiting while paused")
          .isGreaterThan(0);

      // Every 1 s interval that begins a window after the change holds at most the new limit.
      List<Instant> afterChange =
          log.stream()
              .map(r -> Instant.parse(r.get("releasedAt").asText()))
              .filter(t -> !t.isBefore(changed.plus(WINDOW)))
              .sorted()
              .toList();
      for (Instant start : afterChange) {
        long inWindow =
            afterChange.stream()
                .filter(t -> !t.isBefore(start) && t.isBefore(start.plus(WINDOW)))
                .count();
        assertThat(inWindow).as("releases in the window from %s", start).isLessThanOrEqualTo(5);
      }

      // While paused nothing moves: the page, once it has polled again, says what the API says.
      int polls = chartData(chromium).get("polls").asInt();
      awaitPolls(chromium, polls + 2);
      assertChartsMatchTheApi(chromium, sluice, log);
      chromium.screenshot(Path.of("target", "dashboard-laptop.png"));

      // Redrive through the page brings the dead letter back to the backlog.
      poisoned.set(false);
      long backlogBefore = sluice.status().get("backlog").asLong();
      chromium.driver.findElement(By.cssSelector("#dead tbody tr button.redrive")).click();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.api.get("/v1/dead").ok().get("dead").isEmpty());
      JsonNode afterRedrive = sluice.status();
      assertThat(afterRedrive.get("dead").asLong()).isZero();
      assertThat(afterRedrive.get("backlog").asLong()).isEqualTo(backlogBefore + 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> rowKeys(chromium, "#dead tbody tr").isEmpty());

      // Resume through the page: releases start again, the redriven object among them (a wider
      // limit so that it need not wait behind the whole backlog).
      sluice.api.put("/v1/limits", "{\"window\": {\"limit\": 200, \"every\": \"1s\"}}").ok();
      Instant resumedAt = Instant.now();
      chromium.driver.findElement(By.id("resume")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> bannerState(chromium).equals("running"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  releasedAfter(sluice, resumedAt).stream()
                      .anyMatch(
                          r ->
                              r.get("key").asText().equals(POISON)
                                  && "completed".equals(r.get("outcome").asText())));
      assertThat(releaseLog(sluice).size()).isGreaterThan(atPause);

      chromium.resize(2560, 1080);
      awaitPolls(chromium, chartData(chromium).get("polls").asInt() + 1);
      chromium.screenshot(Path.of("target", "dashboard-wide.png"));
    }
  }

  @Test
  void dashboard_whenABurstOf115GoesOutUnder50PerWindow_drawsBarsOf50And50And15() {
    Duration every = Duration.ofSeconds(2);
    try (RunningSluice sluice =
            RunningSluice.start(
                dataDir,
                RecordingTarget.completing(),
                Limits.window(50, every),
                RunningSluice.fastRetry(3));
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      chromium.driver.get(sluice.service.apiUrl().toString());
      awaitPolls(chromium, 1);

      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("b", 0, 115))).ok();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sum(chartData(chromium).get("releaseWindows"), "count") == 115);
      JsonNode page = chartData(chromium);
      List<Integer> bars = counts(page.get("releaseWindows")).stream().filter(c -> c > 0).toList();
      assertThat(bars).containsExactly(50, 50, 15);
      assertThat(page.get("releaseWindows"))
          .allSatisfy(w -> assertThat(w.get("limit").asInt()).isEqualTo(50));
      assertThat(page.get("windowMs").asLong()).isEqualTo(every.toMillis());
    }
  }

  @Test
  void dashboard_onOneOfSeveralNodes_listsTheNodesAndWhoHoldsTheGate() {
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
      String url = postgres.createDatabase("dashboard_nodes");
      try (RunningSluice a = sharedNode(url, "node-a");
          RunningSluice b = sharedNode(url, "node-b");
          HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> b.status().path("cluster").path("holder").isObject());
        String holder = b.status().path("cluster").path("holder").path("node").asText();

        chromium.driver.get(b.service.apiUrl().toString());
        awaitPolls(chromium, 2);

        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    chromium.driver.findElement(By.id("nodes-card")).isDisplayed()
                        && chromium.driver.findElements(By.cssSelector("#nodes tbody tr")).size()
                            == 2);
        List<WebElement> rows = chromium.driver.findElements(By.cssSelector("#nodes tbody tr"));
        assertThat(rows)
            .extracting(r -> r.getAttribute("data-node"))
            .containsExactlyInAnyOrder("node-a", "node-b");
        assertThat(rows)
            .filteredOn(r -> r.getText().contains("holds the gate"))
            .extracting(r -> r.getAttribute("data-node"))
            .containsExactly(holder);
        assertThat(chromium.driver.findElement(By.id("nodes-caption")).getText())
            .contains("this is node-b")
            .contains("gate held by " + holder);
      }
    }
  }

  private RunningSluice sharedNode(String databaseUrl, String nodeId) {
    PostgresStoreConfig shared =
        new PostgresStoreConfig(
            PostgresOptions.of(databaseUrl, EmbeddedPostgresServer.USER, null),
            nodeId,
            Duration.ofSeconds(2));
    return RunningSluice.startWith(
        dataDir.resolve(nodeId),
        RecordingTarget.completing(),
        c -> c.withStore(StoreConfig.postgres(shared)));
  }

  @Test
  void dashboard_whenLoaded_fetchesNothingFromOutsideTheService() {
    try (RunningSluice sluice =
            RunningSluice.start(
                dataDir,
                RecordingTarget.completing(),
                Limits.window(50, Duration.ofMinutes(1)),
                RunningSluice.fastRetry(3));
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("o", 0, 5))).ok();
      String origin = sluice.service.apiUrl().toString(); // http://127.0.0.1:PORT/
      assertThat(origin).startsWith("http://127.0.0.1:");

      chromium.driver.get(origin);
      awaitPolls(chromium, 2);

      assertThat(chromium.script("return typeof uPlot")).isEqualTo("function");
      assertThat(chromium.driver.findElement(By.id("nodes-card")).isDisplayed())
          .as("no nodes table on a single node")
          .isFalse();
      assertThat(chromium.driver.findElements(By.cssSelector("#chart-releases canvas")))
          .isNotEmpty();
      List<String> urls = new ArrayList<>();
      urls.add(String.valueOf(chromium.script("return document.URL")));
      chromium
          .json("return JSON.stringify(performance.getEntriesByType('resource').map(e => e.name))")
          .forEach(u -> urls.add(u.asText()));
      assertThat(urls)
          .anySatisfy(u -> assertThat(u).contains("/webjars/uplot/"))
          .anySatisfy(u -> assertThat(u).endsWith("/dashboard.js"))
          .anySatisfy(u -> assertThat(u).contains("/v1/status"));
      assertThat(urls).allSatisfy(u -> assertThat(u).startsWith(origin));
    }
  }

  @Test
  void dashboard_whenControlIsProtected_asksForTheTokenOnceAndSendsIt() {
    WebhookAuthConfig auth =
        new WebhookAuthConfig("s3cret-token", null, WebhookAuthConfig.DEFAULT_HMAC_HEADER, true);
    try (RunningSluice sluice =
            RunningSluice.startWithAuth(dataDir, RecordingTarget.completing(), false, auth);
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      chromium.driver.get(sluice.service.apiUrl().toString());
      WebElement form = chromium.driver.findElement(By.id("token-form"));
      await().atMost(Duration.ofSeconds(10)).until(form::isDisplayed);
      assertThat(chartData(chromium).get("polls").asInt()).isZero();

      chromium.driver.findElement(By.id("token-input")).sendKeys("s3cret-token");
      chromium.driver.findElement(By.cssSelector("#token-form button")).click();
      awaitPolls(chromium, 1);
      assertThat(form.isDisplayed()).isFalse();
      // Asked once: the page keeps the token for the tab, across a reload.
      chromium.driver.navigate().refresh();
      awaitPolls(chromium, 2);
      assertThat(chromium.driver.findElement(By.id("token-form")).isDisplayed()).isFalse();

      chromium.driver.findElement(By.id("pause")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> bannerState(chromium).equals("paused"));
      JsonNode status =
          sluice
              .api
              .send(
                  "GET",
                  "/v1/status",
                  java.net.http.HttpRequest.BodyPublishers.noBody(),
                  java.util.Map.of("Authorization", "Bearer s3cret-token"))
              .ok();
      assertThat(status.get("paused").asBoolean()).isTrue();
    }
  }

  @Test
  void dashboard_underACapacitySchedule_showsTheCapacityNowAndItsLimitLine() {
    dev.sluice.core.gate.CapacitySchedule allDay =
        new dev.sluice.core.gate.CapacitySchedule(
            java.time.ZoneId.of("Europe/Berlin"),
            List.of(
                dev.sluice.core.gate.ScheduleRule.limits(
                    "all-day",
                    java.util.EnumSet.allOf(java.time.DayOfWeek.class),
                    java.time.LocalTime.MIDNIGHT,
                    java.time.LocalTime.MIDNIGHT,
                    Limits.window(7, Duration.ofMinutes(1)))));
    try (RunningSluice sluice =
            RunningSluice.startWith(
                dataDir,
                RecordingTarget.completing(),
                c -> c.withLimits(Limits.window(20, WINDOW)).withSchedule(allDay));
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      String origin = sluice.service.apiUrl().toString().replaceAll("/$", "");
      chromium.driver.get(origin + "/");
      awaitPolls(chromium, 1);

      assertThat(chromium.driver.findElement(By.id("fig-capacity")).getText()).isEqualTo("all-day");
      assertThat(chromium.driver.findElement(By.id("fig-capacity-next")).getText())
          .startsWith("7 per 1m");
      // The releases chart draws the limit in effect, not the base's 20.
      assertThat(chartData(chromium).get("limit").asInt()).isEqualTo(7);

      sluice
          .api
          .put(
              "/v1/schedule",
              "{\"zone\": \"UTC\", \"rules\": [{\"name\": \"backup\", \"from\": \"00:00\","
                  + " \"until\": \"24:00\", \"blackout\": true}]}")
          .ok();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  chromium.driver.findElement(By.id("fig-capacity")).getText().equals("blackout"));
      assertThat(chromium.driver.findElement(By.id("fig-capacity-next")).getText())
          .isEqualTo("nothing released");
      assertThat(chromium.driver.findElement(By.id("state")).getText()).isEqualTo("blackout");
    }
  }

  @Test
  void dashboard_whenTheServiceStops_saysItIsUnreachable() {
    try (RunningSluice sluice =
            RunningSluice.start(
                dataDir, RecordingTarget.completing(), Limits.none(), RunningSluice.fastRetry(3));
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      String origin = sluice.service.apiUrl().toString().replaceAll("/$", "");
      chromium.driver.get(origin + "/");
      awaitPolls(chromium, 1);
      assertThat(bannerState(chromium)).isEqualTo("running");
      assertThat(chromium.driver.findElement(By.id("banner")).isDisplayed()).isFalse();

      sluice.close();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> bannerState(chromium).equals("unreachable"));
      WebElement banner = chromium.driver.findElement(By.id("banner"));
      assertThat(banner.isDisplayed()).isTrue();
      assertThat(banner.getText()).startsWith("Sluice is unreachable at " + origin);
    }
  }

  @Test
  void dashboard_drainButton_drainsAndSaysSoAndTheAuditNamesTheDashboard() {
    // Paused with events waiting: the drain cannot finish, so the page stays up to show it.
    try (RunningSluice sluice =
            RunningSluice.start(
                dataDir,
                RecordingTarget.completing(),
                Limits.none(),
                RunningSluice.fastRetry(3),
                true);
        HeadlessChromium chromium = HeadlessChromium.start(profile, 1366, 768)) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("drain", 0, 3))).ok();
      String origin = sluice.service.apiUrl().toString().replaceAll("/$", "");
      chromium.driver.get(origin + "/");
      awaitPolls(chromium, 1);

      chromium.driver.findElement(By.id("drain")).click();
      chromium.driver.switchTo().alert().accept();

      await().atMost(Duration.ofSeconds(10)).until(() -> bannerState(chromium).equals("draining"));
      assertThat(sluice.status().get("draining").asBoolean()).isTrue();
      assertThat(chromium.driver.findElement(By.id("drain")).isEnabled()).isFalse();
      JsonNode latest = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(latest.get("action").asText()).isEqualTo("drain");
      assertThat(latest.get("via").asText()).isEqualTo("dashboard");
    }
  }

  @Test
  void root_whenRequested_servesThePageWhileUnknownPathsStayJson404() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir, RecordingTarget.completing(), Limits.none(), RunningSluice.fastRetry(3))) {
      ApiCalls.Answer page = sluice.api.get("/");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.contentType()).startsWith("text/html");
      assertThat(page.body()).contains("<title>Sluice</title>", "/dashboard.js");
      ApiCalls.Answer script = sluice.api.get("/dashboard.js");
      assertThat(script.status()).isEqualTo(200);
      assertThat(script.body()).contains("window.sluiceDashboard");
      ApiCalls.Answer chartLibrary = sluice.api.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
      assertThat(chartLibrary.status()).isEqualTo(200);
      assertThat(chartLibrary.body()).contains("uPlot");

      assertThat(sluice.api.get("/v1/nothing-here").error(404)).contains("/v1/nothing-here");
      assertThat(sluice.api.get("/missing.js").error(404)).contains("/missing.js");
    }
  }

  /**
   * The page's charts and figures against the API, while nothing moves: each bar holds the releases
   * the log has in its window, the limit line is the limit in force, the last backlog point and the
   * forecast are the status's.
   */
  private static void assertChartsMatchTheApi(
      HeadlessChromium chromium, RunningSluice sluice, List<JsonNode> log) {
    JsonNode page = chartData(chromium);
    JsonNode status = sluice.status();

    assertThat(page.get("limit").asInt())
        .isEqualTo(status.get("limits").get("window").get("limit").asInt())
        .isEqualTo(5);
    List<Long> pageIds = new ArrayList<>();
    page.get("releaseIds").forEach(id -> pageIds.add(id.asLong()));
    assertThat(pageIds)
        .containsExactlyInAnyOrderElementsOf(
            log.stream().map(r -> r.get("releaseId").asLong()).toList());

    long barTotal = 0;
    for (JsonNode w : page.get("releaseWindows")) {
      Instant start = Instant.parse(w.get("start").asText());
      long inLog =
          log.stream()
              .map(r -> Instant.parse(r.get("releasedAt").asText()))
              .filter(t -> !t.isBefore(start) && t.isBefore(start.plus(WINDOW)))
              .count();
      assertThat(w.get("count").asLong()).as("bar of the window from %s", start).isEqualTo(inLog);
      assertThat(w.get("count").asInt()).isLessThanOrEqualTo(20);
      barTotal += w.get("count").asLong();
    }
    assertThat(barTotal).as("every release in one bar").isEqualTo(log.size());

    long completed = count(log, "completed");
    long failed = count(log, "failed-permanent") + count(log, "failed-retryable");
    assertThat(failed).isEqualTo(1);
    assertThat(sum(page.get("outcomeWindows"), "completed")).isEqualTo(completed);
    assertThat(sum(page.get("outcomeWindows"), "failed")).isEqualTo(failed);

    JsonNode point = page.get("lastStatusPoint");
    assertThat(point.get("backlog").asLong()).isEqualTo(status.get("backlog").asLong());
    assertThat(point.get("inFlight").asLong()).isEqualTo(status.get("inFlight").asLong());
    assertThat(chromium.driver.findElement(By.id("fig-backlog")).getText())
        .isEqualTo(status.get("backlog").asText());
    assertThat(
            Double.parseDouble(
                chromium.driver.findElement(By.id("fig-drain")).getAttribute("data-seconds")))
        .isEqualTo(status.get("timeToDrainSeconds").asDouble());
    assertThat(chromium.driver.findElement(By.id("fig-oldest")).getAttribute("data-instant"))
        .isEqualTo(status.get("oldestWaiting").asText());

    List<String> deadKeys = new ArrayList<>();
    sluice.api.get("/v1/dead").ok().get("dead").forEach(d -> deadKeys.add(d.get("key").asText()));
    assertThat(deadKeys).containsExactly(POISON);
    assertThat(rowKeys(chromium, "#dead tbody tr")).isEqualTo(deadKeys);

    List<String> newestIds =
        log.stream()
            .map(r -> r.get("releaseId").asText())
            .sorted((a, b) -> Long.compare(Long.parseLong(b), Long.parseLong(a)))
            .limit(50)
            .toList();
    List<String> rowIds = new ArrayList<>();
    chromium
        .json(
            "return JSON.stringify(Array.from(document.querySelectorAll('#releases tbody tr'))"
                + ".map(r => r.dataset.releaseId))")
        .forEach(id -> rowIds.add(id.asText()));
    assertThat(rowIds).isEqualTo(newestIds);
  }

  private static JsonNode chartData(HeadlessChromium chromium) {
    return chromium.json(CHART_DATA);
  }

  private static void awaitPolls(HeadlessChromium chromium, int polls) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> chartData(chromium).get("polls").asInt() >= polls);
  }

  private static String bannerState(HeadlessChromium chromium) {
    return String.valueOf(chromium.driver.findElement(By.id("banner")).getAttribute("data-state"));
  }

  /**
   * The key column (the third) of each row the selector finds, read in one script: the page redraws
   * its tables at every poll, so elements found one call earlier may be gone.
   */
  private static List<String> rowKeys(HeadlessChromium chromium, String rows) {
    List<String> keys = new ArrayList<>();
    chromium
        .json(
            "return JSON.stringify(Array.from(document.querySelectorAll('"
                + rows
                + "')).map(r => r.cells[2].textContent))")
        .forEach(k -> keys.add(k.asText()));
    return keys;
  }

  private static List<Integer> counts(JsonNode windows) {
    return StreamSupport.stream(windows.spliterator(), false)
        .map(w -> w.get("count").asInt())
        .toList();
  }

  private static long sum(JsonNode windows, String field) {
    long total = 0;
    for (JsonNode w : windows) {
      total += w.get(field).asLong();
    }
    return total;
  }

  private static long count(List<JsonNode> log, String outcome) {
    return log.stream().filter(r -> outcome.equals(r.get("outcome").asText())).count();
  }

  private static List<JsonNode> releaseLog(RunningSluice sluice) {
    String lines = sluice.api.get("/v1/releases").ok2();
    List<JsonNode> log = new ArrayList<>();
    for (String line : lines.split("\n")) {
      if (!line.isBlank()) {
        try {
          log.add(ApiCalls.JSON.readTree(line));
        } catch (java.io.IOException e) {
          throw new AssertionError("not a JSON line: " + line, e);
        }
      }
    }
    return log;
  }

  private static List<JsonNode> releasedAfter(RunningSluice sluice, Instant after) {
    return releaseLog(sluice).stream()
        .filter(r -> !Instant.parse(r.get("releasedAt").asText()).isBefore(after))
        .toList();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
