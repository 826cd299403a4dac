package dev.sluice.core.gate;

/**
 * Permits the gate grants for one instant: {@code count} jobs may reach the target at {@code
 * atNanos} or later, not earlier.
 */
public record Grant(long atNanos, int count) {
  public Grant {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
  }
}
