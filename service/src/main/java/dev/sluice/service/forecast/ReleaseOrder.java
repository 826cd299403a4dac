package dev.sluice.service.forecast;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.dispatch.PartitionSharing;
import dev.sluice.core.partition.FairShareOrder;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionShares;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The order in which the dispatcher reaches waiting events, as a forecast of one event's start
 * needs it: the permits granted before the event, which {@link
 * dev.sluice.core.forecast.DrainForecast#startOf(long, Instant)} turns into a time.
 *
 * <p>Oldest first across the backlog without partitions: the events a claim takes before it. With
 * partitions, the releases are divided by fair share, and the event's place follows {@link
 * FairShareOrder} from the events ahead of it in its own partition, the weights in force and the
 * other partitions' due events (counted as far as that needs, through the backlog's partition
 * index).
 *
 * <p>Under batches counted as jobs a permit is a batch of up to K events of one partition, and the
 * place is counted in batches: the event goes in its partition's batch {@code aheadInPartition /
 * K}, and under fair share every other partition is served in whole batches, {@code ceil(due / K)}
 * at most (a partition with fewer than K due still takes a permit for its partial batch). Counted
 * as objects, a permit is an event and the place is counted in events.
 */
public final class ReleaseOrder {
  /** The order's name when the backlog has no partitions. */
  public static final String OLDEST_FIRST = "oldest-first";

  /** The order's name when the releases are divided between partitions. */
  public static final String FAIR_SHARE = "fair-share";

  private final PartitionSharing sharing;
  private final Backlog backlog;
  private final int eventsPerPermit;

  private ReleaseOrder(PartitionSharing sharing, Backlog backlog, int eventsPerPermit) {
    this.sharing = sharing;
    this.backlog = Objects.requireNonNull(backlog, "backlog");
    this.eventsPerPermit = eventsPerPermit;
  }

  /**
   * The order the dispatcher follows when every permit carries one event.
   *
   * @param sharing the dispatcher's fair share, or null when the backlog is not partitioned
   * @param backlog asked for the due partitions when an event is placed
   */
  public static ReleaseOrder of(PartitionSharing sharing, Backlog backlog) {
    return new ReleaseOrder(sharing, backlog, 1);
  }

  /**
   * The order the dispatcher follows.
   *
   * @param sharing the dispatcher's fair share, or null when the backlog is not partitioned
   * @param batches the dispatcher's batch planner, or null when every job carries one event
   * @param backlog asked for the due partitions when an event is placed
   */
  public static ReleaseOrder of(PartitionSharing sharing, BatchPlanner batches, Backlog backlog) {
    return new ReleaseOrder(sharing, backlog, eventsPerPermit(batches));
  }

  /**
   * How many events one permit of the limits carries under {@code batches} (null: no batches): K
   * when batches are counted as jobs, else 1.
   */
  public static int eventsPerPermit(BatchPlanner batches) {
    return batches != null && batches.count() == LimitCount.JOBS ? batches.settings().max() : 1;
  }

  /** How many events one permit carries in this order (see {@link #eventsPerPermit}). */
  public int eventsPerPermit() {
    return eventsPerPermit;
  }

  /** {@link #OLDEST_FIRST} or {@link #FAIR_SHARE}. */
  public String name() {
    return sharing == null ? OLDEST_FIRST : FAIR_SHARE;
  }

  /**
   * The permits the limits grant before {@code located} is reached, from {@code now}; null when it
   * does not wait. Under fair share, the other partitions' events count when they are due by now or
   * by the event's due time, whichever is later: an event waiting for a retry is placed as if due,
   * and does not start before it is.
   */
  public Long permitsBefore(EventLocation located, Instant now) {
    if (located.ahead() == null) {
      return null;
    }
    if (sharing == null) {
      // One partition: its batches leave one after the other, full but for the last.
      return located.ahead() / eventsPerPermit;
    }
    PartitionShares shares = sharing.shares();
    String partition = located.partition();
    // The event's own batch in its partition, and the other partitions in batches.
    long ahead = located.aheadInPartition() / eventsPerPermit;
    Instant at = located.dueAt().isAfter(now) ? located.dueAt() : now;
    int countUpTo = FairShareOrder.countUpTo(partition, ahead, shares);
    if (countUpTo > ahead + 1) {
      // A heavier partition may be named in the weights and have nothing due: the busy ones
      // first (one probe each), so that the others are counted only as far as they can matter.
      countUpTo = FairShareOrder.countUpTo(partition, ahead, shares, backlog.duePartitions(at, 1));
    }
    return FairShareOrder.position(partition, ahead, duePermits(at, countUpTo), shares);
  }

  /** The due partitions, each with the permits its due events take, counted up to {@code upTo}. */
  private List<PartitionDue> duePermits(Instant at, int upTo) {
    if (eventsPerPermit == 1) {
      return backlog.duePartitions(at, upTo);
    }
    int events = (int) Math.min(Integer.MAX_VALUE, (long) upTo * eventsPerPermit);
    List<PartitionDue> due = backlog.duePartitions(at, events);
    List<PartitionDue> permits = new ArrayList<>(due.size());
    for (PartitionDue d : due) {
      long batches = ((long) d.due() + eventsPerPermit - 1) / eventsPerPermit;
      permits.add(new PartitionDue(d.partition(), (int) batches, d.oldestDue()));
    }
    return permits;
  }
}
