package dev.sluice.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairShareOrderTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  private static PartitionDue due(String p, int n) {
    return new PartitionDue(p, n, T0);
  }

  private static PartitionShares weights(Map<String, Integer> w) {
    return new PartitionShares(w, Map.of(), 1);
  }

  @Test
  void position_whenEqualWeights_aSmallPartitionsFirstEventIsReachedAlmostAtOnce() {
    List<PartitionDue> d = List.of(due("a/", 10_000), due("b/", 100));

    // b/'s first: one of a/'s goes beside it
    assertThat(FairShareOrder.position("b/", 0, d, PartitionShares.EQUAL)).isEqualTo(1);
    // b/'s last (99 ahead): 100 of a/'s beside b/'s 100
    assertThat(FairShareOrder.position("b/", 99, d, PartitionShares.EQUAL)).isEqualTo(199);
    // a/'s last: everything else first, b/'s 100 included
    assertThat(FairShareOrder.position("a/", 9_999, d, PartitionShares.EQUAL)).isEqualTo(10_099);
    // a/'s 50th: 50 of b/'s beside
    assertThat(FairShareOrder.position("a/", 49, d, PartitionShares.EQUAL)).isEqualTo(99);
  }

  @Test
  void position_whenWeights3To1_theHeavierIsServedThreeForOne() {
    PartitionShares shares = weights(Map.of("a/", 3));
    List<PartitionDue> d = List.of(due("a/", 1_000), due("b/", 1_000));

    // b/'s 10th: a/ has had 30 by then
    assertThat(FairShareOrder.position("b/", 9, d, shares)).isEqualTo(39);
    // a/'s 30th: b/ has had 10
    assertThat(FairShareOrder.position("a/", 29, d, shares)).isEqualTo(39);
    // a/'s first: a third of b/'s first, rounded down
    assertThat(FairShareOrder.position("a/", 0, d, shares)).isZero();
    // b/'s first: three of a/'s
    assertThat(FairShareOrder.position("b/", 0, d, shares)).isEqualTo(3);
  }

  @Test
  void position_whenASmallPartitionEmpties_itCountsOnlyWhatItHas() {
    List<PartitionDue> d = List.of(due("a/", 1_000), due("b/", 1_000), due("c/", 5));

    // a/'s 100th: b/ has had 100, c/ all its 5
    assertThat(FairShareOrder.position("a/", 99, d, PartitionShares.EQUAL)).isEqualTo(204);
    // a/'s 3rd: c/ still has some, so it has had 3 too
    assertThat(FairShareOrder.position("a/", 2, d, PartitionShares.EQUAL)).isEqualTo(8);
  }

  @Test
  void position_whenOnePartitionIsBusy_isTheOldestFirstAnswer() {
    assertThat(FairShareOrder.position("a/", 42, List.of(due("a/", 500)), PartitionShares.EQUAL))
        .isEqualTo(42);
    assertThat(FairShareOrder.position("a/", 42, List.of(), PartitionShares.EQUAL)).isEqualTo(42);
  }

  @Test
  void position_sumsTheFractionsBeforeRoundingDown() {
    // a/ weighs 3: at its 2nd event, b/ and c/ have had 2/3 each, 4/3 together
    PartitionShares shares = weights(Map.of("a/", 3));
    List<PartitionDue> d = List.of(due("a/", 100), due("b/", 100), due("c/", 100));

    assertThat(FairShareOrder.position("a/", 1, d, shares)).isEqualTo(2);
    assertThat(FairShareOrder.position("a/", 0, d, shares)).isEqualTo(0);
  }

  @Test
  void position_whenAheadIsNegative_isRefused() {
    assertThatThrownBy(() -> FairShareOrder.position("a/", -1, List.of(), PartitionShares.EQUAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aheadInPartition must be >= 0, got -1");
  }

  @Test
  void position_withTheLargestWeightsAndCounts_doesNotOverflow() {
    PartitionShares shares = weights(Map.of("b/", PartitionShares.MAX_WEIGHT));
    List<PartitionDue> d = List.of(due("b/", Integer.MAX_VALUE), due("c/", Integer.MAX_VALUE));

    assertThat(FairShareOrder.position("a/", 4_000_000_000L, d, shares))
        .isEqualTo(4_000_000_000L + Integer.MAX_VALUE + Integer.MAX_VALUE);
  }

  @Test
  void countUpTo_isWhatTheHeaviestPartitionIsServedBeforeTheEvent() {
    assertThat(FairShareOrder.countUpTo("a/", 9, PartitionShares.EQUAL)).isEqualTo(10);
    PartitionShares shares = new PartitionShares(Map.of("a/", 3, "b/", 2), Map.of(), 1);
    assertThat(FairShareOrder.countUpTo("c/", 9, shares)).isEqualTo(30);
    assertThat(FairShareOrder.countUpTo("a/", 9, shares)).isEqualTo(10);
    assertThat(FairShareOrder.countUpTo("b/", 0, shares)).isEqualTo(2); // 3/2 rounded up
    assertThat(FairShareOrder.countUpTo("c/", 3_000_000_000L, shares)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void countUpTo_amongTheBusy_takesTheLargestWeightOfThoseOnly() {
    PartitionShares shares = new PartitionShares(Map.of("vip/", 1_000, "a/", 3), Map.of(), 1);

    assertThat(FairShareOrder.countUpTo("b/", 9, shares)).isEqualTo(10_000);
    assertThat(FairShareOrder.countUpTo("b/", 9, shares, List.of(due("a/", 1), due("b/", 1))))
        .isEqualTo(30);
    assertThat(FairShareOrder.countUpTo("b/", 9, shares, List.of(due("b/", 1)))).isEqualTo(10);
    assertThat(FairShareOrder.countUpTo("b/", 9, shares, List.of())).isEqualTo(10);
  }

  /**
   * Against the allocator itself: steps of 7 permits over partitions of weights 1, 2 and 3, one of
   * which empties early. The (k+1)-th release of each partition happens in the step whose permits
   * cover its forecast position, give or take the rounding the allocator carries as credit.
   */
  @Test
  void position_agreesWithTheStepsFairShareTakes() {
    PartitionShares shares = weights(Map.of("b/", 2, "c/", 3));
    Map<String, Integer> initial = new LinkedHashMap<>();
    initial.put("a/", 60);
    initial.put("b/", 15);
    initial.put("c/", 90);
    List<PartitionDue> start = new ArrayList<>();
    initial.forEach((p, n) -> start.add(due(p, n)));
    // for each partition, the permits granted before and through the step of each release
    Map<String, List<long[]>> steps = new LinkedHashMap<>();
    Map<String, Integer> left = new LinkedHashMap<>(initial);
    FairShare.Credit credit = FairShare.Credit.NONE;
    long before = 0;
    while (left.values().stream().anyMatch(n -> n > 0)) {
      List<PartitionDemand> demands = new ArrayList<>();
      left.forEach(
          (p, n) -> {
            if (n > 0) {
              demands.add(new PartitionDemand(p, n, 0));
            }
          });
      FairShare.Allocation a = FairShare.allocate(7, demands, shares, credit);
      credit = a.credit();
      long through = before + a.total();
      for (Map.Entry<String, Integer> g : a.granted().entrySet()) {
        for (int i = 0; i < g.getValue(); i++) {
          steps
              .computeIfAbsent(g.getKey(), k -> new ArrayList<>())
              .add(new long[] {before, through});
        }
        left.merge(g.getKey(), -g.getValue(), Integer::sum);
      }
      before = through;
    }
    int checked = 0;
    for (Map.Entry<String, List<long[]>> e : steps.entrySet()) {
      List<long[]> releases = e.getValue();
      assertThat(releases).hasSize(initial.get(e.getKey()));
      for (int k = 0; k < releases.size(); k++) {
        long position = FairShareOrder.position(e.getKey(), k, start, shares);
        long[] step = releases.get(k);
        // two releases of rounding per partition, three partitions
        assertThat(position)
            .as("%s's release %d, released in permits [%d, %d)", e.getKey(), k, step[0], step[1])
            .isBetween(step[0] - 6, step[1] - 1 + 6);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(165);
  }
}
