package dev.sluice.store.sqlite;

/**
 * The {@code events.state} codes. The SQL spells them as literals, because a partial index is used
 * only when the query repeats its {@code WHERE} term exactly.
 */
final class EventState {
  static final int WAITING = 0;
  static final int LEASED = 1;
  static final int DONE = 2;
  static final int DEAD = 3;

  private EventState() {}
}
