package dev.sluice.core.partition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Divides the releases one step may make between the busy partitions: weighted max-min fairness
 * (water-filling), as a pure function of the permits, the partitions' demands, the {@link
 * PartitionShares} and the {@link Credit} carried from the step before.
 *
 * <p>Each busy partition is entitled to {@code permits * weight / (sum of busy weights)}. A
 * partition that needs less (few events due, or its cap reached) takes what it needs, and the rest
 * of its share is lent to the others in proportion to their weights, again and again until every
 * permit is placed or every demand met: nothing idles while there is work, and a hot partition
 * takes everything the others leave but never more than its share while they want theirs.
 *
 * <p>Shares are fractions and releases are whole. The fraction a partition was owed and not given
 * (or was given ahead) is carried to the next step as {@link Credit}, so over many steps in which
 * they all want more than their share, each partition is served within two events of its exact
 * share, and a partition of weight 1 among partitions of weight 100 gets its event after about
 * {@code total weight / (weight * permits)} steps instead of losing to rounding forever. The credit
 * stays between -1 and 1; a partition that is not busy in a step, or whose every want was met,
 * carries none.
 */
public final class FairShare {
  /** Absorbs the error of summed fractions, so 20 steps of 0.05 count as 1. */
  private static final double EPSILON = 1e-9;

  private FairShare() {}

  /**
   * Fractions of an event owed to partitions (positive) or given to them ahead (negative) by
   * earlier steps.
   */
  public record Credit(Map<String, Double> owed) {
    public static final Credit NONE = new Credit(Map.of());

    public Credit {
      owed = Collections.unmodifiableMap(new TreeMap<>(owed));
    }

    public double of(String partition) {
      return owed.getOrDefault(partition, 0.0);
    }
  }

  /**
   * What a step gives each busy partition.
   *
   * @param granted events each partition may release in this step, by name (every busy partition,
   *     zero included); their sum is {@code min(permits, sum of usable demands)}
   * @param ideal each busy partition's exact (fractional) share this step, before rounding
   * @param credit what to carry to the next step
   */
  public record Allocation(Map<String, Integer> granted, Map<String, Double> ideal, Credit credit) {
    public Allocation {
      granted = Collections.unmodifiableMap(new LinkedHashMap<>(granted));
      ideal = Collections.unmodifiableMap(new LinkedHashMap<>(ideal));
      Objects.requireNonNull(credit, "credit");
    }

    /** Events granted in all. */
    public int total() {
      int n = 0;
      for (int g : granted.values()) {
        n += g;
      }
      return n;
    }

    /** The events {@code partition} may release in this step (0 when it is not busy). */
    public int of(String partition) {
      return granted.getOrDefault(partition, 0);
    }
  }

  /** One busy partition in the computation. */
  private static final class Share {
    final String name;
    final int usable;
    final int weight;
    double ideal;
    double target;
    int granted;

    Share(String name, int usable, int weight) {
      this.name = name;
      this.usable = usable;
      this.weight = weight;
    }

    double remainder() {
      return target - granted;
    }
  }

  /**
   * Divides {@code permits} between the partitions of {@code demands}.
   *
   * @param permits the releases this step may make, >= 0
   * @param demands each busy partition's demand and events in flight (one entry per partition)
   * @param shares weights and caps
   * @param carried the credit the previous step returned ({@link Credit#NONE} at first)
   */
  public static Allocation allocate(
      int permits, List<PartitionDemand> demands, PartitionShares shares, Credit carried) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must be >= 0, got " + permits);
    }
    Objects.requireNonNull(shares, "shares");
    Objects.requireNonNull(carried, "carried");
    List<Share> busy = usable(demands, shares);
    long wanted = 0;
    for (Share s : busy) {
      wanted += s.usable;
    }
    int total = (int) Math.min(permits, wanted);
    waterFill(busy, total);
    round(busy, total, carried);
    Map<String, Integer> granted = new LinkedHashMap<>();
    Map<String, Double> ideal = new LinkedHashMap<>();
    Map<String, Double> owed = new TreeMap<>();
    for (Share s : busy) {
      granted.put(s.name, s.granted);
      ideal.put(s.name, s.ideal);
      if (s.granted < s.usable) {
        double c = Math.max(-1.0, Math.min(1.0, s.remainder()));
        if (Math.abs(c) > EPSILON) {
          owed.put(s.name, c);
        }
      }
    }
    return new Allocation(granted, ideal, new Credit(owed));
  }

  /**
   * The busy partitions, by name, each with what it can use: its demand, within what its cap
   * leaves. A partition that can use nothing is left out (it is owed nothing).
   */
  private static List<Share> usable(List<PartitionDemand> demands, PartitionShares shares) {
    TreeMap<String, Share> byName = new TreeMap<>();
    for (PartitionDemand d : demands) {
      long room = (long) shares.capOf(d.partition()) - d.inFlight();
      int usable = (int) Math.max(0, Math.min(d.demand(), room));
      if (byName.containsKey(d.partition())) {
        throw new IllegalArgumentException("partition '" + d.partition() + "' given twice");
      }
      if (usable > 0) {
        byName.put(d.partition(), new Share(d.partition(), usable, shares.weightOf(d.partition())));
      }
    }
    return new ArrayList<>(byName.values());
  }

  /**
   * The exact weighted max-min shares of {@code total}: the partitions that want least per unit of
   * weight are served fully first; the rest split what is left by weight.
   */
  private static void waterFill(List<Share> busy, int total) {
    List<Share> order = new ArrayList<>(busy);
    order.sort(
        Comparator.comparingDouble((Share s) -> (double) s.usable / s.weight)
            .thenComparing(s -> s.name));
    double left = total;
    long weightLeft = 0;
    for (Share s : order) {
      weightLeft += s.weight;
    }
    for (int i = 0; i < order.size(); i++) {
      Share s = order.get(i);
      double fair = left * s.weight / weightLeft;
      if (s.usable <= fair) {
        s.ideal = s.usable;
        left -= s.usable;
        weightLeft -= s.weight;
        continue;
      }
      // Everyone from here wants more per weight than s, so none of them is filled either.
      double perWeight = left / weightLeft;
      for (int j = i; j < order.size(); j++) {
        Share r = order.get(j);
        r.ideal = Math.min(r.usable, perWeight * r.weight);
      }
      return;
    }
  }

  /**
   * Whole events from the exact shares plus the carried credit: each takes the whole part of its
   * target, then the events still to place go to the largest remainders (or, when the credit made
   * the whole parts too many, are taken back from the smallest), ties by name.
   */
  private static void round(List<Share> busy, int total, Credit carried) {
    int placed = 0;
    for (Share s : busy) {
      s.target = s.ideal + carried.of(s.name);
      s.granted = (int) Math.max(0, Math.min(s.usable, Math.floor(s.target + EPSILON)));
      placed += s.granted;
    }
    Comparator<Share> mostOwed =
        Comparator.comparingDouble((Share s) -> -s.remainder()).thenComparing(s -> s.name);
    if (placed < total) {
      PriorityQueue<Share> queue = new PriorityQueue<>(mostOwed);
      for (Share s : busy) {
        if (s.granted < s.usable) {
          queue.add(s);
        }
      }
      while (placed < total) {
        Share s = queue.poll();
        s.granted++;
        placed++;
        if (s.granted < s.usable) {
          queue.add(s);
        }
      }
    } else if (placed > total) {
      PriorityQueue<Share> queue = new PriorityQueue<>(mostOwed.reversed());
      for (Share s : busy) {
        if (s.granted > 0) {
          queue.add(s);
        }
      }
      while (placed > total) {
        Share s = queue.poll();
        s.granted--;
        placed--;
        if (s.granted > 0) {
          queue.add(s);
        }
      }
    }
  }
}
