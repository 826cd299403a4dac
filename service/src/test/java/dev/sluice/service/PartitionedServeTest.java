package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.partition.PartitionRule;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service opens its backlog with the configured partition rule. */
class PartitionedServeTest {

  @TempDir Path dataDir;

  @Test
  void serve_whenPartitionsByPrefix_storesEachEventsPrefixPartition() throws SQLException {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            target,
            c -> c.withPartitions(new PartitionsConfig(PartitionRule.prefix(1))))) {
      String body = Notifications.forKeys(List.of("tenant-a/2026/x.csv", "tenant-b/y.csv", "z"));
      assertThat(sluice.api.post("/v1/events", body).ok().get("accepted").asInt()).isEqualTo(3);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sluice.status().get("completed").asLong() == 3);
    }

    assertThat(partitionsInFile())
        .containsExactly(
            "tenant-a/2026/x.csv -> tenant-a/", "tenant-b/y.csv -> tenant-b/", "z -> ");
  }

  private List<String> partitionsInFile() throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("backlog.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT object_key, partition FROM events ORDER BY id")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + " -> " + rs.getString(2));
      }
      return rows;
    }
  }
}
