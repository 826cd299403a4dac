package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Frames of {@code sluice status --watch}, from two status documents written by hand. */
class WatchScreenTest {

  private static ObjectNode status(String now, long released, long backlog, long inFlight) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("now", now);
    s.put("paused", false);
    s.put("released", released);
    s.put("backlog", backlog);
    s.put("due", backlog);
    s.put("inFlight", inFlight);
    s.put("timeToDrainSeconds", 4.3);
    s.putObject("limits");
    s.put("target", "t");
    return s;
  }

  @Test
  void render_whileABacklogDrains_showsTheBarTheCountsAndTheTimeLeft() {
    ObjectNode first = status("2026-12-02T10:00:00Z", 0, 115, 0);
    ObjectNode now = status("2026-12-02T10:00:02Z", 50, 65, 5);

    String frame = WatchScreen.render(first, now);

    // 50 of 115: 43 %, 13 of 30 marks; 50 releases in 2 s.
    assertThat(frame.lines())
        .contains(
            "progress     [#############-----------------]  43%  50/115 released,"
                + " 4.3s left (25.0/s since watching)",
            "backlog      65 waiting (65 due)");
  }

  @Test
  void render_whenObjectsArriveWhileWatching_countsThemInTheTotal() {
    ObjectNode first = status("2026-12-02T10:00:00Z", 100, 10, 0);
    ObjectNode now = status("2026-12-02T10:00:01Z", 110, 30, 0);

    String frame = WatchScreen.render(first, now);

    // 10 released since watching began and 30 waiting: 10 of 40, a quarter.
    assertThat(frame)
        .contains("progress     [#######-----------------------]  25%  10/40 released");
  }

  @Test
  void render_whenDrained_saysSo() {
    ObjectNode first = status("2026-12-02T10:00:00Z", 0, 115, 0);
    ObjectNode now = status("2026-12-02T10:00:05Z", 115, 0, 0);

    assertThat(WatchScreen.render(first, now).lines())
        .contains("progress     [##############################] 100%  115/115 released, drained");
  }

  @Test
  void render_whenNothingWaitsOrWasReleased_saysNothingToDrain() {
    ObjectNode first = status("2026-12-02T10:00:00Z", 7, 0, 0);
    ObjectNode now = status("2026-12-02T10:00:01Z", 7, 0, 0);

    assertThat(WatchScreen.render(first, now).lines()).contains("progress     nothing to drain");
  }

  @Test
  void watch_whenTheIntervalIsBad_isRefusedWithOneLine() {
    CliRun bad = CliRun.of("status", "--watch=soon", "--url", "http://127.0.0.1:9");
    CliRun zero = CliRun.of("status", "--watch=0s", "--url", "http://127.0.0.1:9");

    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.errLines())
        .containsExactly(
            "sluice: --watch interval must be a duration like 500ms, 2s, 1m, 1h or PT2S, got soon");
    assertThat(zero.exitCode()).isEqualTo(1);
    assertThat(zero.errLines())
        .containsExactly("sluice: --watch interval must be positive, got 0s");
  }
}
