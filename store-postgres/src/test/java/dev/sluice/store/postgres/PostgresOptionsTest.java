package dev.sluice.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresOptionsTest {
  private static final String URL = "jdbc:postgresql://db.internal:5432/sluice";

  @Test
  void of_whenValid_takesTheDefaultPoolAndTimeout() {
    PostgresOptions options = PostgresOptions.of(URL, "sluice", "secret");

    assertThat(options.poolSize()).isEqualTo(8);
    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void new_whenUrlMissingOrNotPostgres_namesTheKey() {
    assertThatThrownBy(() -> PostgresOptions.of(" ", "sluice", null))
        .hasMessage("url is required, got none");
    assertThatThrownBy(() -> PostgresOptions.of("jdbc:sqlite:/tmp/x.db", "sluice", null))
        .hasMessage("url must start with jdbc:postgresql:, got jdbc:sqlite:/tmp/x.db");
  }

  @Test
  void new_whenUserMissing_namesTheKey() {
    assertThatThrownBy(() -> PostgresOptions.of(URL, null, null))
        .hasMessage("user is required, got none");
  }

  @Test
  void new_whenPoolSizeOutOfRange_namesTheKeyAndTheValue() {
    assertThatThrownBy(() -> PostgresOptions.of(URL, "sluice", null).withPoolSize(0))
        .hasMessage("pool-size must be between 1 and 1000, got 0");
  }

  @Test
  void new_whenConnectTimeoutTooShort_namesTheKeyAndTheValue() {
    assertThatThrownBy(
            () -> PostgresOptions.of(URL, "sluice", null).withConnectTimeout(Duration.ofMillis(10)))
        .hasMessage("connect-timeout must be at least 250 ms, got PT0.01S");
  }

  @Test
  void toString_neverShowsThePassword() {
    assertThat(PostgresOptions.of(URL, "sluice", "hunter2").toString())
        .doesNotContain("hunter2")
        .contains("password=***");
  }
}
