package dev.sluice.core.gate.stored;

/**
 * A store that lets another writer act between a caller's load and its replace: the interleaving
 * two processes can produce, forced deterministically.
 */
final class InterleavingStore<S> implements LimitStateStore<S> {
  private final LimitStateStore<S> delegate;
  private Runnable beforeReplace;
  private boolean everyTime;
  private int refused;

  InterleavingStore(LimitStateStore<S> delegate) {
    this.delegate = delegate;
  }

  void beforeNextReplace(Runnable action) {
    beforeReplace = action;
    everyTime = false;
  }

  void beforeEveryReplace(Runnable action) {
    beforeReplace = action;
    everyTime = true;
  }

  int replacesRefused() {
    return refused;
  }

  @Override
  public Versioned<S> load(String key) {
    return delegate.load(key);
  }

  @Override
  public boolean replace(String key, long expectedVersion, S newState) {
    Runnable action = beforeReplace;
    if (action != null) {
      if (!everyTime) {
        beforeReplace = null;
      }
      action.run();
    }
    boolean replaced = delegate.replace(key, expectedVersion, newState);
    if (!replaced) {
      refused++;
    }
    return replaced;
  }
}
