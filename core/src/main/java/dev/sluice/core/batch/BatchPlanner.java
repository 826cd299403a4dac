package dev.sluice.core.batch;

import dev.sluice.core.partition.PartitionDue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, at one release step, how many due events to take from each partition so that they leave
 * as batches: a pure function of what is due, the permits the gate granted and the time.
 *
 * <ul>
 *   <li>A partition is ready when it has at least K events due, or its oldest due event has waited
 *       {@link BatchSettings#maxWait()}.
 *   <li>It asks for whole batches (multiples of K); the partial remainder only once the wait has
 *       passed.
 *   <li>In {@link LimitCount#JOBS} mode a permit is a batch; in {@link LimitCount#OBJECTS} mode a
 *       permit is an event and a batch goes when all its members' permits are granted (so, counting
 *       objects, every limit must allow at least K at once: the config refuses a smaller one). A
 *       batch that does not fit the permits left holds back the turns after it, so smaller batches
 *       never keep a whole one waiting for ever.
 *   <li>Ready partitions take turns, a batch each, the one with the oldest due event first, until
 *       the permits run out: a partition with a deep backlog cannot take every permit of a step.
 * </ul>
 *
 * The due counts may be counted up to a cap ({@link #countUpTo}); the cap is a multiple of K, so a
 * capped count never looks like a partial remainder.
 */
public final class BatchPlanner {

  private final BatchSettings settings;
  private final LimitCount count;

  public BatchPlanner(BatchSettings settings, LimitCount count) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.count = Objects.requireNonNull(count, "count");
  }

  public BatchSettings settings() {
    return settings;
  }

  public LimitCount count() {
    return count;
  }

  /** How many permits to ask the gate for when {@code batches} batches could start. */
  public int permitsFor(int batches) {
    if (batches <= 0) {
      return 0;
    }
    return count == LimitCount.JOBS
        ? batches
        : (int) Math.min(Integer.MAX_VALUE, (long) batches * settings.max());
  }

  /**
   * How far to count each partition's due events for a step granted {@code permits}: enough for
   * every permit to be used by one partition, rounded up to a multiple of K.
   */
  public int countUpTo(int permits) {
    long k = settings.max();
    long events = count == LimitCount.JOBS ? (long) permits * k : permits;
    long rounded = Math.max(k, ((events + k - 1) / k) * k);
    return (int) Math.min(rounded, (Integer.MAX_VALUE / k) * k);
  }

  /**
   * The permits partition {@code due} asks for at {@code now}: its whole batches, and its partial
   * one once its wait has passed; each a permit under jobs counting, its events under objects
   * counting. What a fair share between partitions takes as the partition's demand.
   */
  public int demand(PartitionDue due, Instant now) {
    int k = settings.max();
    boolean waited = !now.isBefore(due.oldestDue().plus(settings.maxWait()));
    int whole = due.due() / k;
    int remainder = waited ? due.due() % k : 0;
    if (count == LimitCount.JOBS) {
      return whole + (remainder > 0 ? 1 : 0);
    }
    return whole * k + remainder;
  }

  /** The batches to release now from {@code dues} with {@code permits} granted. */
  public BatchPlan plan(List<PartitionDue> dues, int permits, Instant now) {
    return plan(dues, permits, now, Map.of());
  }

  /**
   * As {@link #plan(List, int, Instant)}, with the permits a partition may use at most: {@code
   * budgets} by partition (a fair share's allocation); a partition it does not name is not limited
   * by it. A batch goes whole within its partition's budget or waits.
   */
  public BatchPlan plan(
      List<PartitionDue> dues, int permits, Instant now, Map<String, Integer> budgets) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(budgets, "budgets");
    int k = settings.max();
    List<Turns> ready = new ArrayList<>();
    Instant nextReady = null;
    for (PartitionDue d : dues) {
      boolean waited = !now.isBefore(d.oldestDue().plus(settings.maxWait()));
      int remainder = d.due() % k;
      if (remainder > 0 && !waited) {
        Instant at = d.oldestDue().plus(settings.maxWait());
        nextReady = nextReady == null || at.isBefore(nextReady) ? at : nextReady;
      }
      int whole = d.due() / k;
      if (whole > 0 || waited) {
        ready.add(new Turns(d, whole, waited ? remainder : 0, waited));
      }
    }
    ready.sort(
        Comparator.comparing((Turns q) -> q.due.oldestDue()).thenComparing(q -> q.due.partition()));
    Map<String, Integer> quotas = new LinkedHashMap<>();
    List<Integer> sizes = new ArrayList<>();
    int left = permits;
    int partials = 0;
    boolean progress = true;
    turns:
    while (left > 0 && progress) {
      progress = false;
      for (Turns q : ready) {
        int size = q.next(k);
        if (size == 0) {
          continue;
        }
        int cost = count == LimitCount.JOBS ? 1 : size;
        Integer budget = budgets.get(q.due.partition());
        if (budget != null && q.spent + cost > budget) {
          q.exhausted = true; // its share is used: the others take their turns
          continue;
        }
        if (cost > left) {
          // A batch goes whole, when all its permits are granted. The batches after it wait too:
          // were smaller ones let past, a stream of them could keep its K permits from ever being
          // free at once.
          break turns;
        }
        q.take(size);
        q.spent += cost;
        quotas.merge(q.due.partition(), size, Integer::sum);
        sizes.add(size);
        if (size < k) {
          partials++;
        }
        left -= cost;
        progress = true;
        if (left == 0) {
          break;
        }
      }
    }
    return new BatchPlan(quotas, sizes, permits - left, partials, nextReady);
  }

  /** What remains to plan of one ready partition. */
  private static final class Turns {
    final PartitionDue due;
    final boolean waited;
    int whole;
    int remainder;
    int spent;
    boolean exhausted;

    Turns(PartitionDue due, int whole, int remainder, boolean waited) {
      this.due = due;
      this.whole = whole;
      this.remainder = remainder;
      this.waited = waited;
    }

    /** The size of the next batch, 0 when none is left. */
    int next(int k) {
      if (exhausted) {
        return 0;
      }
      return whole > 0 ? k : remainder;
    }

    void take(int size) {
      if (whole > 0) {
        whole--;
      } else {
        remainder -= size;
      }
    }
  }
}
