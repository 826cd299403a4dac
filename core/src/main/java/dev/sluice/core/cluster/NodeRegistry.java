package dev.sluice.core.cluster;

import java.time.Duration;
import java.util.List;

/**
 * Port: the nodes sharing a store, their heartbeats and what they hold.
 *
 * <p>Implementations are thread-safe; each call commits before it returns.
 */
public interface NodeRegistry {

  /** Records the heartbeat (inserting the node the first time), stamped with the store's clock. */
  void heartbeat(NodeHeartbeat heartbeat);

  /**
   * The nodes whose latest heartbeat is within {@code forgetAfter} of now (by the store's clock),
   * ordered by node id.
   */
  List<NodeView> nodes(Duration forgetAfter);
}
