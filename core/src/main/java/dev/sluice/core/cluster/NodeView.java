package dev.sluice.core.cluster;

import java.time.Instant;

/**
 * One node as the shared store sees it.
 *
 * @param heartbeatAt its latest heartbeat, by the store's clock
 * @param holdsGate whether it holds the gate's current term
 * @param leased how many events are leased to it now (its jobs in flight, or left by it when it
 *     died, until their leases expire)
 */
public record NodeView(
    String nodeId,
    String host,
    long pid,
    String httpAddress,
    Instant startedAt,
    Instant heartbeatAt,
    boolean holdsGate,
    long leased) {}
