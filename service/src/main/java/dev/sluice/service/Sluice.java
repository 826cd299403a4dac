package dev.sluice.service;

import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.gate.Capacity;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.TimeSource;
import dev.sluice.ingest.EventIntake;
import dev.sluice.service.cluster.ClusterNode;
import dev.sluice.service.metrics.SluiceMetrics;

/**
 * The running parts every front end (HTTP API, CLI demo, embedded S3 endpoint) works through.
 *
 * @param backlog the durable backlog and release log
 * @param dispatcher releases events under the gate
 * @param intake the path from notification to backlog
 * @param target what jobs start
 * @param time the time source every part shares
 * @param metrics every meter, fed by the dispatcher and the intake
 * @param cluster this node among the nodes sharing the store, or null on one node (SQLite)
 */
public record Sluice(
    Backlog backlog,
    Dispatcher dispatcher,
    EventIntake intake,
    Target target,
    TimeSource time,
    SluiceMetrics metrics,
    ClusterNode cluster) {

  /** The base limits: those configured or set at runtime, before the schedule's rules. */
  public Limits limits() {
    return dispatcher.limits();
  }

  /** The capacity schedule over the base limits. */
  public CapacitySchedule schedule() {
    return dispatcher.schedule();
  }

  /** The limits in effect now, whether a blackout holds, and the schedule's next change. */
  public Capacity capacity() {
    return dispatcher.capacity();
  }
}
