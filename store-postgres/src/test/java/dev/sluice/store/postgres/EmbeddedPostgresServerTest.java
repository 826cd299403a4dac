package dev.sluice.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerTest {

  @Test
  void start_servesARealPostgresOnLoopback_andCreatesDatabases() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start()) {
      String url = server.createDatabase("smoke_one");

      assertThat(url).contains("localhost:" + server.port()).contains("smoke_one");
      try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT current_database(), current_setting('listen_addresses'),"
                      + " current_setting('server_version_num')::int")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("smoke_one");
        assertThat(rs.getString(2)).isEqualTo("127.0.0.1");
        assertThat(rs.getInt(3)).isGreaterThanOrEqualTo(140000);
      }
    }
  }
}
