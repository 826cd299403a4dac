package dev.sluice.store.sqlite;

import dev.sluice.core.Sequencers;

/** {@link Sequencers#sortKey} as an SQL expression, so changes are ordered inside a query. */
final class SequencerOrder {

  /** The whitespace {@link String#strip()} removes from a sequencer, as far as S3 senders go. */
  private static final String WHITESPACE = "' ' || char(9, 10, 11, 12, 13)";

  private static final String ZEROS = "0".repeat(Sequencers.SORT_WIDTH);

  private SequencerOrder() {}

  /** True where {@code column} holds a sequencer that orders (neither null nor blank). */
  static String ordered(String column) {
    return "coalesce(trim(" + column + ", " + WHITESPACE + "), '') <> ''";
  }

  /**
   * The sort key of the sequencer in {@code column}: stripped, uppercased, right-padded with zeros
   * to {@link Sequencers#SORT_WIDTH}. Meaningful where {@link #ordered} holds.
   */
  static String sortKey(String column) {
    String stripped = "trim(" + column + ", " + WHITESPACE + ")";
    return "(upper("
        + stripped
        + ") || substr('"
        + ZEROS
        + "', 1, max(0, "
        + Sequencers.SORT_WIDTH
        + " - length("
        + stripped
        + "))))";
  }
}
