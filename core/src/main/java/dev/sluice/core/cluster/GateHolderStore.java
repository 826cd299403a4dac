package dev.sluice.core.cluster;

import java.time.Duration;
import java.util.Optional;

/**
 * Port: where the nodes sharing a store agree on which of them holds the gate. The store's own
 * clock decides when a term has ended, so nodes whose clocks differ still agree.
 *
 * <p>Implementations are thread-safe; each call commits before it returns.
 */
public interface GateHolderStore {

  /**
   * Makes {@code nodeId} the holder for {@code term} from now (by the store's clock) if nobody
   * holds the gate or the holder's term has ended (the epoch then goes up by one), or renews the
   * term of {@code nodeId} if it holds the gate already (same epoch).
   *
   * @return the term {@code nodeId} holds after the call; empty if another node holds a term that
   *     has not ended
   */
  Optional<GateTerm> acquireOrRenew(String nodeId, Duration term);

  /**
   * Ends the term of {@code nodeId} under {@code epoch} at once (a clean stop), so another node
   * takes the gate without waiting for the term to run out. Does nothing if that term is no longer
   * held.
   */
  void resign(String nodeId, long epoch);

  /** The term held now, if any has not ended. */
  Optional<GateTerm> holder();
}
