package dev.sluice.core;

import java.util.Locale;

/**
 * Order of two changes to the same object key, from their S3 sequencers. S3 documents the rule:
 * sequencers may differ in length, so right-pad the shorter one with zeros, then compare the
 * strings. Only changes to the same bucket and key are comparable.
 */
public final class Sequencers {
  /**
   * Width sequencers are padded to; S3 sequencers are 18 hex digits today; a longer one is kept
   * whole, which still orders right except that trailing zeros beyond the width break a tie.
   */
  public static final int SORT_WIDTH = 32;

  private Sequencers() {}

  /**
   * A string that orders like the sequencer under the S3 rule: uppercased (S3 and MinIO send
   * uppercase hex, other senders may not) and right-padded with zeros to {@link #SORT_WIDTH}.
   * Returns null for a null or blank sequencer.
   */
  public static String sortKey(String sequencer) {
    if (sequencer == null || sequencer.isBlank()) {
      return null;
    }
    String s = sequencer.strip().toUpperCase(Locale.ROOT);
    return s.length() >= SORT_WIDTH ? s : s + "0".repeat(SORT_WIDTH - s.length());
  }

  /** Negative when {@code a} is the earlier change, positive when the later, 0 when equal. */
  public static int compare(String a, String b) {
    return sortKey(a).compareTo(sortKey(b));
  }
}
