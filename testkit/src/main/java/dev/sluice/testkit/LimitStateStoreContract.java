package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.LimitStateStore;
import dev.sluice.core.gate.stored.TickUsage;
import dev.sluice.core.gate.stored.Versioned;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LimitStateStore} must have, for the two states the stored limits keep
 * (a tick's usage, the in-flight slots). An implementation's test extends this class; each test
 * uses keys of its own, so one store may serve them all.
 */
public abstract class LimitStateStoreContract {

  /** A store of tick usages whose empty state is {@link TickUsage#NONE}. */
  protected abstract LimitStateStore<TickUsage> tickStore();

  /** A store of in-flight slots whose empty state is {@link InFlightSlots#NONE}. */
  protected abstract LimitStateStore<InFlightSlots> inFlightStore();

  /** A key no other test uses, shaped as the stored limits shape their keys. */
  protected String tickKey() {
    return "tick#"
        + (1_800_000_000L
            + Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 1_000_000_000L));
  }

  protected String inFlightKey() {
    return "inflight-" + UUID.randomUUID();
  }

  @Test
  void load_whenNeverWritten_isEmptyAtVersionZero() {
    assertThat(tickStore().load(tickKey())).isEqualTo(Versioned.absent(TickUsage.NONE));
    assertThat(inFlightStore().load(inFlightKey())).isEqualTo(Versioned.absent(InFlightSlots.NONE));
  }

  @Test
  void replace_fromVersionZero_createsVersionOne() {
    String key = tickKey();

    assertThat(tickStore().replace(key, 0, new TickUsage(7))).isTrue();

    assertThat(tickStore().load(key)).isEqualTo(new Versioned<>(new TickUsage(7), 1));
  }

  @Test
  void replace_withTheCurrentVersion_writesAndCountsUp() {
    String key = tickKey();
    tickStore().replace(key, 0, new TickUsage(1));

    assertThat(tickStore().replace(key, 1, new TickUsage(2))).isTrue();
    assertThat(tickStore().replace(key, 2, new TickUsage(3))).isTrue();

    assertThat(tickStore().load(key)).isEqualTo(new Versioned<>(new TickUsage(3), 3));
  }

  @Test
  void replace_withAStaleVersion_refusesAndKeepsTheState() {
    String key = tickKey();
    tickStore().replace(key, 0, new TickUsage(1));
    tickStore().replace(key, 1, new TickUsage(2));

    assertThat(tickStore().replace(key, 1, new TickUsage(99))).isFalse();
    assertThat(tickStore().replace(key, 0, new TickUsage(99))).isFalse();
    assertThat(tickStore().replace(key, 3, new TickUsage(99))).isFalse();

    assertThat(tickStore().load(key)).isEqualTo(new Versioned<>(new TickUsage(2), 2));
  }

  @Test
  void replace_whenAbsentButAVersionIsExpected_refuses() {
    String key = tickKey();

    assertThat(tickStore().replace(key, 1, new TickUsage(1))).isFalse();

    assertThat(tickStore().load(key).isAbsent()).isTrue();
  }

  @Test
  void replace_ofTwoWritersOnOneVersion_letsExactlyOneWin() {
    String key = tickKey();
    Versioned<TickUsage> seenByBoth = tickStore().load(key);

    boolean first = tickStore().replace(key, seenByBoth.version(), new TickUsage(10));
    boolean second = tickStore().replace(key, seenByBoth.version(), new TickUsage(20));

    assertThat(List.of(first, second)).containsExactly(true, false);
    assertThat(tickStore().load(key).state()).isEqualTo(new TickUsage(10));
  }

  @Test
  void inFlightSlots_roundTripNamesAndMillisecondTimes() {
    String key = inFlightKey();
    Instant at = Instant.parse("2026-03-01T12:00:00.123Z");
    InFlightSlots slots =
        new InFlightSlots(
            Map.of(
                "my_file.parquet-0123456789abcdef0123456789abcdef01234567-1",
                at,
                "b-ffffffffffffffffffffffffffffffffffffffff-9999",
                at.plusMillis(1)));

    assertThat(inFlightStore().replace(key, 0, slots)).isTrue();
    assertThat(inFlightStore().load(key)).isEqualTo(new Versioned<>(slots, 1));

    assertThat(inFlightStore().replace(key, 1, InFlightSlots.NONE)).isTrue();
    assertThat(inFlightStore().load(key)).isEqualTo(new Versioned<>(InFlightSlots.NONE, 2));
  }

  @Test
  void keys_areIndependent() {
    String a = tickKey();
    String b = tickKey();
    tickStore().replace(a, 0, new TickUsage(5));

    assertThat(tickStore().load(b).isAbsent()).isTrue();
    assertThat(tickStore().replace(b, 0, new TickUsage(6))).isTrue();
    assertThat(tickStore().load(a).state()).isEqualTo(new TickUsage(5));
  }
}
