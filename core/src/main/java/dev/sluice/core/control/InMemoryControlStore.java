package dev.sluice.core.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A {@link ControlStore} that lives as long as the process: for tests and embedded use. */
public final class InMemoryControlStore implements ControlStore {
  private final List<AuditEntry> entries = new ArrayList<>();
  private boolean paused;
  private final java.util.Map<String, String> settings = new java.util.HashMap<>();

  @Override
  public synchronized java.util.Optional<String> setting(String name) {
    return java.util.Optional.ofNullable(settings.get(name));
  }

  @Override
  public synchronized AuditEntry recordSetting(String name, String value, AuditEntry entry) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    AuditEntry stored = record(entry);
    settings.put(name, value);
    return stored;
  }

  @Override
  public synchronized boolean paused() {
    return paused;
  }

  @Override
  public synchronized AuditEntry record(AuditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    AuditEntry stored = entry.withId(entries.size() + 1L);
    entries.add(stored);
    return stored;
  }

  @Override
  public synchronized AuditEntry recordPause(boolean nowPaused, AuditEntry entry) {
    AuditEntry stored = record(entry);
    paused = nowPaused;
    return stored;
  }

  @Override
  public synchronized List<AuditEntry> audit(long beforeId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    List<AuditEntry> page = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0 && page.size() < limit; i--) {
      AuditEntry e = entries.get(i);
      if (beforeId == 0 || e.id() < beforeId) {
        page.add(e);
      }
    }
    return page;
  }
}
