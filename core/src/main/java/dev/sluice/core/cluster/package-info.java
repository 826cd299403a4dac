/**
 * Several nodes on one shared store: which node holds the gate (the only one that releases, so
 * every limit is counted in one place and stays exact), the fence a claim checks so that a node
 * that lost the gate cannot release, and the registry of nodes and their heartbeats.
 *
 * <p>Why one holder rather than a decision in every claim's transaction: the gate judges limits
 * where the target sees the jobs (a job counts from its release until it is known to have reached
 * the target), which only the process running the job knows as it happens. One holder keeps that
 * precision and costs nothing per release; a new holder takes over within the term's length of the
 * old one's death, and counts the old one's open releases as not yet started until they can no
 * longer reach the target.
 */
package dev.sluice.core.cluster;
