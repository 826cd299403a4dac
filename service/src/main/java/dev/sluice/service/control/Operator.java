package dev.sluice.service.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.control.AuditEntry;
import dev.sluice.core.control.ControlStore;
import dev.sluice.core.dispatch.PartitionSharing;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.service.Sluice;
import dev.sluice.service.config.AdaptiveDocument;
import dev.sluice.service.config.BatchDocument;
import dev.sluice.service.config.ConfigException;
import dev.sluice.service.config.LimitsDocument;
import dev.sluice.service.config.PartitionsDocument;
import dev.sluice.service.config.ScheduleDocument;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Every action an operator takes on a running service — pause, resume, drain, change the limits,
 * redrive and purge dead letters — in one place that the HTTP API, the CLI (through the API) and
 * the dashboard all call. Each action is recorded in the audit trail with the state before and
 * after it, as JSON.
 *
 * <p>Actions are serialized, so two operators changing different limits at once both keep their
 * change, and the stored pause flag always matches the dispatcher's.
 */
public final class Operator {
  /** The setting under which nodes sharing a store keep the limits an operator set. */
  public static final String SHARED_LIMITS = "limits";

  /** The setting under which nodes sharing a store keep the capacity schedule an operator set. */
  public static final String SHARED_SCHEDULE = "schedule";

  /** The control setting several nodes share the adaptive concurrency settings through. */
  public static final String SHARED_ADAPTIVE = "adaptive";

  /** The control setting several nodes share the partitions' weights and caps through. */
  public static final String SHARED_PARTITIONS = "partitions";

  /** The control setting several nodes share the batch size and wait through. */
  public static final String SHARED_BATCH = "batch";

  private final Sluice sluice;
  private final ControlStore store;
  private final ObjectMapper json = new ObjectMapper();
  private final List<Runnable> drainListeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile boolean draining;

  /** The state of the limits before and after a change, and its audit entry. */
  public record LimitsChange(Limits before, Limits after, AuditEntry entry) {}

  /** The capacity schedule before and after a change, and its audit entry. */
  public record ScheduleChange(CapacitySchedule before, CapacitySchedule after, AuditEntry entry) {}

  /** The adaptive concurrency settings before and after a change, and its audit entry. */
  public record AdaptiveChange(AdaptiveSettings before, AdaptiveSettings after, AuditEntry entry) {}

  /** The partitions' weights and caps before and after a change, and its audit entry. */
  public record PartitionsChange(PartitionShares before, PartitionShares after, AuditEntry entry) {}

  /** The batch settings before and after a change, and its audit entry. */
  public record BatchChange(BatchSettings before, BatchSettings after, AuditEntry entry) {}

  /** How many dead letters an action moved, and its audit entry. */
  public record DeadLettersChange(int count, AuditEntry entry) {}

  public Operator(Sluice sluice, ControlStore store) {
    this.sluice = Objects.requireNonNull(sluice, "sluice");
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Applies what the store kept from before a restart: a service left paused starts paused. Returns
   * whether it did.
   */
  public boolean restore() {
    synchronized (lock) {
      if (store.paused()) {
        sluice.dispatcher().pause();
        return true;
      }
      return false;
    }
  }

  public AuditEntry pause(Caller caller) {
    return setPaused(true, caller);
  }

  public AuditEntry resume(Caller caller) {
    return setPaused(false, caller);
  }

  private AuditEntry setPaused(boolean paused, Caller caller) {
    synchronized (lock) {
      boolean was = sluice.dispatcher().isPaused();
      // Stored first: if the store cannot commit, the dispatcher is left as it was.
      AuditEntry entry =
          store.recordPause(
              paused,
              entry(paused ? "pause" : "resume", caller, pausedJson(was), pausedJson(paused)));
      if (paused) {
        sluice.dispatcher().pause();
      } else {
        sluice.dispatcher().resume();
      }
      return entry;
    }
  }

  /**
   * Changes the limits with {@code change}, applied to the limits in force at this moment (so a
   * partial change never undoes another made meanwhile). An exception from {@code change} leaves
   * the limits as they were and records nothing.
   */
  public LimitsChange changeLimits(UnaryOperator<Limits> change, Caller caller) {
    synchronized (lock) {
      Limits before = sluice.limits();
      Limits after = Objects.requireNonNull(change.apply(before), "new limits");
      AuditEntry entry =
          recordShared(
              SHARED_LIMITS,
              limitsJson(after),
              entry("limits", caller, limitsJson(before), limitsJson(after)));
      sluice.dispatcher().setLimits(after);
      return new LimitsChange(before, after, entry);
    }
  }

  /**
   * Changes the capacity schedule with {@code change}, applied to the schedule in force at this
   * moment; audited as {@code schedule} with the schedule before and after. Its limits apply at
   * once, counting the releases already made. An exception from {@code change} leaves the schedule
   * as it was and records nothing.
   */
  public ScheduleChange changeSchedule(UnaryOperator<CapacitySchedule> change, Caller caller) {
    synchronized (lock) {
      CapacitySchedule before = sluice.schedule();
      CapacitySchedule after = Objects.requireNonNull(change.apply(before), "new schedule");
      AuditEntry entry =
          recordShared(
              SHARED_SCHEDULE,
              scheduleJson(after),
              entry("schedule", caller, scheduleJson(before), scheduleJson(after)));
      sluice.dispatcher().setSchedule(after);
      return new ScheduleChange(before, after, entry);
    }
  }

  /**
   * Records an audited change of a setting every node follows. Several nodes share it: stored with
   * the change, so every node follows it (and the node that holds the gate applies it); one node
   * keeps its own in memory and records the audit entry alone.
   */
  private AuditEntry recordShared(String setting, String value, AuditEntry audited) {
    return sluice.cluster() != null
        ? store.recordSetting(setting, value, audited)
        : store.record(audited);
  }

  /**
   * Changes the adaptive concurrency settings (switches it on or off, its floor, backoff and
   * latency bound) with {@code change}, applied to the settings in force. Audited as {@code
   * adaptive}; the adapted limit's own moves are not audited one by one (there are many a minute),
   * its last change and reason show in status. Several nodes share the settings as they share the
   * limits; each node adapts its own limit from its own answers, and the holder's is what counts.
   */
  public AdaptiveChange changeAdaptive(UnaryOperator<AdaptiveSettings> change, Caller caller) {
    synchronized (lock) {
      AdaptiveSettings before = sluice.dispatcher().adaptive().settings();
      AdaptiveSettings after = Objects.requireNonNull(change.apply(before), "new settings");
      AuditEntry entry =
          recordShared(
              SHARED_ADAPTIVE,
              adaptiveJson(after),
              entry("adaptive", caller, adaptiveJson(before), adaptiveJson(after)));
      sluice.dispatcher().adaptive().setSettings(after);
      sluice.dispatcher().wake();
      return new AdaptiveChange(before, after, entry);
    }
  }

  /**
   * Changes the partitions' weights and caps with {@code change}, applied to those in force;
   * audited as {@code partitions}. The next release step divides by them. Several nodes share them
   * as they share the limits. How events are put in partitions ({@code partitions.by}) is set in
   * the config file only: a store works an event's partition out when it takes the event in.
   *
   * @throws ConfigException when the backlog is not partitioned ({@code partitions.by: none})
   */
  public PartitionsChange changePartitions(UnaryOperator<PartitionShares> change, Caller caller) {
    synchronized (lock) {
      var sharing = sluice.dispatcher().partitions();
      if (sharing == null) {
        throw new ConfigException(
            "partitions: the backlog is not partitioned (partitions.by is none in the config"
                + " file), so weights and caps have nothing to divide");
      }
      PartitionShares before = sharing.shares();
      PartitionShares after = Objects.requireNonNull(change.apply(before), "new shares");
      // A cap below the batch size would hold that partition's batches back for good.
      var planner = sluice.dispatcher().batchPlanner();
      if (planner != null) {
        BatchDocument.checkAgainst(planner.settings(), planner.count(), after);
      }
      AuditEntry entry =
          recordShared(
              SHARED_PARTITIONS,
              partitionsJson(after),
              entry("partitions", caller, partitionsJson(before), partitionsJson(after)));
      sharing.setShares(after);
      sluice.dispatcher().wake();
      return new PartitionsChange(before, after, entry);
    }
  }

  /**
   * Changes the batch size K and the wait with {@code change}, applied to those in force; audited
   * as {@code batch}. The next release step forms its batches with them; batches already formed
   * keep their members. Several nodes share them as they share the limits. Whether jobs are batches
   * at all, and what the limits count, are set in the config file only: the release path and the
   * unit the gate's permits are held in cannot change under jobs in flight. Counting objects, K
   * must fit every limit, as in the config file.
   *
   * @throws ConfigException when batching is off, {@code change} would switch it off, or K does not
   *     fit the limits
   */
  public BatchChange changeBatch(UnaryOperator<BatchSettings> change, Caller caller) {
    synchronized (lock) {
      BatchPlanner planner = sluice.dispatcher().batchPlanner();
      if (planner == null) {
        throw new ConfigException(
            "batch.max: batching is off (batch.max is 1 in the config file) and is switched on in"
                + " the config file only: jobs of one event and batches are released by different"
                + " paths, which cannot change while jobs are in flight");
      }
      BatchSettings before = planner.settings();
      BatchSettings after = Objects.requireNonNull(change.apply(before), "new settings");
      if (!after.batching()) {
        throw new ConfigException(
            "batch.max: must stay above 1 at runtime, got "
                + after.max()
                + ": batching is switched off in the config file only, since batches in flight"
                + " and jobs of one event are released by different paths");
      }
      BatchDocument.checkAgainst(after, planner.count(), sluice.limits());
      PartitionSharing sharing = sluice.dispatcher().partitions();
      if (sharing != null) {
        BatchDocument.checkAgainst(after, planner.count(), sharing.shares());
      }
      AuditEntry entry =
          recordShared(
              SHARED_BATCH,
              batchJson(after),
              entry("batch", caller, batchJson(before), batchJson(after)));
      sluice.dispatcher().setBatchSettings(after);
      return new BatchChange(before, after, entry);
    }
  }

  /** Moves dead letters back to the backlog: these ids, or all for an empty list. */
  public DeadLettersChange redrive(List<Long> eventIds, Caller caller) {
    synchronized (lock) {
      long deadBefore = dead();
      int moved = sluice.backlog().redrive(List.copyOf(eventIds), sluice.time().now());
      sluice.dispatcher().wake();
      AuditEntry entry =
          store.record(
              entry(
                  "redrive",
                  caller,
                  deadJson(deadBefore, null, 0, null),
                  deadJson(dead(), "redriven", moved, eventIds)));
      return new DeadLettersChange(moved, entry);
    }
  }

  /** Deletes dead letters for good: these ids, or all for an empty list. */
  public DeadLettersChange purge(List<Long> eventIds, Caller caller) {
    synchronized (lock) {
      long deadBefore = dead();
      int purged = sluice.backlog().purge(List.copyOf(eventIds), sluice.time().now());
      AuditEntry entry =
          store.record(
              entry(
                  "purge",
                  caller,
                  deadJson(deadBefore, null, 0, null),
                  deadJson(dead(), "purged", purged, eventIds)));
      return new DeadLettersChange(purged, entry);
    }
  }

  /**
   * Stops taking new events; what is in the backlog is still released, and then the service ends
   * (see {@code SluiceService#drained()}). A drain is not undone; asking again is recorded and
   * changes nothing.
   */
  public AuditEntry drain(Caller caller) {
    synchronized (lock) {
      boolean was = draining;
      AuditEntry entry =
          store.record(entry("drain", caller, drainingJson(was), drainingJson(true)));
      draining = true;
      if (!was) {
        drainListeners.forEach(Runnable::run);
      }
      return entry;
    }
  }

  /** Whether intake is closed because the service drains. */
  public boolean draining() {
    return draining;
  }

  /** Runs {@code listener} once when a drain begins. */
  public void onDrain(Runnable listener) {
    drainListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The audit trail, newest first, before the given entry id (0 for the newest page). */
  public List<AuditEntry> audit(long beforeId, int limit) {
    return store.audit(beforeId, limit);
  }

  /** The running parts this operator steers. */
  public Sluice sluice() {
    return sluice;
  }

  private long dead() {
    return sluice.backlog().stats(sluice.time().now()).dead();
  }

  private AuditEntry entry(String action, Caller caller, String before, String after) {
    return AuditEntry.of(
        sluice.time().now(), action, caller.via(), caller.address(), before, after);
  }

  private String pausedJson(boolean paused) {
    return json.createObjectNode().put("paused", paused).toString();
  }

  private String drainingJson(boolean d) {
    return json.createObjectNode().put("draining", d).toString();
  }

  private String scheduleJson(CapacitySchedule schedule) {
    return ScheduleDocument.write(schedule, json).toString();
  }

  private String limitsJson(Limits limits) {
    return LimitsDocument.write(limits, json).toString();
  }

  private String partitionsJson(PartitionShares p) {
    return PartitionsDocument.write(p, json).toString();
  }

  private String batchJson(BatchSettings b) {
    return BatchDocument.write(b, json).toString();
  }

  private String adaptiveJson(AdaptiveSettings a) {
    return AdaptiveDocument.write(a, json).toString();
  }

  /** The dead-letter count, and for the state after an action what it moved and which ids. */
  private String deadJson(long dead, String moved, int count, List<Long> ids) {
    ObjectNode o = json.createObjectNode().put("dead", dead);
    if (moved != null) {
      o.put(moved, count);
      if (ids.isEmpty()) {
        o.put("ids", "all");
      } else {
        var arr = o.putArray("ids");
        ids.forEach(arr::add);
      }
    }
    return o.toString();
  }
}
