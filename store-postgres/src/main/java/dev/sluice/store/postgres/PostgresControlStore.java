package dev.sluice.store.postgres;

import dev.sluice.core.control.AuditEntry;
import dev.sluice.core.control.ControlStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link ControlStore} in the shared backlog's database ({@code control_settings} and {@code
 * audit}): every node sees the same pause flag and one audit trail. Reached through {@link
 * PostgresBacklog#controlStore()}, on the backlog's connections.
 */
public final class PostgresControlStore implements ControlStore {
  private static final String PAUSED = "paused";
  private static final String READ_SETTING = "SELECT value FROM control_settings WHERE name = ?";
  private static final String WRITE_SETTING =
      "INSERT INTO control_settings (name, value) VALUES (?, ?)"
          + " ON CONFLICT (name) DO UPDATE SET value = excluded.value";
  private static final String INSERT_AUDIT =
      "INSERT INTO audit (at, action, via, client, before_value, after_value)"
          + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
  private static final String AUDIT_NEWEST =
      "SELECT id, at, action, via, client, before_value, after_value FROM audit"
          + " ORDER BY id DESC LIMIT ?";
  private static final String AUDIT_BEFORE =
      "SELECT id, at, action, via, client, before_value, after_value FROM audit"
          + " WHERE id < ? ORDER BY id DESC LIMIT ?";

  private final PostgresBacklog backlog;

  PostgresControlStore(PostgresBacklog backlog) {
    this.backlog = Objects.requireNonNull(backlog, "backlog");
  }

  @Override
  public boolean paused() {
    return backlog.read(
        "paused",
        c -> {
          try (PreparedStatement q = c.prepareStatement(READ_SETTING)) {
            q.setString(1, PAUSED);
            try (ResultSet rs = q.executeQuery()) {
              return rs.next() && Boolean.parseBoolean(rs.getString(1));
            }
          }
        });
  }

  @Override
  public java.util.Optional<String> setting(String name) {
    Objects.requireNonNull(name, "name");
    return backlog.read(
        "setting " + name,
        c -> {
          try (PreparedStatement q = c.prepareStatement(READ_SETTING)) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
              return rs.next()
                  ? java.util.Optional.of(rs.getString(1))
                  : java.util.Optional.empty();
            }
          }
        });
  }

  @Override
  public AuditEntry recordSetting(String name, String value, AuditEntry entry) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(entry, "entry");
    return backlog.write(
        "setting " + name,
        null,
        c -> {
          try (PreparedStatement set = c.prepareStatement(WRITE_SETTING)) {
            set.setString(1, name);
            set.setString(2, value);
            set.executeUpdate();
          }
          return insert(c, entry);
        });
  }

  @Override
  public AuditEntry record(AuditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    return backlog.write("audit", null, c -> insert(c, entry));
  }

  @Override
  public AuditEntry recordPause(boolean paused, AuditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    return backlog.write(
        "pause",
        null,
        c -> {
          try (PreparedStatement set = c.prepareStatement(WRITE_SETTING)) {
            set.setString(1, PAUSED);
            set.setString(2, Boolean.toString(paused));
            set.executeUpdate();
          }
          return insert(c, entry);
        });
  }

  @Override
  public List<AuditEntry> audit(long beforeId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    return backlog.read(
        "audit",
        c -> {
          String sql = beforeId > 0 ? AUDIT_BEFORE : AUDIT_NEWEST;
          try (PreparedStatement q = c.prepareStatement(sql)) {
            if (beforeId > 0) {
              q.setLong(1, beforeId);
              q.setInt(2, limit);
            } else {
              q.setInt(1, limit);
            }
            List<AuditEntry> page = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                page.add(
                    new AuditEntry(
                        rs.getLong(1),
                        Timestamps.get(rs, 2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7)));
              }
            }
            return page;
          }
        });
  }

  private static AuditEntry insert(Connection c, AuditEntry entry) throws SQLException {
    try (PreparedStatement ins = c.prepareStatement(INSERT_AUDIT)) {
      Timestamps.set(ins, 1, entry.at());
      ins.setString(2, entry.action());
      ins.setString(3, entry.via());
      ins.setString(4, entry.client());
      ins.setString(5, entry.before());
      ins.setString(6, entry.after());
      try (ResultSet rs = ins.executeQuery()) {
        rs.next();
        return entry.withId(rs.getLong(1));
      }
    }
  }
}
