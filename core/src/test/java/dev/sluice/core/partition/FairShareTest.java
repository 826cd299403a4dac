package dev.sluice.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.partition.FairShare.Allocation;
import dev.sluice.core.partition.FairShare.Credit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FairShareTest {

  private static PartitionDemand busy(String p, int demand) {
    return new PartitionDemand(p, demand, 0);
  }

  private static Allocation once(int permits, PartitionShares shares, PartitionDemand... d) {
    return FairShare.allocate(permits, List.of(d), shares, Credit.NONE);
  }

  @Test
  void allocate_whenEqualWeights_splitsEvenly() {
    Allocation a = once(100, PartitionShares.EQUAL, busy("a/", 10_000), busy("b/", 10_000));
    assertThat(a.granted()).containsExactly(Map.entry("a/", 50), Map.entry("b/", 50));
  }

  @Test
  void allocate_whenOneWantsLess_lendsItsShareToTheOther() {
    Allocation a = once(100, PartitionShares.EQUAL, busy("a/", 10_000), busy("b/", 7));
    assertThat(a.of("b/")).isEqualTo(7);
    assertThat(a.of("a/")).isEqualTo(93);
  }

  @Test
  void allocate_whenLessIsDueThanPermits_grantsOnlyWhatIsDue() {
    Allocation a = once(100, PartitionShares.EQUAL, busy("a/", 30), busy("b/", 12));
    assertThat(a.granted()).containsExactly(Map.entry("a/", 30), Map.entry("b/", 12));
  }

  @Test
  void allocate_whenWeighted_threeToOne() {
    PartitionShares shares = PartitionShares.EQUAL.withWeights(Map.of("a/", 3));
    Allocation a = once(100, shares, busy("a/", 10_000), busy("b/", 10_000));
    assertThat(a.granted()).containsExactly(Map.entry("a/", 75), Map.entry("b/", 25));
  }

  @Test
  void allocate_waterFillsInRounds() {
    // 90 over three equal: c wants 10 (less than 30), the 80 left split 40/40 but b wants 25,
    // so a takes 55.
    Allocation a =
        once(90, PartitionShares.EQUAL, busy("a/", 1000), busy("b/", 25), busy("c/", 10));
    assertThat(a.granted())
        .containsExactly(Map.entry("a/", 55), Map.entry("b/", 25), Map.entry("c/", 10));
  }

  @Test
  void allocate_whenCapped_countsEventsInFlight() {
    PartitionShares shares = PartitionShares.EQUAL.withCaps(Map.of("a/", 20));
    Allocation a =
        FairShare.allocate(
            100,
            List.of(new PartitionDemand("a/", 1000, 15), busy("b/", 1000)),
            shares,
            Credit.NONE);
    assertThat(a.of("a/")).isEqualTo(5);
    assertThat(a.of("b/")).isEqualTo(95);
  }

  @Test
  void allocate_whenCapReached_grantsNothingAndLeavesPermitsUnused() {
    PartitionShares shares = PartitionShares.EQUAL.withCaps(Map.of("a/", 20));
    Allocation a =
        FairShare.allocate(100, List.of(new PartitionDemand("a/", 1000, 20)), shares, Credit.NONE);
    assertThat(a.total()).isZero();
    assertThat(a.granted()).isEmpty();
  }

  @Test
  void allocate_whenNothingBusy_grantsNothing() {
    assertThat(FairShare.allocate(100, List.of(), PartitionShares.EQUAL, Credit.NONE).total())
        .isZero();
    assertThat(once(0, PartitionShares.EQUAL, busy("a/", 5)).total()).isZero();
  }

  @Test
  void allocate_whenPartitionGivenTwice_refuses() {
    assertThatThrownBy(() -> once(10, PartitionShares.EQUAL, busy("a/", 1), busy("a/", 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a/'");
  }

  @Test
  void allocate_onePermitBetweenTwo_alternates() {
    Credit credit = Credit.NONE;
    List<String> served = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Allocation a =
          FairShare.allocate(
              1, List.of(busy("a/", 100), busy("b/", 100)), PartitionShares.EQUAL, credit);
      credit = a.credit();
      served.add(a.of("a/") == 1 ? "a" : "b");
    }
    assertThat(served).containsExactly("a", "b", "a", "b", "a", "b");
  }

  @Test
  void allocate_smallWeightAmongLargeOnes_isServedWithinItsBound() {
    // weight 1 among two of weight 100, 10 permits a step: owed 10/201 a step, so its first
    // event comes by step ceil(201/10) = 21.
    PartitionShares shares = PartitionShares.EQUAL.withWeights(Map.of("big1/", 100, "big2/", 100));
    Credit credit = Credit.NONE;
    int firstServed = -1;
    int servedSmall = 0;
    for (int step = 1; step <= 2010; step++) {
      Allocation a =
          FairShare.allocate(
              10,
              List.of(busy("big1/", 1000), busy("big2/", 1000), busy("small/", 1000)),
              shares,
              credit);
      credit = a.credit();
      servedSmall += a.of("small/");
      if (firstServed < 0 && a.of("small/") > 0) {
        firstServed = step;
      }
    }
    assertThat(firstServed).isBetween(1, 21);
    // 2010 steps of 10 = 20,100 events, of which 1/201 is 100.
    assertThat(servedSmall).isBetween(98, 102);
  }

  @Test
  void credit_ofAPartitionNoLongerBusy_isDropped() {
    Allocation first =
        FairShare.allocate(
            1, List.of(busy("a/", 5), busy("b/", 5)), PartitionShares.EQUAL, Credit.NONE);
    String owed = first.of("a/") == 1 ? "b/" : "a/";
    assertThat(first.credit().of(owed)).isPositive();
    Allocation next =
        FairShare.allocate(1, List.of(busy("c/", 5)), PartitionShares.EQUAL, first.credit());
    assertThat(next.credit().owed()).doesNotContainKey(owed);
  }

  /** Random steps: every invariant of one step, and each partition's long-run share. */
  @Test
  void allocate_randomSteps_keepEveryInvariant() {
    Random random = new Random(20261202L);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(8);
      Map<String, Integer> weights = new HashMap<>();
      Map<String, Integer> caps = new HashMap<>();
      for (int i = 0; i < n; i++) {
        weights.put("p" + i + "/", 1 + random.nextInt(random.nextBoolean() ? 5 : 200));
        if (random.nextInt(4) == 0) {
          caps.put("p" + i + "/", 1 + random.nextInt(50));
        }
      }
      PartitionShares shares = new PartitionShares(weights, caps, 1);
      Credit credit = Credit.NONE;
      for (int step = 0; step < 50; step++) {
        int permits = random.nextInt(300);
        List<PartitionDemand> demands = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (random.nextInt(5) > 0) {
            demands.add(
                new PartitionDemand(
                    "p" + i + "/",
                    random.nextInt(random.nextBoolean() ? 10 : 500),
                    random.nextInt(60)));
          }
        }
        Allocation a = FairShare.allocate(permits, demands, shares, credit);
        checkStep(permits, demands, shares, a);
        credit = a.credit();
        a.credit().owed().values().forEach(c -> assertThat(c).isBetween(-1.0, 1.0));
      }
    }
  }

  private static void checkStep(
      int permits, List<PartitionDemand> demands, PartitionShares shares, Allocation a) {
    long usable = 0;
    for (PartitionDemand d : demands) {
      int room =
          (int)
              Math.max(0, Math.min(d.demand(), (long) shares.capOf(d.partition()) - d.inFlight()));
      usable += room;
      int got = a.of(d.partition());
      assertThat(got).as("within demand").isBetween(0, d.demand());
      assertThat((long) got + d.inFlight())
          .as("within cap")
          .isLessThanOrEqualTo(Math.max(shares.capOf(d.partition()), d.inFlight()));
    }
    assertThat(a.total()).as("within permits").isLessThanOrEqualTo(permits);
    // Work-conserving: every permit used unless the usable demand (caps included) runs out.
    assertThat(a.total()).as("work-conserving").isEqualTo((int) Math.min(permits, usable));
  }

  /** Always busy, random weights: each partition's releases stay within 2 of its exact share. */
  @Test
  void allocate_overManySteps_convergesToWeightShares() {
    Random random = new Random(7L);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + random.nextInt(6);
      Map<String, Integer> weights = new HashMap<>();
      long totalWeight = 0;
      for (int i = 0; i < n; i++) {
        int w = 1 + random.nextInt(100);
        weights.put("p" + i + "/", w);
        totalWeight += w;
      }
      PartitionShares shares = new PartitionShares(weights, Map.of(), 1);
      Credit credit = Credit.NONE;
      Map<String, Long> served = new HashMap<>();
      long permitsSoFar = 0;
      for (int step = 0; step < 500; step++) {
        int permits = 1 + random.nextInt(40);
        permitsSoFar += permits;
        List<PartitionDemand> demands = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          demands.add(busy("p" + i + "/", 10_000));
        }
        Allocation a = FairShare.allocate(permits, demands, shares, credit);
        credit = a.credit();
        a.granted().forEach((p, g) -> served.merge(p, (long) g, Long::sum));
        for (int i = 0; i < n; i++) {
          String p = "p" + i + "/";
          double exact = (double) permitsSoFar * weights.get(p) / totalWeight;
          assertThat((double) served.getOrDefault(p, 0L))
              .as("partition %s after step %d", p, step)
              .isBetween(exact - 2, exact + 2);
        }
      }
    }
  }

  @Test
  void allocate_isDeterministic() {
    List<PartitionDemand> d =
        List.of(busy("c/", 40), busy("a/", 1000), busy("b/", 3), busy("d/", 999));
    PartitionShares shares = PartitionShares.EQUAL.withWeights(Map.of("a/", 7, "d/", 2));
    Allocation one = FairShare.allocate(77, d, shares, Credit.NONE);
    Allocation two =
        FairShare.allocate(
            77, List.of(d.get(3), d.get(1), d.get(0), d.get(2)), shares, Credit.NONE);
    assertThat(two).isEqualTo(one);
  }

  @Test
  void shares_refuseBadValuesByName() {
    assertThatThrownBy(() -> PartitionShares.EQUAL.withWeights(Map.of("a/", 0)))
        .hasMessage("partitions.weights.'a/' must be between 1 and 1000000, got 0");
    assertThatThrownBy(() -> PartitionShares.EQUAL.withCaps(Map.of("b/", -1)))
        .hasMessage("partitions.caps.'b/' must be >= 1, got -1");
    assertThatThrownBy(() -> PartitionShares.EQUAL.withDefaultWeight(0))
        .hasMessageContaining("partitions.default-weight");
  }
}
