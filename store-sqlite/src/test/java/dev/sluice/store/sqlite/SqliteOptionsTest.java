package dev.sluice.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqliteOptionsTest {

  @Test
  void defaults_whenUsed_syncEveryCommit() {
    SqliteOptions options = SqliteOptions.defaults();

    assertThat(options.synchronous()).isEqualTo(SqliteOptions.Synchronous.FULL);
    assertThat(options.busyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.cacheSizeKib()).isEqualTo(32 * 1024);
  }

  @Test
  void constructor_whenBusyTimeoutNegative_namesTheField() {
    assertThatThrownBy(() -> SqliteOptions.defaults().withBusyTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("busyTimeout");
  }

  @Test
  void constructor_whenCacheSizeNotPositive_namesTheFieldAndValue() {
    assertThatThrownBy(() -> SqliteOptions.defaults().withCacheSizeKib(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheSizeKib must be > 0, got 0");
  }

  @Test
  void constructor_whenMaxSizeNegative_namesTheFieldAndValue() {
    assertThat(SqliteOptions.defaults().maxSizeBytes()).isEqualTo(SqliteOptions.NO_MAX_SIZE);
    assertThatThrownBy(() -> SqliteOptions.defaults().withMaxSizeBytes(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSizeBytes must be >= 0 (0 for no cap), got -1");
  }

  @Test
  void constructor_whenSynchronousMissing_namesTheField() {
    assertThatThrownBy(() -> SqliteOptions.defaults().withSynchronous(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("synchronous");
  }
}
