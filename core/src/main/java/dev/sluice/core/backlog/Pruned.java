package dev.sluice.core.backlog;

/**
 * What one {@link Backlog#prune} call deleted.
 *
 * @param events done and purged events deleted
 * @param releases closed releases deleted
 * @param more true when the call stopped at its bound and more may be deletable now; false when it
 *     has caught up, so the caller can wait longer before the next call
 */
public record Pruned(int events, int releases, boolean more) {

  public Pruned {
    if (events < 0 || releases < 0) {
      throw new IllegalArgumentException(
          "deleted counts must be >= 0, got " + events + " events, " + releases + " releases");
    }
  }

  /** Nothing deleted, nothing more to delete. */
  public static final Pruned NOTHING = new Pruned(0, 0, false);
}
