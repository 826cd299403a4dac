package dev.sluice.service.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.dispatch.DispatcherStats;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.Sluice;
import dev.sluice.service.config.LimitsDocument;
import java.time.Duration;
import java.time.Instant;

/** The body of {@code GET /v1/status}: what an operator needs to see at a glance. */
final class StatusJson {
  private StatusJson() {}

  static ObjectNode of(Sluice sluice, boolean draining, ObjectMapper json) {
    Instant now = sluice.time().now();
    BacklogStats b = sluice.backlog().stats(now);
    DispatcherStats d = sluice.dispatcher().stats();
    ObjectNode o = json.createObjectNode();
    o.put("paused", d.paused());
    o.put("draining", draining);
    o.put("backlog", b.waiting());
    o.put("due", b.due());
    o.put("inFlight", b.leased());
    // Of those in flight: work an asynchronous target (a Step Functions execution) has begun and
    // whose end has not come back yet.
    o.put("running", d.running());
    o.put("released", b.releases());
    o.put("completed", b.done());
    o.put("dead", b.dead());
    o.put("oldestWaiting", b.oldestWaiting() == null ? null : b.oldestWaiting().toString());
    o.put(
        "oldestWaitingSeconds",
        b.oldestWaiting() == null
            ? 0.0
            : Duration.between(b.oldestWaiting(), now).toMillis() / 1000.0);
    Duration drain = timeToDrain(b.waiting(), sluice.limits());
    o.put("timeToDrainSeconds", drain == null ? null : drain.toMillis() / 1000.0);
    o.set("limits", LimitsDocument.write(sluice.limits(), json));
    o.put("target", sluice.target().describe());
    ObjectNode since = o.putObject("sinceStart");
    since.put("released", d.released());
    since.put("completed", d.completed());
    since.put("retried", d.retried());
    since.put("deadLettered", d.deadLettered());
    ObjectNode dropped = o.putObject("dropped");
    sluice.intake().droppedCounts().byLabel().forEach(dropped::put);
    return o;
  }

  /**
   * Lower bound on the time to release what waits, from the window and rate limits alone; null when
   * no such limit is set (then only the target's speed bounds it).
   */
  static Duration timeToDrain(long waiting, Limits limits) {
    if (waiting == 0) {
      return Duration.ZERO;
    }
    Duration best = null;
    if (limits.window() != null) {
      long windows = (waiting - 1) / limits.window().limit();
      best = limits.window().every().multipliedBy(windows);
    }
    if (limits.rate() != null) {
      double beyondBurst = Math.max(0, waiting - limits.rate().burst());
      Duration byRate = Duration.ofMillis((long) (beyondBurst / limits.rate().perSecond() * 1000));
      best = best == null || byRate.compareTo(best) > 0 ? byRate : best;
    }
    return best;
  }
}
