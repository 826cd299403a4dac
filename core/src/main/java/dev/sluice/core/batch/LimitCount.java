package dev.sluice.core.batch;

import java.util.Locale;

/**
 * What the limits count when jobs are batches: the config file's {@code limits.count}. With {@code
 * window 100 per 1s} and batches of 20, {@link #JOBS} lets 100 batches (2,000 events) go in a
 * second, {@link #OBJECTS} 100 events (5 batches).
 */
public enum LimitCount {
  /** A permit is a job: one batch, however many events it carries. */
  JOBS,
  /** A permit is an event: a batch of K takes K permits, and goes when all K are granted. */
  OBJECTS;

  /** The word used in the config file and the API. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted words
   */
  public static LimitCount parse(String word) {
    if (word != null) {
      for (LimitCount c : values()) {
        if (c.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
          return c;
        }
      }
    }
    return failParse(word);
  }

  private static LimitCount failParse(String word) {
    throw new IllegalArgumentException("count must be jobs or objects, got '" + word + "'");
  }
}
