package dev.sluice.core.backlog;

import dev.sluice.core.partition.PartitionQuotas;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What every {@link Backlog} implementation checks and writes the same way. */
public final class BacklogArguments {
  /** Outcome of a release whose lease expired and whose event was claimed again. */
  public static final String EXPIRED = "expired";

  /** Outcome of a release returned by {@link Backlog#abandonLeases}. */
  public static final String ABANDONED = "abandoned";

  private BacklogArguments() {}

  public static void checkClaim(int max, Duration lease, Instant now) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(now, "now");
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, got " + max);
    }
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be > 0, got " + lease);
    }
  }

  public static void checkClaim(List<Instant> releaseTimes, Duration lease, Instant now) {
    Objects.requireNonNull(releaseTimes, "releaseTimes");
    checkClaim(releaseTimes.size(), lease, now);
    Instant previous = null;
    for (Instant t : releaseTimes) {
      Objects.requireNonNull(t, "release time");
      if (previous != null && t.isBefore(previous)) {
        throw new IllegalArgumentException(
            "release times must be in ascending order, got " + t + " after " + previous);
      }
      previous = t;
    }
  }

  /** Checks the arguments of a claim with quotas. */
  public static void checkClaim(
      List<Instant> releaseTimes, Duration lease, Instant now, PartitionQuotas quotas) {
    Objects.requireNonNull(quotas, "quotas");
    checkClaim(releaseTimes, lease, now);
  }

  /** Checks the arguments of {@link Backlog#duePartitions}. */
  public static void checkDuePartitions(Instant now, int countUpTo) {
    Objects.requireNonNull(now, "now");
    if (countUpTo < 1) {
      throw new IllegalArgumentException("countUpTo must be >= 1, got " + countUpTo);
    }
  }

  public static void checkLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
  }

  /** Checks the arguments of {@link Backlog#prune}. */
  public static void checkPrune(Instant settledBefore, Instant releasedBefore, int max) {
    Objects.requireNonNull(settledBefore, "settledBefore");
    Objects.requireNonNull(releasedBefore, "releasedBefore");
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, got " + max);
    }
  }
}
