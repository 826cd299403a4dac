package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.partition.FairShare;
import dev.sluice.core.partition.PartitionDemand;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Divides each release step's permits between the busy partitions with {@link FairShare}, and keeps
 * what that needs and what an operator sees: each partition's events in flight (what a cap counts),
 * its releases in the last minute, and the step's grants. It learns of releases and settlements as
 * a {@link DispatchObserver}, so the counts are the dispatcher's own.
 *
 * <p>A cap counts the events this dispatcher released and has not settled, and, after it took the
 * gate over from another node, that node's open releases until they can no longer be at the target
 * ({@link #heldElsewhere}), as the gate counts them. After a restart of the one process on a file,
 * the events it left in flight are released again (their outcome is unknown) and count from then.
 *
 * <p>Thread-safe: the releasing loop asks for quotas, the settling loop and the releasing loop
 * report, an operator reads and changes the shares.
 */
public final class PartitionSharing implements DispatchObserver {
  /** How far back {@link View#releasedLastMinute()} counts. */
  public static final Duration RECENT = Duration.ofMinutes(1);

  private final PartitionRule rule;
  private PartitionShares shares;
  private FairShare.Credit credit = FairShare.Credit.NONE;

  /** Events in flight by partition; a partition with none is removed. */
  private final Map<String, Integer> inFlight = new HashMap<>();

  /** Release instants (epoch second) by partition within {@link #RECENT}. */
  private final Map<String, ReleaseCounts> recent = new HashMap<>();

  /** Other nodes' releases counted in flight until their instant, earliest first. */
  private final PriorityQueue<Held> heldElsewhere =
      new PriorityQueue<>(Comparator.comparing(Held::until));

  /** How many of {@link #heldElsewhere} each partition has. */
  private final Map<String, Integer> heldCounts = new HashMap<>();

  /** An open release of another node, in flight in {@code partition} until {@code until}. */
  private record Held(String partition, Instant until) {}

  /** The last step that had busy partitions: its due counts and grants. */
  private Step lastStep = new Step(Instant.EPOCH, Map.of(), null);

  /**
   * What a release step saw and gave.
   *
   * @param at when the step ran
   * @param due each busy partition's due events, counted up to the step's permits
   * @param allocation what the step gave, or null before the first
   */
  private record Step(Instant at, Map<String, Integer> due, FairShare.Allocation allocation) {}

  /**
   * One partition as an operator sees it.
   *
   * @param partition its name
   * @param weight its weight
   * @param cap its cap on events in flight, or null for none
   * @param due its due events at the last step that found work (counted up to that step's permits),
   *     0 when it was not busy then
   * @param inFlight its events released and not yet settled
   * @param releasedLastMinute its releases within {@link #RECENT}
   * @param lastGranted what the last step that found work gave it
   * @param share its weight over the weights of the partitions busy at that step (0 to 1): the part
   *     of a full limit it is entitled to while all of them want more
   */
  public record View(
      String partition,
      int weight,
      Integer cap,
      int due,
      int inFlight,
      long releasedLastMinute,
      int lastGranted,
      double share) {}

  /**
   * @param rule how the store works each event's partition out (the rule it was opened with)
   */
  public PartitionSharing(PartitionRule rule, PartitionShares shares) {
    this.rule = Objects.requireNonNull(rule, "rule");
    this.shares = Objects.requireNonNull(shares, "shares");
  }

  /** How the partitions are formed. */
  public PartitionRule rule() {
    return rule;
  }

  /** The partition {@code job}'s event is in. */
  public String partitionOf(Job job) {
    ObjectEvent e = job.event();
    return rule.partitionOf(e.bucket(), e.key());
  }

  public synchronized PartitionShares shares() {
    return shares;
  }

  /** Changes weights and caps; the next step divides by them. */
  public synchronized void setShares(PartitionShares s) {
    this.shares = Objects.requireNonNull(s, "shares");
  }

  /**
   * Counts an open release of another node (the previous holder of the gate) in flight in its
   * partition until {@code until}: its lease, or the hold of work its target began. The dispatcher
   * tells each when it takes the gate over, after {@link #forgetHeldElsewhere}.
   *
   * @param bucket the event's bucket, or null when the event is gone (then it is not counted)
   * @param key the event's key, or null when the event is gone
   */
  public synchronized void heldElsewhere(String bucket, String key, Instant until) {
    if (bucket == null || key == null) {
      return;
    }
    String p = rule.partitionOf(bucket, key);
    heldElsewhere.add(new Held(p, until));
    heldCounts.merge(p, 1, Integer::sum);
  }

  /** Drops every release counted by {@link #heldElsewhere}: a takeover counts them afresh. */
  public synchronized void forgetHeldElsewhere() {
    heldElsewhere.clear();
    heldCounts.clear();
  }

  /**
   * Events of {@code partition} in flight, this node's and those held elsewhere, at {@code now}.
   */
  private int inFlightAt(String partition, Instant now) {
    for (Held h; (h = heldElsewhere.peek()) != null && !h.until().isAfter(now); ) {
      heldElsewhere.poll();
      heldCounts.computeIfPresent(h.partition(), (k, n) -> n > 1 ? n - 1 : null);
    }
    return inFlight.getOrDefault(partition, 0) + heldCounts.getOrDefault(partition, 0);
  }

  /**
   * The step's grants: {@code permits} divided between the partitions of {@code due} (name to due
   * events), each within its cap. Carries the credit to the next step.
   */
  public synchronized FairShare.Allocation allocate(
      int permits, Map<String, Integer> due, Instant at) {
    List<PartitionDemand> demands = new ArrayList<>(due.size());
    due.forEach((p, n) -> demands.add(new PartitionDemand(p, n, inFlightAt(p, at))));
    FairShare.Allocation a = FairShare.allocate(permits, demands, shares, credit);
    credit = a.credit();
    if (!due.isEmpty()) {
      lastStep = new Step(at, new TreeMap<>(due), a);
    }
    return a;
  }

  /**
   * Under batches: divides {@code batches} whole batches between the partitions of {@code ready}
   * (the batches each could release now), by weight, carrying the credit between steps as {@link
   * #allocate} does, so a small partition's turn comes however large K is. Caps are left out: they
   * count events, and the dispatcher keeps them with {@link #room}.
   *
   * @param due each partition's due events, for the operator's view
   */
  public synchronized FairShare.Allocation allocateBatches(
      int batches, Map<String, Integer> ready, Map<String, Integer> due, Instant at) {
    List<PartitionDemand> demands = new ArrayList<>(ready.size());
    ready.forEach((p, n) -> demands.add(new PartitionDemand(p, n, 0)));
    FairShare.Allocation a =
        FairShare.allocate(batches, demands, shares.withCaps(Map.of()), credit);
    credit = a.credit();
    if (!due.isEmpty()) {
      lastStep = new Step(at, new TreeMap<>(due), a);
    }
    return a;
  }

  /**
   * How many more events {@code partition} may put in flight under its cap at {@code at}, or {@link
   * Integer#MAX_VALUE} when it has none.
   */
  public synchronized int room(String partition, Instant at) {
    int cap = shares.capOf(partition);
    return cap == Integer.MAX_VALUE ? cap : Math.max(0, cap - inFlightAt(partition, at));
  }

  /**
   * Grants for permits a step has left after its claims took less than granted (events that wait
   * for an earlier change of their key are counted due but not claimed): divided between the
   * partitions that may still have events, with no credit kept, since they are a loan of what the
   * others could not use.
   *
   * @param stillDue events each partition may still have due
   * @param claimedNow events of each partition this step claimed already (not yet in flight here)
   */
  public synchronized FairShare.Allocation lend(
      int permits, Map<String, Integer> stillDue, Map<String, Integer> claimedNow, Instant at) {
    List<PartitionDemand> demands = new ArrayList<>(stillDue.size());
    stillDue.forEach(
        (p, n) ->
            demands.add(
                new PartitionDemand(p, n, inFlightAt(p, at) + claimedNow.getOrDefault(p, 0))));
    return FairShare.allocate(permits, demands, shares, FairShare.Credit.NONE);
  }

  @Override
  public void released(List<Job> jobs, Instant at, Duration heldByGate) {
    List<String> parts = new ArrayList<>(jobs.size());
    for (Job j : jobs) {
      parts.add(partitionOf(j));
    }
    synchronized (this) {
      forgetOlderThanAMinute(at);
      for (int i = 0; i < parts.size(); i++) {
        String p = parts.get(i);
        inFlight.merge(p, 1, Integer::sum);
        // Counted at the instant the gate granted it, which may be just after the claim.
        recent
            .computeIfAbsent(p, k -> new ReleaseCounts())
            .add(jobs.get(i).releasedAt().getEpochSecond());
      }
    }
  }

  /** The second up to which release counts were last dropped. */
  private long forgottenUpTo = Long.MIN_VALUE;

  /**
   * Drops release counts older than a minute before {@code now}, once a second at most, so a
   * partition that stops being busy leaves no trace, whether or not anyone looks.
   */
  private void forgetOlderThanAMinute(Instant now) {
    long fromSecond = now.minus(RECENT).getEpochSecond();
    if (fromSecond <= forgottenUpTo) {
      return;
    }
    forgottenUpTo = fromSecond;
    recent.values().forEach(c -> c.dropBefore(fromSecond));
    recent.values().removeIf(ReleaseCounts::isEmpty);
  }

  @Override
  public void settled(List<Settlement> settlements, Instant at) {
    List<String> closed = new ArrayList<>();
    for (Settlement s : settlements) {
      if (s.closesRelease()) {
        closed.add(partitionOf(s.job()));
      }
    }
    synchronized (this) {
      for (String p : closed) {
        inFlight.computeIfPresent(p, (k, n) -> n > 1 ? n - 1 : null);
      }
    }
  }

  /** Events of {@code partition} this node released and has not settled. */
  public synchronized int inFlight(String partition) {
    return inFlight.getOrDefault(partition, 0);
  }

  /**
   * What an operator sees at {@code now}, with the due events of the last step that found work: see
   * {@link #view(Instant, int, Map)}.
   */
  public synchronized List<View> view(Instant now, int most) {
    return view(now, most, lastStep.due());
  }

  /**
   * What an operator sees at {@code now}: every partition with due events in {@code due}, with
   * events in flight, released within the last minute, or named in the weights or caps; at most
   * {@code most}, the busiest (most due, then most in flight) first and then by name.
   *
   * @param due each busy partition's due events, as the caller counted them (shares are worked out
   *     over these partitions)
   */
  public synchronized List<View> view(Instant now, int most, Map<String, Integer> due) {
    long fromSecond = now.minus(RECENT).getEpochSecond();
    recent.values().forEach(c -> c.dropBefore(fromSecond));
    recent.values().removeIf(ReleaseCounts::isEmpty);
    Set<String> names = new TreeSet<>();
    names.addAll(due.keySet());
    names.addAll(inFlight.keySet());
    names.addAll(heldCounts.keySet());
    names.addAll(recent.keySet());
    names.addAll(shares.weights().keySet());
    names.addAll(shares.caps().keySet());
    long busyWeight = 0;
    for (String p : due.keySet()) {
      busyWeight += shares.weightOf(p);
    }
    List<View> out = new ArrayList<>();
    for (String p : names) {
      int dueNow = due.getOrDefault(p, 0);
      int weight = shares.weightOf(p);
      int cap = shares.capOf(p);
      ReleaseCounts counts = recent.get(p);
      out.add(
          new View(
              p,
              weight,
              cap == Integer.MAX_VALUE ? null : cap,
              dueNow,
              inFlightAt(p, now),
              counts == null ? 0 : counts.total(),
              lastStep.allocation() == null ? 0 : lastStep.allocation().of(p),
              dueNow > 0 && busyWeight > 0 ? (double) weight / busyWeight : 0.0));
    }
    out.sort(
        Comparator.comparingInt((View v) -> -v.due())
            .thenComparingInt(v -> -v.inFlight())
            .thenComparing(View::partition));
    return out.size() > most ? List.copyOf(out.subList(0, most)) : List.copyOf(out);
  }

  /** When the last step that found work ran. */
  public synchronized Instant lastStepAt() {
    return lastStep.at();
  }

  /** Releases per second over the last minute, oldest first. */
  private static final class ReleaseCounts {
    private final java.util.ArrayDeque<long[]> seconds = new java.util.ArrayDeque<>();
    private long total;

    void add(long second) {
      long[] last = seconds.peekLast();
      if (last != null && last[0] == second) {
        last[1]++;
      } else {
        seconds.addLast(new long[] {second, 1});
      }
      total++;
    }

    void dropBefore(long second) {
      for (long[] first; (first = seconds.peekFirst()) != null && first[0] < second; ) {
        seconds.pollFirst();
        total -= first[1];
      }
    }

    boolean isEmpty() {
      return seconds.isEmpty();
    }

    long total() {
      return total;
    }
  }
}
