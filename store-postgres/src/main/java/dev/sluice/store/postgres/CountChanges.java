package dev.sluice.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one transaction changes in the counts, written as its last statement to one of the count
 * slots. Last, so a transaction holds a slot's row lock only while it commits and never waits for
 * another lock while holding one: no deadlock can run through the counts.
 */
final class CountChanges {
  /** As many slots as V1__backlog.sql inserts. */
  static final int SLOTS = 16;

  private static final String ADD =
      "UPDATE counts SET waiting = waiting + ?, leased = leased + ?, done = done + ?,"
          + " dead = dead + ?, releases = releases + ? WHERE slot = ?";

  long waiting;
  long leased;
  long done;
  long dead;
  long releases;

  void write(Connection c) throws SQLException {
    if (waiting == 0 && leased == 0 && done == 0 && dead == 0 && releases == 0) {
      return;
    }
    try (PreparedStatement add = c.prepareStatement(ADD)) {
      add.setLong(1, waiting);
      add.setLong(2, leased);
      add.setLong(3, done);
      add.setLong(4, dead);
      add.setLong(5, releases);
      add.setInt(6, ThreadLocalRandom.current().nextInt(SLOTS));
      add.executeUpdate();
    }
  }
}
