package dev.sluice.core.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * What a node says of itself, every second or so.
 *
 * @param nodeId the node's id (stable across its restarts when set in the config)
 * @param host the machine's name
 * @param pid the process id
 * @param httpAddress where its HTTP API answers (for example {@code http://127.0.0.1:8080}), or
 *     null
 * @param startedAt when the process started
 * @param at when this heartbeat was sent, by the node's clock
 */
public record NodeHeartbeat(
    String nodeId, String host, long pid, String httpAddress, Instant startedAt, Instant at) {
  public NodeHeartbeat {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(at, "at");
  }
}
