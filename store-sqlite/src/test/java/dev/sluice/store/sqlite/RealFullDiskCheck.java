package dev.sluice.store.sqlite;

import static dev.sluice.testkit.TestEvents.numbered;

import dev.sluice.core.backlog.BacklogUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A check on a real full disk, not a test: it needs a small file system of its own, which takes
 * privileges a build does not have. The tests use the size cap ({@code max_page_count}) instead,
 * which SQLite answers with the same {@code SQLITE_FULL}; a real disk differs in that SQLite rolls
 * the transaction back itself and the driver finalizes the statements it ran, which this checks.
 *
 * <p>Run as root: {@code mkdir -p /mnt/tiny && mount -t tmpfs -o size=8m tmpfs /mnt/tiny}, then
 * {@code java -cp <test classpath> dev.sluice.store.sqlite.RealFullDiskCheck /mnt/tiny}. It fills
 * the file system (a filler file, then events until an append fails), checks that appends and
 * claims fail as {@link BacklogUnavailableException} with nothing kept, frees the filler and checks
 * that the same backlog takes events again with every count exact. Exits 1 on a failed check.
 */
public final class RealFullDiskCheck {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/mnt/tiny");
    long free = Files.getFileStore(dir).getUsableSpace();
    Path filler = dir.resolve("filler");
    // Leaves room for a few hundred events and the write-ahead log's first pages.
    Files.write(filler, new byte[(int) Math.max(0, free - 2 * 1024 * 1024)]);
    try (SqliteBacklog backlog = SqliteBacklog.open(dir.resolve("backlog.db"))) {
      int accepted = 0;
      int next = 0;
      BacklogUnavailableException full = null;
      while (full == null) {
        try {
          accepted += backlog.append(numbered(next, 20), T0).accepted();
          next += 20;
        } catch (BacklogUnavailableException e) {
          full = e;
        }
      }
      System.out.println("append failed after " + accepted + " events: " + full.getMessage());
      check(full.full(), "the failure is a full store");
      check(!backlog.writeStatus().writable(), "the status shows it");
      check(backlog.stats(T0).waiting() == accepted, "a failed append keeps nothing");
      try {
        backlog.claim(100, Duration.ofMinutes(1), T0);
        System.out.println("a claim still fitted");
      } catch (BacklogUnavailableException e) {
        System.out.println("claim failed: " + e.getMessage());
        check(backlog.stats(T0).leased() == 0, "a failed claim leases nothing");
      }

      Files.delete(filler);
      for (int i = 0; i < 20; i++) {
        accepted += backlog.append(numbered(next, 20), T0).accepted();
        next += 20;
      }
      long leased = backlog.stats(T0).leased();
      check(backlog.writeStatus().writable(), "writable again once space returned");
      check(
          backlog.stats(T0).waiting() + leased == accepted,
          "every accepted event is held: "
              + (backlog.stats(T0).waiting() + leased)
              + " of "
              + accepted);
      System.out.println(
          "recovered: " + accepted + " events held, status " + backlog.writeStatus());
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.out.println("FAILED: " + what);
      System.exit(1);
    }
  }
}
