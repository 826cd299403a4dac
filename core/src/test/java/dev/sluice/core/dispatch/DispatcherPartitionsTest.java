package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's release step over a partitioned backlog, in virtual time: permits a partition
 * cannot use in a step go to the others in the same step.
 */
class DispatcherPartitionsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog(PartitionRule.prefix(1));

  private Dispatcher dispatcher(int perSecond, PartitionShares shares, ScriptedTarget target) {
    Dispatcher d =
        new Dispatcher(
            backlog,
            target,
            new Gate(Limits.window(perSecond, Duration.ofSeconds(1))),
            time,
            DispatcherConfig.defaults().withLead(Duration.ZERO),
            Runnable::run,
            new Random(1));
    d.sharePartitions(new PartitionSharing(PartitionRule.prefix(1), shares));
    return d;
  }

  /** Three changes of one key: due, but only the first may start while it is open. */
  private void appendChangesOfOneKey() {
    List<ObjectEvent> changes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      changes.add(
          new ObjectEvent(
              "data", "a/same-key", 1L, "e" + i, null, "0" + i, "ObjectCreated:Put", null, "test"));
    }
    backlog.append(changes, time.now());
  }

  private void append(String prefix, int count) {
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(ObjectEvent.created("data", prefix + "/obj-" + i, "test"));
    }
    backlog.append(events, time.now());
  }

  @Test
  void step_whenAPartitionGivesLessThanGranted_lendsTheRestToTheOthers() {
    appendChangesOfOneKey();
    append("b", 10);
    ScriptedTarget target =
        new ScriptedTarget(j -> dev.sluice.core.Outcome.started("x", Duration.ofHours(1)));
    Dispatcher d = dispatcher(4, PartitionShares.EQUAL, target);

    // a/ is granted 2 of the 4 but may start one change only; b/ takes the permit a/ leaves.
    assertThat(d.tick()).isEqualTo(4);
    List<String> keys = target.received.stream().map(j -> j.event().key()).toList();
    assertThat(keys.stream().filter(k -> k.startsWith("a/"))).containsExactly("a/same-key");
    assertThat(keys.stream().filter(k -> k.startsWith("b/"))).hasSize(3);
  }

  @Test
  void step_keepsEachKeysOrderWithinAPartition() {
    appendChangesOfOneKey();
    ScriptedTarget target = ScriptedTarget.completing();
    Dispatcher d = dispatcher(10, PartitionShares.EQUAL, target);
    for (int i = 0; i < 5; i++) {
      d.tick();
    }
    assertThat(target.received.stream().map(Job::event).map(ObjectEvent::sequencer))
        .containsExactly("01", "02", "03");
  }

  @Test
  void step_withWeights_splitsOneStep() {
    append("a", 100);
    append("b", 100);
    append("c", 100);
    ScriptedTarget target = ScriptedTarget.completing();
    Dispatcher d =
        dispatcher(60, PartitionShares.EQUAL.withWeights(Map.of("a/", 4, "b/", 1)), target);
    assertThat(d.tick()).isEqualTo(60);
    Map<String, Long> byPartition =
        target.received.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    j -> j.event().key().substring(0, 2), java.util.stream.Collectors.counting()));
    assertThat(byPartition)
        .containsExactlyInAnyOrderEntriesOf(Map.of("a/", 40L, "b/", 10L, "c/", 10L));
  }

  /** What a node's gate keeper would say: the term it holds now, if any. */
  private static final class TermFence implements dev.sluice.core.cluster.GateFence {
    volatile dev.sluice.core.cluster.GateTerm term;

    @Override
    public java.util.Optional<dev.sluice.core.cluster.GateTerm> heldTerm() {
      return java.util.Optional.ofNullable(term);
    }
  }

  @Test
  void takeOver_countsThePreviousHoldersOpenReleasesUnderTheCaps() {
    append("a", 20);
    append("b", 20);
    PartitionShares capped = PartitionShares.EQUAL.withCaps(Map.of("a/", 3));
    // Every job is started work the target holds for an hour: it stays in flight.
    ScriptedTarget targetA =
        new ScriptedTarget(j -> dev.sluice.core.Outcome.started("x", Duration.ofHours(1)));
    ScriptedTarget targetB =
        new ScriptedTarget(j -> dev.sluice.core.Outcome.started("y", Duration.ofHours(1)));
    Dispatcher nodeA = dispatcher(10, capped, targetA);
    Dispatcher nodeB = dispatcher(10, capped, targetB);
    TermFence fenceA = new TermFence();
    TermFence fenceB = new TermFence();
    nodeA.shareGate(fenceA);
    nodeB.shareGate(fenceB);

    var termA = new dev.sluice.core.cluster.GateTerm(1, "a", time.now().plusSeconds(5));
    fenceA.term = termA;
    nodeA.takeOver(termA);
    assertThat(nodeA.tick()).isEqualTo(10);
    nodeA.applyOutcomes();
    assertThat(targetA.received.stream().filter(j -> j.event().key().startsWith("a/"))).hasSize(3);

    // a loses the gate; b takes it over two windows later: a's three of a/ are still at the
    // target, so b releases none of a/ and ten of b/.
    fenceA.term = null;
    nodeA.gateLost(termA);
    time.advance(Duration.ofSeconds(2));
    var termB = new dev.sluice.core.cluster.GateTerm(2, "b", time.now().plusSeconds(5));
    fenceB.term = termB;
    nodeB.takeOver(termB);
    assertThat(nodeB.tick()).isEqualTo(10);
    assertThat(targetB.received.stream().filter(j -> j.event().key().startsWith("a/"))).isEmpty();
    assertThat(nodeB.partitions().view(time.now(), 10).get(0).inFlight()).isGreaterThanOrEqualTo(3);
  }
}
