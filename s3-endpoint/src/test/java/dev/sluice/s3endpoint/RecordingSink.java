package dev.sluice.s3endpoint;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.BacklogUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A sink that keeps what it accepted in memory, and can be told to fail for some events. */
final class RecordingSink implements ObjectEventSink {
  private final List<ObjectEvent> accepted = new CopyOnWriteArrayList<>();
  private final List<List<ObjectEvent>> calls = new CopyOnWriteArrayList<>();
  private volatile Predicate<ObjectEvent> failWhen = e -> false;
  private volatile boolean full;

  @Override
  public void accept(List<ObjectEvent> events) {
    calls.add(List.copyOf(events));
    if (full) {
      // What the SQLite backlog throws when its disk (or store.max-size) is full.
      throw new BacklogUnavailableException("database or disk is full (test)", true, null);
    }
    for (ObjectEvent event : events) {
      if (failWhen.test(event)) {
        throw new IllegalStateException("backlog unavailable (test) for " + event.key());
      }
    }
    accepted.addAll(events);
  }

  void failWhen(Predicate<ObjectEvent> condition) {
    this.failWhen = condition;
  }

  /** While true, every call fails as a backlog on a full disk does. */
  void full(boolean full) {
    this.full = full;
  }

  /** Events the sink kept (calls that did not throw). */
  List<ObjectEvent> accepted() {
    return new ArrayList<>(accepted);
  }

  /** Every call, kept or not. */
  List<List<ObjectEvent>> calls() {
    return new ArrayList<>(calls);
  }
}
