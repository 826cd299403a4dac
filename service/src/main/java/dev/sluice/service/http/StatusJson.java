package dev.sluice.service.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.WriteStatus;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.cluster.GateTerm;
import dev.sluice.core.cluster.NodeView;
import dev.sluice.core.dispatch.DispatcherStats;
import dev.sluice.core.forecast.Drain;
import dev.sluice.core.forecast.DrainForecast;
import dev.sluice.core.gate.Capacity;
import dev.sluice.service.Sluice;
import dev.sluice.service.cluster.ClusterNode;
import dev.sluice.service.config.AdaptiveDocument;
import dev.sluice.service.config.DurationText;
import dev.sluice.service.config.LimitsDocument;
import dev.sluice.service.config.ScheduleDocument;
import dev.sluice.service.forecast.FlowReading;
import dev.sluice.service.metrics.SluiceMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The body of {@code GET /v1/status}: what an operator needs to see at a glance. */
final class StatusJson {
  private StatusJson() {}

  static ObjectNode of(Sluice sluice, boolean draining, ObjectMapper json) {
    Instant now = sluice.time().now();
    FlowReading reading =
        FlowReading.of(
            sluice.backlog(),
            sluice.limits(),
            sluice.schedule(),
            sluice.dispatcher().batchPlanner(),
            sluice.dispatcher().adaptive().rateFactor(),
            sluice.dispatcher().adaptive().wholeReleasePermits(),
            now);
    BacklogStats b = reading.stats();
    DispatcherStats d = sluice.dispatcher().stats();
    ObjectNode o = json.createObjectNode();
    o.put("now", now.toString());
    o.put("paused", d.paused());
    o.put("draining", draining);
    o.put("backlog", b.waiting());
    o.put("due", b.due());
    o.put("inFlight", b.leased());
    // Of those in flight: work an asynchronous target (a Step Functions execution) has begun and
    // whose end has not come back yet.
    o.put("running", d.running());
    o.put("released", b.releases());
    o.put("releasedLastMinute", reading.releasedLastMinute());
    o.put("releaseRatePerSecond", reading.releasedLastMinute() / 60.0);
    o.put("completed", b.done());
    o.put("dead", b.dead());
    o.put("oldestWaiting", b.oldestWaiting() == null ? null : b.oldestWaiting().toString());
    o.put(
        "oldestWaitingSeconds",
        b.oldestWaiting() == null ? 0.0 : seconds(Duration.between(b.oldestWaiting(), now)));
    Drain drain = reading.drain();
    o.put("timeToDrainSeconds", seconds(Duration.between(now, drain.drainedAt())));
    Capacity capacity = sluice.capacity();
    // A blackout that never ends is forecast as a pause is: as if lifted now.
    boolean halted = d.paused() || (capacity.blackout() && capacity.nextChange() == null);
    o.set("forecast", forecast(reading, drain, halted, json));
    o.set("limits", LimitsDocument.write(sluice.limits(), json));
    // What the capacity schedule makes of those limits now, and when that changes next.
    o.set("capacity", ScheduleDocument.writeCapacity(capacity, json));
    o.set("adaptive", AdaptiveDocument.state(sluice.dispatcher().adaptive().state(), json));
    o.put("target", sluice.target().describe());
    o.set("batch", batch(sluice, json));
    ObjectNode since = o.putObject("sinceStart");
    since.put("released", d.released());
    since.put("completed", d.completed());
    since.put("retried", d.retried());
    since.put("deadLettered", d.deadLettered());
    // Grows with every step of the release loop, paused or not: a client waits for it to move
    // past a change to know the dispatcher has had its chance to act on it.
    since.put("releaseSteps", sluice.dispatcher().releasePasses());
    o.set("store", store(sluice.backlog().writeStatus(), json));
    if (sluice.cluster() != null) {
      o.set("cluster", cluster(sluice.cluster(), sluice.dispatcher().holdsGate(), now, json));
    }
    ObjectNode dropped = o.putObject("dropped");
    sluice.intake().droppedCounts().byLabel().forEach(dropped::put);
    return o;
  }

  /**
   * Batches: null when every job carries one event; else the settings, the partition rule that
   * groups them and the batches since start.
   */
  static ObjectNode batch(Sluice sluice, ObjectMapper json) {
    BatchPlanner planner = sluice.dispatcher().batchPlanner();
    if (planner == null) {
      return null;
    }
    ObjectNode o = json.createObjectNode();
    o.put("max", planner.settings().max());
    o.put("wait", DurationText.format(planner.settings().maxWait()));
    o.put("count", planner.count().word());
    o.put("groupedBy", sluice.dispatcher().batchRule().describe());
    SluiceMetrics.BatchCounts c = sluice.metrics().batchCounts();
    ObjectNode since = o.putObject("sinceStart");
    since.put("released", c.released());
    since.put("events", c.events());
    since.put("meanSize", c.meanSize());
    since.put("partial", c.partial());
    since.put("partiallyFailed", c.partiallyFailed());
    return o;
  }

  /** Whether the backlog takes writes: false from a failed write (disk full) until data commits. */
  private static ObjectNode store(WriteStatus w, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    o.put("writable", w.writable());
    o.put("full", w.full());
    o.put("lastError", w.lastError());
    o.put("lastFailureAt", w.lastFailureAt() == null ? null : w.lastFailureAt().toString());
    o.put("failingSince", w.failingSince() == null ? null : w.failingSince().toString());
    o.put("failedWrites", w.failedWrites());
    return o;
  }

  /**
   * The nodes sharing the store: which one holds the gate (the only one releasing), each one's
   * heartbeat, and how many events are leased to each.
   */
  private static ObjectNode cluster(
      ClusterNode node, boolean releasing, Instant now, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    o.put("node", node.nodeId());
    o.put("holdsGate", node.heldTerm().isPresent());
    o.put("releasing", releasing);
    Optional<GateTerm> holder = node.holder();
    if (holder.isPresent()) {
      ObjectNode h = o.putObject("holder");
      h.put("node", holder.get().nodeId());
      h.put("epoch", holder.get().epoch());
      h.put("until", holder.get().until().toString());
    } else {
      o.putNull("holder");
    }
    ArrayNode nodes = o.putArray("nodes");
    for (NodeView v : node.nodes()) {
      ObjectNode n = nodes.addObject();
      n.put("node", v.nodeId());
      n.put("host", v.host());
      n.put("pid", v.pid());
      n.put("http", v.httpAddress());
      n.put("startedAt", v.startedAt().toString());
      n.put("heartbeatAt", v.heartbeatAt().toString());
      n.put("heartbeatAgeSeconds", Math.max(0.0, seconds(Duration.between(v.heartbeatAt(), now))));
      n.put("holdsGate", v.holdsGate());
      n.put("leased", v.leased());
    }
    return o;
  }

  private static ObjectNode forecast(
      FlowReading reading, Drain drain, boolean paused, ObjectMapper json) {
    DrainForecast f = reading.forecast();
    ObjectNode o = json.createObjectNode();
    o.put("waiting", drain.waiting());
    o.put("lastStart", drain.lastStart().toString());
    o.put("drainedAt", drain.drainedAt().toString());
    o.put("timeToDrainSeconds", seconds(Duration.between(reading.now(), drain.drainedAt())));
    o.put("latencySeconds", seconds(reading.latency()));
    o.put("latencySamples", reading.latencySamples());
    o.put("lagSeconds", seconds(reading.lag()));
    double pace = f.steadyPerSecond();
    if (Double.isInfinite(pace)) {
      o.putNull("steadyPerSecond");
    } else {
      o.put("steadyPerSecond", pace);
    }
    // A paused service releases nothing: the forecast is for a resume now.
    o.put("assumesResumeNow", paused);
    return o;
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
