package dev.sluice.service.control;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Who asks for an operator action: the interface it came through and the client's address, as the
 * audit trail records them.
 *
 * @param via {@code http}, {@code cli}, {@code dashboard}, or {@code local} for an in-process
 *     caller
 * @param address the client's address, or {@code local}
 */
public record Caller(String via, String address) {
  /** The interfaces a caller may name; anything else is recorded as plain {@code http}. */
  public static final Set<String> INTERFACES = Set.of("http", "cli", "dashboard", "local");

  public Caller {
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(address, "address");
    if (!INTERFACES.contains(via)) {
      throw new IllegalArgumentException("via must be one of " + INTERFACES + ", got " + via);
    }
  }

  /** A caller in this process (the demo, tests). */
  public static Caller local() {
    return new Caller("local", "local");
  }

  /**
   * A caller over HTTP that named its interface in a header (the CLI and the dashboard do); an
   * unknown or missing name is recorded as {@code http}, never as what a client made up.
   */
  public static Caller overHttp(String claimedInterface, String address) {
    String via =
        claimedInterface == null ? "http" : claimedInterface.strip().toLowerCase(Locale.ROOT);
    if (!INTERFACES.contains(via) || via.equals("local")) {
      via = "http";
    }
    return new Caller(via, address == null || address.isBlank() ? "unknown" : address);
  }
}
