package dev.sluice.e2e;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.ReleaseRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The whole release log of a backlog, read the way an operator would: page by page. */
final class ReleaseLogPages {

  private static final int PAGE = 1_000;

  private ReleaseLogPages() {}

  /** Every release ever recorded, in release order. */
  static List<ReleaseRecord> readAll(Backlog backlog) {
    List<ReleaseRecord> all = new ArrayList<>();
    long after = 0;
    while (true) {
      List<ReleaseRecord> page = backlog.releases(Instant.EPOCH, after, PAGE);
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
      after = page.get(page.size() - 1).releaseId();
    }
  }
}
