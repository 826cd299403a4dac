package dev.sluice.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes this node when any node appends events to the shared backlog: an append notifies a channel
 * in its transaction ({@code NOTIFY}, delivered when it commits), and this listens on one
 * connection of its own. Without it, the node holding the gate would see events taken in by another
 * node only at its next idle poll. A lost connection is opened again after a pause; the idle poll
 * still covers the gap.
 */
public final class PostgresWakeups implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PostgresWakeups.class.getName());

  /** How long one wait for notifications lasts, so a close is seen within it. */
  private static final int WAIT_MILLIS = 500;

  /** The pause before listening again after the connection failed. */
  private static final long RETRY_MILLIS = 1_000;

  private final DataSource dataSource;
  private final Runnable wake;
  private final Thread thread;
  private volatile boolean running = true;

  private PostgresWakeups(DataSource dataSource, Runnable wake) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.wake = Objects.requireNonNull(wake, "wake");
    this.thread = new Thread(this::listen, "sluice-appended-listener");
    this.thread.setDaemon(true);
  }

  /**
   * Starts listening on a connection of {@code backlog}'s pool (held for as long as this runs) and
   * runs {@code wake} after every commit of appended events, by any node.
   */
  public static PostgresWakeups start(PostgresBacklog backlog, Runnable wake) {
    PostgresWakeups wakeups = new PostgresWakeups(backlog.dataSource(), wake);
    wakeups.thread.start();
    return wakeups;
  }

  private void listen() {
    boolean failedBefore = false;
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + PostgresBacklog.APPENDED_CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        failedBefore = false;
        while (running) {
          PGNotification[] notes = pg.getNotifications(WAIT_MILLIS);
          if (notes != null && notes.length > 0) {
            wake.run();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        if (!failedBefore) {
          LOG.log(
              System.Logger.Level.WARNING,
              "listening for appended events failed; retrying every second (the idle poll covers"
                  + " the gap)",
              e);
          failedBefore = true;
        }
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2 * (long) WAIT_MILLIS + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
