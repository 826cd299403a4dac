package dev.sluice.store.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the shared Postgres backlog lives and how it is reached. Validated at construction: a
 * message starts with the config key that is wrong, relative to its section ({@code store.postgres}
 * in the config file), and says why.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database} (key {@code url})
 * @param user the database user ({@code user})
 * @param password the user's password, or null when the server needs none ({@code password})
 * @param poolSize most connections this node holds ({@code pool-size})
 * @param connectTimeout how long a call waits for a connection, new or from the pool, before the
 *     backlog counts as unavailable ({@code connect-timeout})
 */
public record PostgresOptions(
    String jdbcUrl, String user, String password, int poolSize, Duration connectTimeout) {

  /** Enough for intake, the dispatcher, the pruner and the operator's reads at once. */
  public static final int DEFAULT_POOL_SIZE = 8;

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The pool refuses shorter waits for a connection. */
  public static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);

  public static final int MAX_POOL_SIZE = 1000;

  private static final String URL_PREFIX = "jdbc:postgresql:";

  public PostgresOptions {
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      throw new IllegalArgumentException("url is required, got none");
    }
    if (!jdbcUrl.startsWith(URL_PREFIX)) {
      throw new IllegalArgumentException("url must start with " + URL_PREFIX + ", got " + jdbcUrl);
    }
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("user is required, got none");
    }
    if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
      throw new IllegalArgumentException(
          "pool-size must be between 1 and " + MAX_POOL_SIZE + ", got " + poolSize);
    }
    Objects.requireNonNull(connectTimeout, "connect-timeout");
    if (connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) < 0) {
      throw new IllegalArgumentException(
          "connect-timeout must be at least "
              + MIN_CONNECT_TIMEOUT.toMillis()
              + " ms, got "
              + connectTimeout);
    }
  }

  /** These connection settings with the default pool size and connect timeout. */
  public static PostgresOptions of(String jdbcUrl, String user, String password) {
    return new PostgresOptions(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
  }

  public PostgresOptions withPoolSize(int poolSize) {
    return new PostgresOptions(jdbcUrl, user, password, poolSize, connectTimeout);
  }

  public PostgresOptions withConnectTimeout(Duration connectTimeout) {
    return new PostgresOptions(jdbcUrl, user, password, poolSize, connectTimeout);
  }

  /** Never shows the password: options end up in logs and error messages. */
  @Override
  public String toString() {
    return "PostgresOptions[jdbcUrl="
        + jdbcUrl
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "***")
        + ", poolSize="
        + poolSize
        + ", connectTimeout="
        + connectTimeout
        + "]";
  }
}
