package dev.sluice.service.forecast;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.dispatch.PartitionSharing;
import dev.sluice.core.partition.FairShareOrder;
import dev.sluice.core.partition.PartitionShares;
import java.time.Instant;
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
 */
public final class ReleaseOrder {
  /** The order's name when the backlog has no partitions. */
  public static final String OLDEST_FIRST = "oldest-first";

  /** The order's name when the releases are divided between partitions. */
  public static final String FAIR_SHARE = "fair-share";

  private final PartitionSharing sharing;
  private final Backlog backlog;

  private ReleaseOrder(PartitionSharing sharing, Backlog backlog) {
    this.sharing = sharing;
    this.backlog = Objects.requireNonNull(backlog, "backlog");
  }

  /**
   * The order the dispatcher follows.
   *
   * @param sharing the dispatcher's fair share, or null when the backlog is not partitioned
   * @param backlog asked for the due partitions when an event is placed
   */
  public static ReleaseOrder of(PartitionSharing sharing, Backlog backlog) {
    return new ReleaseOrder(sharing, backlog);
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
      return located.ahead();
    }
    PartitionShares shares = sharing.shares();
    String partition = located.partition();
    long ahead = located.aheadInPartition();
    Instant at = located.dueAt().isAfter(now) ? located.dueAt() : now;
    int countUpTo = FairShareOrder.countUpTo(partition, ahead, shares);
    if (countUpTo > ahead + 1) {
      // A heavier partition may be named in the weights and have nothing due: the busy ones
      // first (one probe each), so that the others are counted only as far as they can matter.
      countUpTo = FairShareOrder.countUpTo(partition, ahead, shares, backlog.duePartitions(at, 1));
    }
    return FairShareOrder.position(partition, ahead, backlog.duePartitions(at, countUpTo), shares);
  }
}
