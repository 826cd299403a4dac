package dev.sluice.core.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * One node's hold on the gate.
 *
 * @param epoch increases by one at every change of holder (a fencing token: a claim made under an
 *     older epoch is refused by the store)
 * @param nodeId the holder
 * @param until when the hold ends unless renewed, by the store's clock
 */
public record GateTerm(long epoch, String nodeId, Instant until) {
  public GateTerm {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(until, "until");
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
    }
  }
}
