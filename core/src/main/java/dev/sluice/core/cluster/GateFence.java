package dev.sluice.core.cluster;

import java.util.Optional;

/**
 * What a shared backlog checks in every claim's transaction: the term this node believes it holds.
 * The store refuses the claim ({@link NotGateHolderException}) when this node holds no term, or
 * when the store's record of the holder is another epoch or node, or a term that has ended.
 */
@FunctionalInterface
public interface GateFence {

  /** The term this node holds now, by its own clock; empty when it holds none. */
  Optional<GateTerm> heldTerm();
}
