package dev.sluice.core.cluster;

import dev.sluice.core.time.DurationFormat;
import dev.sluice.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link GateHolderStore} in this process's memory, on an injected {@link TimeSource} that plays
 * the store's clock: the nodes of a test (or of one process) that share it agree on one holder, and
 * a test moves its virtual time to end terms. Thread-safe.
 */
public final class InMemoryGateHolderStore implements GateHolderStore {
  private final TimeSource time;
  private GateTerm current; // the latest term granted, ended or not; null before the first

  public InMemoryGateHolderStore(TimeSource time) {
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public synchronized Optional<GateTerm> acquireOrRenew(String nodeId, Duration term) {
    Objects.requireNonNull(nodeId, "nodeId");
    requirePositive(term);
    Instant now = time.now();
    if (current == null) {
      current = new GateTerm(1, nodeId, now.plus(term));
      return Optional.of(current);
    }
    boolean ended = !current.until().isAfter(now);
    if (!ended && current.nodeId().equals(nodeId)) {
      current = new GateTerm(current.epoch(), nodeId, now.plus(term));
      return Optional.of(current);
    }
    if (ended) {
      // A new epoch even when the same node takes the gate again: its claims under the ended
      // epoch were refused meanwhile, and must stay refused.
      current = new GateTerm(current.epoch() + 1, nodeId, now.plus(term));
      return Optional.of(current);
    }
    return Optional.empty();
  }

  @Override
  public synchronized void resign(String nodeId, long epoch) {
    Instant now = time.now();
    if (current != null
        && current.nodeId().equals(nodeId)
        && current.epoch() == epoch
        && current.until().isAfter(now)) {
      current = new GateTerm(epoch, nodeId, now);
    }
  }

  @Override
  public synchronized Optional<GateTerm> holder() {
    if (current == null || !current.until().isAfter(time.now())) {
      return Optional.empty();
    }
    return Optional.of(current);
  }

  static void requirePositive(Duration term) {
    Objects.requireNonNull(term, "term");
    if (term.isNegative() || term.isZero()) {
      throw new IllegalArgumentException("term must be > 0, got " + DurationFormat.format(term));
    }
  }
}
