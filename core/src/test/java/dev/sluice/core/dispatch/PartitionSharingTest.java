package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.partition.FairShare;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionSharingTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private static Job job(long id, String key, Instant at) {
    return new Job(id, id, 1, at, ObjectEvent.created("b", key, "test"));
  }

  @Test
  void cap_countsReleasesUntilTheirSettlementClosesThem() {
    PartitionSharing sharing =
        new PartitionSharing(
            PartitionRule.prefix(1), PartitionShares.EQUAL.withCaps(Map.of("a/", 3)));
    Job a1 = job(1, "a/1", T0);
    Job a2 = job(2, "a/2", T0);
    Job b1 = job(3, "b/1", T0);
    sharing.released(List.of(a1, a2, b1), T0, Duration.ZERO);
    assertThat(sharing.inFlight("a/")).isEqualTo(2);

    FairShare.Allocation step = sharing.allocate(10, Map.of("a/", 50, "b/", 50), T0);
    assertThat(step.of("a/")).isEqualTo(1); // cap 3, 2 in flight
    assertThat(step.of("b/")).isEqualTo(9);

    // A started job keeps its slot; its end (done) frees it.
    sharing.settled(List.of(Settlement.started(a1, T0.plusSeconds(60))), T0);
    assertThat(sharing.inFlight("a/")).isEqualTo(2);
    sharing.settled(List.of(Settlement.done(a1), Settlement.done(a2)), T0);
    assertThat(sharing.inFlight("a/")).isZero();
    assertThat(sharing.allocate(10, Map.of("a/", 50, "b/", 50), T0).of("a/")).isEqualTo(3);
  }

  @Test
  void view_showsBusyPartitionsWithTheirCountsAndShares() {
    PartitionSharing sharing =
        new PartitionSharing(
            PartitionRule.prefix(1),
            PartitionShares.EQUAL.withWeights(Map.of("a/", 3, "idle/", 5)));
    sharing.allocate(8, Map.of("a/", 100, "b/", 100), T0);
    sharing.released(
        List.of(job(1, "a/1", T0), job(2, "a/2", T0.plusSeconds(30)), job(3, "b/1", T0)),
        T0,
        Duration.ZERO);

    List<PartitionSharing.View> views = sharing.view(T0.plusSeconds(61), 10);
    assertThat(views)
        .extracting(PartitionSharing.View::partition)
        .containsExactly("a/", "b/", "idle/");
    PartitionSharing.View a = views.get(0);
    assertThat(a.weight()).isEqualTo(3);
    assertThat(a.due()).isEqualTo(100);
    assertThat(a.inFlight()).isEqualTo(2);
    assertThat(a.releasedLastMinute()).isEqualTo(1); // the one at T0 is out of the minute
    assertThat(a.lastGranted()).isEqualTo(6);
    assertThat(a.share()).isEqualTo(0.75);
    assertThat(views.get(2).share()).isZero();

    assertThat(sharing.view(T0.plusSeconds(61), 1)).hasSize(1);
  }
}
