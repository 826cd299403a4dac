package dev.sluice.core.cluster;

import dev.sluice.core.SluiceException;

/**
 * A claim was refused because this node does not hold the gate (it never did, its term ended, or
 * another node took over). Nothing was claimed; the node stops releasing until it holds the gate
 * again.
 */
public final class NotGateHolderException extends SluiceException {
  public NotGateHolderException(String message) {
    super(message, null);
  }
}
