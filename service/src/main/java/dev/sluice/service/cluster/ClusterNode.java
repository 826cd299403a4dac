package dev.sluice.service.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.cluster.GateFence;
import dev.sluice.core.cluster.GateHolderStore;
import dev.sluice.core.cluster.GateKeeper;
import dev.sluice.core.cluster.GateTerm;
import dev.sluice.core.cluster.NodeHeartbeat;
import dev.sluice.core.cluster.NodeRegistry;
import dev.sluice.core.cluster.NodeView;
import dev.sluice.core.control.ControlStore;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.RepeatedFailureLog;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.TimeSource;
import dev.sluice.service.config.AdaptiveDocument;
import dev.sluice.service.config.BatchDocument;
import dev.sluice.service.config.LimitsDocument;
import dev.sluice.service.config.PartitionsDocument;
import dev.sluice.service.config.ScheduleDocument;
import dev.sluice.service.control.Operator;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * This process as one node of several sharing a store: keeps its hold on the gate and tells the
 * dispatcher when it takes the gate over or loses it, sends a heartbeat every second, and follows
 * the shared pause flag, limits and capacity schedule (an operator may change them through any
 * node; the holder must apply them).
 */
public final class ClusterNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());

  /** How often a heartbeat is sent and the shared pause flag read. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(1);

  /** A node whose heartbeat is older than this is left out of the list of nodes. */
  public static final Duration FORGET_AFTER = Duration.ofMinutes(5);

  private final String nodeId;
  private final GateHolderStore holders;
  private final NodeRegistry registry;
  private final TimeSource time;
  private final GateKeeper keeper;
  private final ScheduledExecutorService beat;
  private volatile Dispatcher dispatcher;

  /**
   * A node of the nodes sharing a store, not yet keeping its hold on the gate: {@link #attach} its
   * dispatcher, then {@link #start}.
   *
   * @param term how long a hold on the gate lasts unless renewed
   */
  public ClusterNode(
      String nodeId,
      Duration term,
      GateHolderStore holders,
      NodeRegistry registry,
      TimeSource time) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.holders = Objects.requireNonNull(holders, "holders");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.time = Objects.requireNonNull(time, "time");
    this.keeper =
        new GateKeeper(
            nodeId,
            holders,
            time,
            term,
            new GateKeeper.Listener() {
              @Override
              public void acquired(GateTerm t) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "node " + nodeId + " holds the gate (epoch " + t.epoch() + ")");
                Dispatcher d = dispatcher;
                if (d != null) {
                  d.takeOver(t);
                }
              }

              @Override
              public void lost(GateTerm t) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "node " + nodeId + " no longer holds the gate (epoch " + t.epoch() + ")");
                Dispatcher d = dispatcher;
                if (d != null) {
                  d.gateLost(t);
                }
              }
            });
    this.beat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-heartbeat");
              t.setDaemon(true);
              return t;
            });
  }

  /** What the backlog checks in every claim: whether this node holds the gate now. */
  public GateFence fence() {
    return keeper;
  }

  /**
   * Makes {@code dispatcher} release only while this node holds the gate, and starts the heartbeat
   * (which also follows the shared pause flag). Call before the dispatcher starts.
   *
   * @param httpAddress where this node's API answers, read at each heartbeat (known once the server
   *     is up)
   */
  public void attach(Dispatcher dispatcher, ControlStore control, Supplier<String> httpAddress) {
    dispatcher.shareGate(keeper);
    this.dispatcher = dispatcher;
    RepeatedFailureLog failures =
        new RepeatedFailureLog("node heartbeat", time, Duration.ofMinutes(1));
    PauseFollower pause = new PauseFollower(control, dispatcher);
    SettingFollower<Limits> limits =
        new SettingFollower<>(
            control,
            Operator.SHARED_LIMITS,
            LimitsDocument::read,
            dispatcher::limits,
            dispatcher::setLimits);
    SettingFollower<CapacitySchedule> schedule =
        new SettingFollower<>(
            control,
            Operator.SHARED_SCHEDULE,
            ScheduleDocument::read,
            dispatcher::schedule,
            dispatcher::setSchedule);
    SettingFollower<AdaptiveSettings> adaptive =
        new SettingFollower<>(
            control,
            Operator.SHARED_ADAPTIVE,
            AdaptiveDocument::read,
            () -> dispatcher.adaptive().settings(),
            settings -> {
              dispatcher.adaptive().setSettings(settings);
              dispatcher.wake();
            });
    // Weights and caps, when the backlog is partitioned (the rule itself is the config file's).
    SettingFollower<?> partitions =
        dispatcher.partitions() == null
            ? null
            : new SettingFollower<>(
                control,
                Operator.SHARED_PARTITIONS,
                PartitionsDocument::read,
                () -> dispatcher.partitions().shares(),
                shares -> {
                  if (dispatcher.batchPlanner() != null) {
                    BatchDocument.checkAgainst(
                        dispatcher.batchPlanner().settings(),
                        dispatcher.batchPlanner().count(),
                        shares);
                  }
                  dispatcher.partitions().setShares(shares);
                  dispatcher.wake();
                });
    // K and the wait, when this node releases batches (batching itself and what the limits count
    // are the config file's). Counting objects, a K its limits cannot hold is refused and logged.
    SettingFollower<?> batch =
        dispatcher.batchPlanner() == null
            ? null
            : new SettingFollower<>(
                control,
                Operator.SHARED_BATCH,
                BatchDocument::read,
                () -> dispatcher.batchPlanner().settings(),
                settings -> {
                  BatchDocument.checkAgainst(
                      settings, dispatcher.batchPlanner().count(), dispatcher.limits());
                  if (dispatcher.partitions() != null) {
                    BatchDocument.checkAgainst(
                        settings,
                        dispatcher.batchPlanner().count(),
                        dispatcher.partitions().shares());
                  }
                  dispatcher.setBatchSettings(settings);
                });
    Instant startedAt = time.now();
    String host = hostName();
    long pid = ProcessHandle.current().pid();
    beat.scheduleWithFixedDelay(
        () -> {
          try {
            registry.heartbeat(
                new NodeHeartbeat(nodeId, host, pid, httpAddress.get(), startedAt, time.now()));
            pause.follow();
            limits.follow();
            schedule.follow();
            adaptive.follow();
            if (partitions != null) {
              partitions.follow();
            }
            if (batch != null) {
              batch.follow();
            }
            failures.succeeded();
          } catch (RuntimeException e) {
            failures.failed(e);
          }
        },
        0,
        HEARTBEAT.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * The pause flag is shared: a node paused or resumed through another node's API follows. Only a
   * change of the stored flag is applied, so a pause this process set without storing it (the
   * demo's, until its upload is in) stays.
   */
  private static final class PauseFollower {
    private final ControlStore control;
    private final Dispatcher dispatcher;
    private boolean lastStored;

    PauseFollower(ControlStore control, Dispatcher dispatcher) {
      this.control = control;
      this.dispatcher = dispatcher;
      this.lastStored = control.paused();
    }

    void follow() {
      boolean stored = control.paused();
      if (stored == lastStored) {
        return;
      }
      lastStored = stored;
      if (stored) {
        dispatcher.pause();
      } else {
        dispatcher.resume();
      }
    }
  }

  /**
   * A setting an operator changes at runtime and several nodes share (the limits, the capacity
   * schedule, the adaptive settings, the partitions' weights, the batch size): stored by the node
   * whose API took the change, followed by every node (the holder applies it). A node that joins
   * takes the stored value over its config file's, so all nodes count the same limits.
   */
  private static final class SettingFollower<T> {
    private final ControlStore control;
    private final String name;
    private final Function<JsonNode, T> read;
    private final Supplier<T> current;
    private final Consumer<T> apply;
    private final ObjectMapper json = new ObjectMapper();
    private String lastStored;

    SettingFollower(
        ControlStore control,
        String name,
        Function<JsonNode, T> read,
        Supplier<T> current,
        Consumer<T> apply) {
      this.control = control;
      this.name = name;
      this.read = read;
      this.current = current;
      this.apply = apply;
      follow();
    }

    void follow() {
      String stored = control.setting(name).orElse(null);
      if (stored == null || stored.equals(lastStored)) {
        return;
      }
      lastStored = stored;
      try {
        T value = read.apply(json.readTree(stored));
        if (!value.equals(current.get())) {
          apply.accept(value);
          LOG.log(System.Logger.Level.INFO, name + " changed on another node: " + stored);
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "stored " + name + " unreadable, kept as it was: " + stored,
            e);
      }
    }
  }

  /** Starts keeping the hold on the gate (the dispatcher is running by then). */
  public void start() {
    keeper.start();
  }

  public String nodeId() {
    return nodeId;
  }

  /** The term this node holds now, by its own clock. */
  public Optional<GateTerm> heldTerm() {
    return keeper.heldTerm();
  }

  /** Who holds the gate now, as the store says. */
  public Optional<GateTerm> holder() {
    return holders.holder();
  }

  /** The nodes seen within {@link #FORGET_AFTER}. */
  public List<NodeView> nodes() {
    return registry.nodes(FORGET_AFTER);
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** Stops the heartbeat and gives the gate up at once, so another node takes it over. */
  @Override
  public void close() {
    beat.shutdownNow();
    keeper.close();
  }
}
