package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.control.AuditEntry;
import dev.sluice.core.control.ControlStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ControlStore} keeps: the pause flag and the audit trail, newest first. A
 * subclass provides {@link #newStore()}; a durable store also overrides {@link #reopen()} so the
 * persistence tests run.
 */
public abstract class ControlStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  /** A fresh, empty store. */
  protected abstract ControlStore newStore();

  /**
   * The same store as a restarted process opens it. The default skips the persistence tests: a
   * store that is not durable has nothing to reopen.
   */
  protected ControlStore reopen() {
    Assumptions.abort("this control store is not durable; persistence tests do not apply");
    return null;
  }

  private static AuditEntry entry(int second, String action, String before, String after) {
    return AuditEntry.of(T0.plusSeconds(second), action, "cli", "10.0.0.7", before, after);
  }

  @Test
  void paused_whenNothingRecorded_isFalseAndTheTrailEmpty() {
    ControlStore store = newStore();

    assertThat(store.paused()).isFalse();
    assertThat(store.audit(0, 10)).isEmpty();
  }

  @Test
  void recordPause_setsTheFlagAndRecordsTheEntryWithEveryField() {
    ControlStore store = newStore();

    AuditEntry stored =
        store.recordPause(true, entry(1, "pause", "{\"paused\":false}", "{\"paused\":true}"));

    assertThat(store.paused()).isTrue();
    assertThat(stored.id()).isPositive();
    assertThat(store.audit(0, 10))
        .containsExactly(
            new AuditEntry(
                stored.id(),
                T0.plusSeconds(1),
                "pause",
                "cli",
                "10.0.0.7",
                "{\"paused\":false}",
                "{\"paused\":true}"));
    store.recordPause(false, entry(2, "resume", null, null));
    assertThat(store.paused()).isFalse();
  }

  @Test
  void record_leavesThePauseFlagAlone() {
    ControlStore store = newStore();
    store.recordPause(true, entry(1, "pause", null, null));

    store.record(entry(2, "limits", "{}", "{}"));

    assertThat(store.paused()).isTrue();
  }

  @Test
  void audit_whenPaged_walksBackwardsWithoutRepeatsOrGaps() {
    ControlStore store = newStore();
    for (int i = 1; i <= 5; i++) {
      store.record(entry(i, "a" + i, null, null));
    }

    List<AuditEntry> first = store.audit(0, 2);
    List<AuditEntry> second = store.audit(first.get(1).id(), 2);
    List<AuditEntry> third = store.audit(second.get(1).id(), 2);

    assertThat(first).extracting(AuditEntry::action).containsExactly("a5", "a4");
    assertThat(second).extracting(AuditEntry::action).containsExactly("a3", "a2");
    assertThat(third).extracting(AuditEntry::action).containsExactly("a1");
    assertThat(first.get(0).id()).isGreaterThan(first.get(1).id());
  }

  @Test
  void audit_whenLimitBelowOne_isRefused() {
    ControlStore store = newStore();

    assertThatThrownBy(() -> store.audit(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void setting_whenNeverRecorded_isEmpty() {
    assertThat(newStore().setting("limits")).isEmpty();
  }

  @Test
  void recordSetting_storesTheValueUnderItsName_replacesIt_andRecordsEachEntry() {
    ControlStore store = newStore();

    AuditEntry first =
        store.recordSetting(
            "limits", "{\"window\":1}", entry(1, "limits", "{\"window\":0}", "{\"window\":1}"));
    store.recordSetting(
        "limits", "{\"window\":2}", entry(2, "limits", "{\"window\":1}", "{\"window\":2}"));

    assertThat(store.setting("limits")).contains("{\"window\":2}");
    assertThat(store.setting("other")).isEmpty();
    assertThat(store.paused()).isFalse();
    assertThat(first.id()).isPositive();
    assertThat(store.audit(0, 10))
        .extracting(AuditEntry::action, AuditEntry::after)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("limits", "{\"window\":2}"),
            org.assertj.core.groups.Tuple.tuple("limits", "{\"window\":1}"));
  }

  @Test
  void reopen_keepsSettings() {
    ControlStore store = newStore();
    store.recordSetting("limits", "{\"rate\":5}", entry(1, "limits", null, "{\"rate\":5}"));

    assertThat(reopen().setting("limits")).contains("{\"rate\":5}");
  }

  @Test
  void reopen_keepsTheFlagAndTheTrail() {
    ControlStore store = newStore();
    store.recordPause(true, entry(1, "pause", null, "{\"paused\":true}"));
    store.record(entry(2, "limits", "{\"a\":1}", "{\"a\":2}"));

    ControlStore reopened = reopen();

    assertThat(reopened.paused()).isTrue();
    assertThat(reopened.audit(0, 10))
        .extracting(AuditEntry::action, AuditEntry::after)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("limits", "{\"a\":2}"),
            org.assertj.core.groups.Tuple.tuple("pause", "{\"paused\":true}"));
  }
}
