package dev.sluice.core.dispatch;

import dev.sluice.core.batch.BatchPlan;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.partition.FairShare;
import dev.sluice.core.partition.PartitionDue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One release step of batches under fair share between partitions: the step's batches divided by
 * weight between the partitions that have one ready, each partition's part planned by the {@link
 * BatchPlanner} within it, and within its cap.
 *
 * <p>The share is counted in whole batches, whatever the limits count: a batch is what a partition
 * asks for, so counting in events would leave grants of a fraction of a batch that no batch fits.
 * Under objects counting a step's permits are rarely a whole number of batches, and a partial batch
 * costs less than K: the permits the shares leave are lent, in a second plan, to the partitions
 * that still have a batch ready, within their caps, so nothing idles while a batch waits.
 *
 * <p>A cap counts events in flight. Under objects counting a partition's part is at most its room
 * under the cap; under jobs counting, where a batch costs one permit whatever its size, at most the
 * whole batches its room holds, so a cap below K lets none of its batches go.
 */
final class SharedBatchPlan {
  private SharedBatchPlan() {}

  static BatchPlan plan(
      BatchPlanner planner,
      PartitionSharing sharing,
      List<PartitionDue> dues,
      int permits,
      Instant at) {
    int k = planner.settings().max();
    boolean jobs = planner.count() == LimitCount.JOBS;
    int wholeBatches = jobs ? permits : permits / k;
    Map<String, Integer> ready = new TreeMap<>();
    Map<String, Integer> due = new TreeMap<>();
    Map<String, Integer> rooms = new HashMap<>();
    for (PartitionDue d : dues) {
      due.put(d.partition(), d.due());
      int asked = planner.demand(d, at);
      if (asked == 0) {
        continue;
      }
      ready.put(d.partition(), jobs ? asked : (asked + k - 1) / k);
      int room = sharing.room(d.partition(), at);
      if (room != Integer.MAX_VALUE) {
        rooms.put(d.partition(), jobs ? room / k : room);
      }
    }
    FairShare.Allocation shares = sharing.allocateBatches(wholeBatches, ready, due, at);
    Map<String, Integer> budgets = new HashMap<>();
    for (String p : ready.keySet()) {
      int part = jobs ? shares.of(p) : shares.of(p) * k;
      budgets.put(p, Math.min(part, rooms.getOrDefault(p, Integer.MAX_VALUE)));
    }
    BatchPlan first = planner.plan(dues, permits, at, budgets);
    int left = permits - first.permitsUsed();
    if (left == 0) {
      return first;
    }
    // What the shares left: to whoever still has a batch ready, within the caps.
    List<PartitionDue> rest = new ArrayList<>();
    Map<String, Integer> roomLeft = new HashMap<>();
    for (PartitionDue d : dues) {
      int taken = first.quotas().getOrDefault(d.partition(), 0);
      if (d.due() > taken) {
        rest.add(new PartitionDue(d.partition(), d.due() - taken, d.oldestDue()));
      }
      Integer room = rooms.get(d.partition());
      if (room != null) {
        int spent = jobs ? (taken + k - 1) / k : taken;
        roomLeft.put(d.partition(), Math.max(0, room - spent));
      }
    }
    return first.plus(planner.plan(rest, left, at, roomLeft));
  }
}
