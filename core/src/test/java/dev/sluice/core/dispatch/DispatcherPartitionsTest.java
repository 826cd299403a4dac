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
}
