package dev.sluice.store.postgres;

/**
 * The {@code events.state} codes. The SQL spells them as literals, because a partial index is used
 * only when the query's {@code WHERE} implies the index's predicate.
 */
final class EventState {
  static final int WAITING = 0;
  static final int LEASED = 1;
  static final int DONE = 2;
  static final int DEAD = 3;

  /** A dead letter an operator purged: never released, still known by identity. */
  static final int PURGED = 4;

  private EventState() {}
}
