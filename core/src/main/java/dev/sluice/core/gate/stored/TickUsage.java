package dev.sluice.core.gate.stored;

/**
 * The stored state of one tick of an aligned window: the releases counted in it. Which tick is in
 * the key ({@link AlignedWindowPolicy#key}), so the value is the count alone.
 *
 * @param used releases counted in the tick, >= 0
 */
public record TickUsage(long used) {

  /** A tick nothing was released in. */
  public static final TickUsage NONE = new TickUsage(0);

  public TickUsage {
    if (used < 0) {
      throw new IllegalArgumentException("used must be >= 0, got " + used);
    }
  }
}
