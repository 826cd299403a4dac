package dev.sluice.service.config;

import dev.sluice.store.postgres.PostgresOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code store.postgres:} section: the backlog several nodes share, and this node's place among
 * them.
 *
 * @param options how the database is reached (the store's own type, so its keys are defined once)
 * @param nodeId this node's id ({@code node-id}): stable across its restarts, so a restarted node
 *     takes back its own leases at once (others' come back when they expire); null for a default
 *     made of the host name and the data directory
 * @param gateTerm how long a hold on the gate lasts unless renewed ({@code gate-term}): a node that
 *     dies is replaced as the releasing node within about this long
 */
public record PostgresStoreConfig(PostgresOptions options, String nodeId, Duration gateTerm) {

  public static final Duration DEFAULT_GATE_TERM = Duration.ofSeconds(5);

  /** Renewals every third of a term need a term well above a database round trip. */
  public static final Duration MIN_GATE_TERM = Duration.ofSeconds(1);

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

  public PostgresStoreConfig {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(gateTerm, "gate-term");
    if (nodeId != null && !NODE_ID.matcher(nodeId).matches()) {
      throw new IllegalArgumentException(
          "node-id must be 1 to 100 of letters, digits, '.', '_', ':' and '-', starting with a"
              + " letter or digit, got '"
              + nodeId
              + "'");
    }
    if (gateTerm.compareTo(MIN_GATE_TERM) < 0) {
      throw new IllegalArgumentException(
          "gate-term must be at least " + MIN_GATE_TERM.toSeconds() + "s, got " + gateTerm);
    }
  }
}
