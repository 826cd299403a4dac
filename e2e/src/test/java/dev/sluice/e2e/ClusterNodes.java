package dev.sluice.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Several {@code sluice serve} processes sharing one Postgres backlog, each with its own data dir,
 * API port, node id and route at the recording endpoint (so each receipt says which node sent the
 * job). A node's config file outlives its process, so a node killed with {@code kill -9} can be
 * started again as the same node.
 */
final class ClusterNodes {

  /** One node: its config and API, and the process it runs as now (null before its start). */
  static final class Node {
    final String id;
    final Path dir;
    final Path config;
    final SluiceClient api;
    private SluiceServeProcess process;
    private int runs;

    private Node(String id, Path dir, Path config, SluiceClient api) {
      this.id = id;
      this.dir = dir;
      this.config = config;
      this.api = api;
    }

    SluiceServeProcess process() {
      return process;
    }

    @Override
    public String toString() {
      return id;
    }
  }

  private final ServeProcesses services;
  private final List<Node> nodes;

  private ClusterNodes(ServeProcesses services, List<Node> nodes) {
    this.services = services;
    this.nodes = nodes;
  }

  /**
   * Writes each node's config under {@code dir/<node id>}; starts none.
   *
   * @param jdbcUrl the shared database
   * @param limitsYaml the {@code limits:} section, the same on every node
   * @param lease how long a job may run before another node may release it again
   * @param gateTerm how long a hold on the gate lasts unless renewed
   */
  static ClusterNodes configure(
      ServeProcesses services,
      Path dir,
      List<String> ids,
      String jdbcUrl,
      RecordingJobEndpoint target,
      String limitsYaml,
      String lease,
      String gateTerm) {
    List<Node> nodes = new ArrayList<>();
    for (String id : ids) {
      Path nodeDir = dir.resolve(id);
      try {
        Files.createDirectories(nodeDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int port = FreePort.pick();
      Path config =
          ServeConfigFile.write(
              nodeDir,
              port,
              "",
              target.url(id),
              limitsYaml,
              lease,
              ServeConfigFile.postgresStore(jdbcUrl, id, gateTerm));
      nodes.add(new Node(id, nodeDir, config, new SluiceClient(port)));
    }
    return new ClusterNodes(services, List.copyOf(nodes));
  }

  List<Node> all() {
    return nodes;
  }

  Node get(int i) {
    return nodes.get(i);
  }

  Node byId(String id) {
    return nodes.stream()
        .filter(n -> n.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node " + id));
  }

  /** The nodes other than {@code node}. */
  List<Node> others(Node node) {
    return nodes.stream().filter(n -> n != node).toList();
  }

  /** Starts every node, one after the other, each until its {@code /healthz} answers. */
  ClusterNodes startAll() {
    nodes.forEach(this::start);
    return this;
  }

  /** Starts (or starts again) one node on its own config and data dir. */
  void start(Node node) {
    node.runs++;
    node.process =
        services.track(
            SluiceServeProcess.start(
                node.id + "-run-" + node.runs, node.config, node.dir, node.api));
  }

  /** Waits until {@code via} lists {@code count} nodes and says one of them holds the gate. */
  void awaitFormed(Node via, int count) {
    await("a cluster of " + count + " nodes with a gate holder, as " + via + " sees it")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode cluster = via.api.status().path("cluster");
              return cluster.path("nodes").size() == count && holder(cluster).isPresent();
            });
  }

  /** Who holds the gate according to a {@code cluster} object of {@code /v1/status}. */
  static Optional<String> holder(JsonNode cluster) {
    JsonNode holder = cluster.path("holder");
    return holder.isObject() ? Optional.of(holder.path("node").asText()) : Optional.empty();
  }

  /** The entry of node {@code id} in a {@code cluster} object of {@code /v1/status}. */
  static Optional<JsonNode> view(JsonNode cluster, String id) {
    for (JsonNode n : cluster.path("nodes")) {
      if (n.path("node").asText().equals(id)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /**
   * Sends the batches spread over the given nodes (batch i to node i mod n), {@code threads}
   * senders per node.
   */
  static List<NotificationSenders> sendSpread(
      List<Node> to, List<List<Integer>> batches, int threads) {
    List<List<List<Integer>>> parts = new ArrayList<>();
    to.forEach(n -> parts.add(new ArrayList<>()));
    for (int i = 0; i < batches.size(); i++) {
      parts.get(i % to.size()).add(batches.get(i));
    }
    List<NotificationSenders> senders = new ArrayList<>();
    for (int i = 0; i < to.size(); i++) {
      senders.add(new NotificationSenders(to.get(i).api, parts.get(i)).start(threads));
    }
    return senders;
  }
}
