package dev.sluice.service.metrics;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.Pruned;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.dispatch.AdaptiveLimiter;
import dev.sluice.core.dispatch.DispatchObserver;
import dev.sluice.core.dispatch.PartitionSharing;
import dev.sluice.core.gate.Capacity;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.TimeSource;
import dev.sluice.ingest.IntakeObserver;
import dev.sluice.intake.DropCategory;
import dev.sluice.intake.Dropped;
import dev.sluice.service.cluster.ClusterNode;
import dev.sluice.sources.sqs.SqsSource;
import dev.sluice.sources.sqs.SqsSourceStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Every meter of a running service, in one Prometheus registry, fed by what the dispatcher and the
 * intake report ({@link DispatchObserver}, {@link IntakeObserver}) and by the SQS source's own
 * counts; only the backlog gauges read the backlog, through a snapshot kept for {@link
 * #BACKLOG_SNAPSHOT_AGE}. The meters and their meaning are listed in docs/metrics.md.
 */
public final class SluiceMetrics implements DispatchObserver, IntakeObserver {
  /**
   * How long one backlog snapshot serves the backlog gauges: a scrape reads it once, not thrice.
   */
  static final Duration BACKLOG_SNAPSHOT_AGE = Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Backlog backlog;
  private final TimeSource time;

  private final Counter released;
  private final Counter gateAdmitted;
  private final Counter gateWaited;
  private final Timer gateWait;
  private final Counter deadLettered;
  private final Counter prunedEvents;
  private final Counter prunedReleases;

  private final Counter batchesReleased;
  private final Counter partialBatches;
  private final Counter partiallyFailedBatches;
  private final DistributionSummary batchSize;
  private final AtomicLong batchMembers = new AtomicLong();

  /** Released and not yet closed by a settlement. */
  private final AtomicLong inFlight = new AtomicLong();

  /** Release ids of work the target began and whose end is not settled yet. */
  private final Set<Long> running = ConcurrentHashMap.newKeySet();

  private final Object snapshotLock = new Object();
  private BacklogStats snapshot;
  private long snapshotAtNanos;

  /**
   * @param backlog read for the backlog gauges
   * @param limits the limits in force (under a capacity schedule, those in effect now), read at
   *     each scrape
   */
  public SluiceMetrics(Backlog backlog, TimeSource time, Supplier<Limits> limits) {
    this.backlog = backlog;
    this.time = time;

    for (DropCategory c : DropCategory.values()) {
      dropped(c.label()); // every reason shows, zeros included
    }
    counter("sluice.rejected", "Records turned away because they could not be read", "records");
    batchesReleased =
        counter(
            "sluice.batch.released",
            "Batches released (jobs carrying several events; see batch: in the config)",
            "batches");
    partialBatches =
        counter(
            "sluice.batch.partial",
            "Batches released with fewer events than batch.max, once their oldest had waited"
                + " batch.wait",
            "batches");
    partiallyFailedBatches =
        counter(
            "sluice.batch.partially.failed",
            "Batches the target answered with some members failed and others not (only the failed"
                + " ones are retried)",
            "batches");
    batchSize =
        DistributionSummary.builder("sluice.batch.size")
            .description("Events per batch released")
            .baseUnit("events")
            .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10000)
            .register(registry);

    backlogGauge(
        "sluice.backlog.waiting",
        "Events waiting to be released (new or back for a retry)",
        "events",
        BacklogStats::waiting);
    backlogGauge(
        "sluice.backlog.due", "Waiting events whose due time has come", "events", s -> s.due());
    Gauge.builder("sluice.backlog.oldest.waiting.age", this, m -> m.oldestWaitingAgeSeconds())
        .description("Age of the oldest waiting event (since it was accepted); 0 when none waits")
        .baseUnit("seconds")
        .register(registry);

    // Read from the backlog's own record of its last write: cheap, no query.
    Gauge.builder("sluice.backlog.writable", backlog, b -> b.writeStatus().writable() ? 1 : 0)
        .description(
            "1 while the backlog commits writes, 0 after a write failed (disk full, I/O error)"
                + " until a commit adds data again")
        .register(registry);
    FunctionCounter.builder(
            "sluice.backlog.write.failures", backlog, b -> b.writeStatus().failedWrites())
        .description("Backlog writes that could not commit (disk full, I/O error, lock)")
        .register(registry);

    released =
        counter("sluice.released", "Events released to the target (each retry again)", "events");
    Gauge.builder("sluice.in.flight", inFlight, AtomicLong::get)
        .description("Releases not yet settled, running work included")
        .baseUnit("releases")
        .register(registry);
    Gauge.builder("sluice.running", running, Set::size)
        .description("Of those in flight: work the target began and whose end is not yet settled")
        .baseUnit("releases")
        .register(registry);
    for (String kind : List.of("retry", "throttled")) {
      retries(kind);
    }
    deadLettered = counter("sluice.dead.lettered", "Events moved to the dead letters", "events");
    prunedEvents = pruned("events");
    prunedReleases = pruned("releases");

    limitGauge(
        "sluice.limit.window.limit",
        "Releases allowed per window; NaN when no window limit is set",
        "events",
        limits,
        l -> l.window() == null ? Double.NaN : l.window().limit());
    limitGauge(
        "sluice.limit.window.length",
        "Length of the window; NaN when no window limit is set",
        "seconds",
        limits,
        l -> l.window() == null ? Double.NaN : l.window().every().toNanos() / 1e9);
    limitGauge(
        "sluice.limit.rate",
        "Sustained release rate; NaN when no rate limit is set",
        "events_per_second",
        limits,
        l -> l.rate() == null ? Double.NaN : l.rate().perSecond());
    limitGauge(
        "sluice.limit.rate.burst",
        "Releases allowed at once above the rate; NaN when no rate limit is set",
        "events",
        limits,
        l -> l.rate() == null ? Double.NaN : l.rate().burst());
    limitGauge(
        "sluice.limit.max.in.flight",
        "Most releases in flight at once; NaN when not limited",
        "releases",
        limits,
        l -> l.maxInFlight() == null ? Double.NaN : l.maxInFlight());

    gateAdmitted = gateDecision("admitted");
    gateWaited = gateDecision("waited");
    gateWait =
        Timer.builder("sluice.gate.wait")
            .description(
                "Time the gate held releases back: from the first refusal after a release to the"
                    + " next release")
            .register(registry);
  }

  /** The registry, for meters of other parts. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Every meter in the Prometheus text format. */
  public String scrape() {
    refreshPartitions();
    return registry.scrape();
  }

  /**
   * Partitions shown at most: the busiest (most due, then most in flight), and those named in the
   * weights or caps. A prefix rule over many tenants can make thousands busy; a series each would
   * swamp the metrics store.
   */
  static final int PARTITIONS_SHOWN = 50;

  private volatile PartitionSharing partitions;
  private MultiGauge partitionDue;
  private MultiGauge partitionInFlight;
  private MultiGauge partitionReleased;
  private MultiGauge partitionWeight;
  private MultiGauge partitionShare;
  private MultiGauge partitionCap;

  /**
   * The fair share between partitions, per partition (label {@code partition}), read at each
   * scrape: at most {@link #PARTITIONS_SHOWN} partitions, so the series stay bounded.
   */
  public void watch(PartitionSharing sharing) {
    partitionDue =
        multiGauge(
            "sluice.partition.due",
            "Due events of the partition at the last release step that found work (counted up to"
                + " that step's permits)",
            "events");
    partitionInFlight =
        multiGauge(
            "sluice.partition.in.flight",
            "Events of the partition released and not yet settled (what its cap counts)",
            "events");
    partitionReleased =
        multiGauge(
            "sluice.partition.released.last.minute",
            "Events of the partition released within the last minute",
            "events");
    partitionWeight = multiGauge("sluice.partition.weight", "Weight of the partition", null);
    partitionShare =
        multiGauge(
            "sluice.partition.share",
            "The partition's weight over the weights of the busy partitions (0 to 1): its part of"
                + " a full limit while all want more",
            null);
    partitionCap =
        multiGauge(
            "sluice.partition.cap",
            "Most events of the partition in flight at once (only partitions with a cap)",
            "events");
    this.partitions = sharing;
  }

  private MultiGauge multiGauge(String name, String description, String unit) {
    MultiGauge.Builder b = MultiGauge.builder(name).description(description);
    if (unit != null) {
      b = b.baseUnit(unit);
    }
    return b.register(registry);
  }

  private synchronized void refreshPartitions() {
    PartitionSharing sharing = partitions;
    if (sharing == null) {
      return;
    }
    List<PartitionSharing.View> views = sharing.view(time.now(), PARTITIONS_SHOWN);
    List<MultiGauge.Row<?>> due = new ArrayList<>();
    List<MultiGauge.Row<?>> inFlightRows = new ArrayList<>();
    List<MultiGauge.Row<?>> releasedRows = new ArrayList<>();
    List<MultiGauge.Row<?>> weights = new ArrayList<>();
    List<MultiGauge.Row<?>> shares = new ArrayList<>();
    List<MultiGauge.Row<?>> caps = new ArrayList<>();
    for (PartitionSharing.View v : views) {
      Tags tags = Tags.of("partition", v.partition());
      due.add(MultiGauge.Row.of(tags, v.due()));
      inFlightRows.add(MultiGauge.Row.of(tags, v.inFlight()));
      releasedRows.add(MultiGauge.Row.of(tags, v.releasedLastMinute()));
      weights.add(MultiGauge.Row.of(tags, v.weight()));
      shares.add(MultiGauge.Row.of(tags, v.share()));
      if (v.cap() != null) {
        caps.add(MultiGauge.Row.of(tags, v.cap()));
      }
    }
    // Overwrite: a partition that is no longer shown loses its series.
    partitionDue.register(due, true);
    partitionInFlight.register(inFlightRows, true);
    partitionReleased.register(releasedRows, true);
    partitionWeight.register(weights, true);
    partitionShare.register(shares, true);
    partitionCap.register(caps, true);
  }

  /** Counts what the SQS source did, read from its own counts at each scrape. */
  public void pruned(Pruned pruned) {
    prunedEvents.increment(pruned.events());
    prunedReleases.increment(pruned.releases());
  }

  /**
   * The capacity schedule: whether a blackout holds now, and when the limits in effect next change,
   * read at each scrape ({@code sluice.limit.*} show the limits in effect when given them).
   */
  public void watchCapacity(Supplier<Capacity> capacity) {
    Gauge.builder("sluice.schedule.blackout", capacity, c -> c.get().blackout() ? 1 : 0)
        .description("1 while a blackout of the capacity schedule holds (nothing is released)")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "sluice.schedule.next.change",
            capacity,
            c -> {
              Instant next = c.get().nextChange();
              return next == null ? Double.NaN : next.toEpochMilli() / 1e3;
            })
        .description(
            "When the capacity schedule next changes the limits in effect (Unix time); NaN when"
                + " it never does")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    Gauge.builder("sluice.schedule.rules.holding", capacity, c -> c.get().rules().size())
        .description("Rules of the capacity schedule holding now (0: the base limits)")
        .baseUnit("rules")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Several nodes on one store: whether this node holds the gate (the one releasing) and the epoch
   * of the term it holds, read at each scrape.
   */
  public void watch(ClusterNode node) {
    Gauge.builder("sluice.gate.held", node, n -> n.heldTerm().isPresent() ? 1 : 0)
        .description(
            "1 while this node holds the gate (the one node of several that releases), else 0")
        .register(registry);
    Gauge.builder("sluice.gate.epoch", node, n -> n.heldTerm().map(t -> t.epoch()).orElse(0L))
        .description(
            "Epoch of the gate term this node holds (goes up at every change of holder), 0 when"
                + " it holds none")
        .register(registry);
  }

  /** The adapted concurrency: its limit now (NaN while off) and its moves, read at each scrape. */
  public void watch(AdaptiveLimiter adaptive) {
    Gauge.builder("sluice.adaptive.limit", adaptive, a -> adaptiveLimit(a.state()))
        .description(
            "Releases in flight the adaptive limit allows now (lowered when the target throttles,"
                + " raised as it recovers, never above the configured ceiling); NaN when off")
        .baseUnit("releases")
        .register(registry);
    Gauge.builder("sluice.adaptive.ceiling", adaptive, a -> a.state().ceiling())
        .description(
            "Ceiling the adaptive limit moves under: max-in-flight if set, else the workers")
        .baseUnit("releases")
        .register(registry);
    FunctionCounter.builder("sluice.adaptive.decreases", adaptive, a -> a.state().decreases())
        .description("Times the adaptive limit was lowered (a throttle or a slow answer)")
        .register(registry);
    FunctionCounter.builder("sluice.adaptive.increases", adaptive, a -> a.state().increases())
        .description("Times the adaptive limit was raised by one as the target kept up")
        .register(registry);
    Gauge.builder("sluice.adaptive.rate.factor", adaptive, a -> a.state().rate().factor())
        .description(
            "Share of the window and rate limits in effect the adaptive rate allows now (1 when"
                + " the rate does not adapt)")
        .register(registry);
    Gauge.builder(
            "sluice.adaptive.window.limit",
            adaptive,
            a -> nanIfNull(a.state().rate().windowLimitNow()))
        .description(
            "Releases per window allowed now: the window in effect times the adaptive rate"
                + " factor; NaN with no window")
        .baseUnit("releases")
        .register(registry);
    Gauge.builder(
            "sluice.adaptive.rate.per.second",
            adaptive,
            a -> nanIfNull(a.state().rate().ratePerSecondNow()))
        .description(
            "Releases per second the rate limit allows now: the rate in effect times the adaptive"
                + " rate factor; NaN with no rate")
        .register(registry);
    FunctionCounter.builder(
            "sluice.adaptive.rate.decreases", adaptive, a -> a.state().rate().decreases())
        .description("Times the adaptive rate factor was lowered (a throttle or a slow answer)")
        .register(registry);
    FunctionCounter.builder(
            "sluice.adaptive.rate.increases", adaptive, a -> a.state().rate().increases())
        .description("Times the adaptive rate factor was raised as the target kept up")
        .register(registry);
  }

  private static double nanIfNull(Number n) {
    return n == null ? Double.NaN : n.doubleValue();
  }

  /**
   * The batch size K and the wait in force ({@code settings}, read at each scrape: they change at
   * runtime); 1 and 0 without batching.
   */
  public void watchBatchSettings(Supplier<BatchSettings> settings) {
    Gauge.builder("sluice.batch.max", settings, s -> s.get().max())
        .description("Most events one job carries (batch.max); 1 without batching")
        // The registry holds a gauge's object weakly; nothing else holds this supplier.
        .strongReference(true)
        .register(registry);
    Gauge.builder("sluice.batch.wait", settings, s -> s.get().maxWait().toNanos() / 1e9)
        .description(
            "How long the oldest due event of a partition waits for its batch to fill"
                + " (batch.wait)")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }

  private static double adaptiveLimit(AdaptiveLimiter.State s) {
    return s.enabled() ? s.limit() : Double.NaN;
  }

  public void watch(SqsSource source) {
    sqsCounter(
        "sluice.sqs.received",
        "SQS messages received (a redelivery counts again)",
        "messages",
        source,
        SqsSourceStats::received);
    sqsCounter(
        "sluice.sqs.deleted",
        "SQS messages deleted after their events were committed",
        "messages",
        source,
        SqsSourceStats::deleted);
    sqsCounter(
        "sluice.sqs.unreadable",
        "SQS messages that can never be read, left on the queue for its redrive policy",
        "messages",
        source,
        SqsSourceStats::leftForRedrive);
    sqsCounter(
        "sluice.sqs.errors",
        "Failed SQS calls and commits of received batches, each followed by a backoff",
        "errors",
        source,
        SqsSourceStats::failures);
    sqsCounter(
        "sluice.sqs.visibility.extensions",
        "ChangeMessageVisibilityBatch calls made to keep a batch invisible while it commits",
        "calls",
        source,
        SqsSourceStats::visibilityExtensions);
  }

  // --- intake

  @Override
  public void appended(String source, AppendResult result) {
    accepted(source).increment(result.accepted());
    duplicates(source).increment(result.duplicates());
  }

  @Override
  public void dropped(List<Dropped> dropped) {
    for (Dropped d : dropped) {
      dropped(d.category().label()).increment();
    }
  }

  @Override
  public void rejected(int records) {
    counter("sluice.rejected", "Records turned away because they could not be read", "records")
        .increment(records);
  }

  // --- dispatcher

  @Override
  public void released(List<Job> jobs, Instant at, Duration heldByGate) {
    released.increment(jobs.size());
    inFlight.addAndGet(jobs.size());
    gateAdmitted.increment();
    if (!heldByGate.isZero()) {
      gateWait.record(heldByGate);
    }
  }

  @Override
  public void batchReleased(Batch batch, boolean partial) {
    batchesReleased.increment();
    batchMembers.addAndGet(batch.size());
    batchSize.record(batch.size());
    if (partial) {
      partialBatches.increment();
    }
  }

  @Override
  public void batchAnswered(Batch batch, BatchOutcome outcome, Duration atTarget) {
    if (outcome.partiallyFailed(batch)) {
      partiallyFailedBatches.increment();
    }
  }

  /** Batches since start, for the status: released, their events, partial, partially failed. */
  public record BatchCounts(long released, long events, long partial, long partiallyFailed) {
    /** Mean events per batch, 0 before the first. */
    public double meanSize() {
      return released == 0 ? 0.0 : (double) events / released;
    }
  }

  public BatchCounts batchCounts() {
    return new BatchCounts(
        (long) batchesReleased.count(),
        batchMembers.get(),
        (long) partialBatches.count(),
        (long) partiallyFailedBatches.count());
  }

  @Override
  public void gateRefused(Instant at) {
    gateWaited.increment();
  }

  @Override
  public void answered(Job job, Outcome outcome, Duration atTarget) {
    Timer.builder("sluice.target.latency")
        .description("Time the target took to answer a call, by its answer")
        .tag("outcome", outcome.label())
        .publishPercentileHistogram()
        .register(registry)
        .record(atTarget);
  }

  @Override
  public void ended(Job job, Outcome outcome, Duration sinceReached) {
    Timer.builder("sluice.started.work")
        .description(
            "Time from starting asynchronous work at the target to the report of its end, by"
                + " how it ended")
        .tag("outcome", outcome.label())
        .publishPercentileHistogram()
        .register(registry)
        .record(sinceReached);
  }

  @Override
  public void settled(List<Settlement> settlements, Instant at) {
    long closed = 0;
    for (Settlement s : settlements) {
      switch (s.kind()) {
        case STARTED -> running.add(s.job().releaseId());
        case RETRY -> retries("retry").increment();
        case THROTTLED -> retries("throttled").increment();
        case DEAD -> deadLettered.increment();
        case DONE -> {}
      }
      if (s.closesRelease()) {
        closed++;
        running.remove(s.job().releaseId());
        Counter.builder("sluice.closed")
            .description("Releases closed, by the outcome recorded on them")
            .baseUnit("releases")
            .tag("outcome", s.outcome())
            .register(registry)
            .increment();
      }
    }
    inFlight.addAndGet(-closed);
  }

  // --- meters

  private Counter accepted(String source) {
    return Counter.builder("sluice.accepted")
        .description("Events committed to the backlog as new, by source")
        .baseUnit("events")
        .tag("source", source)
        .register(registry);
  }

  private Counter duplicates(String source) {
    return Counter.builder("sluice.duplicate")
        .description("Events the backlog already held (a repeated notification), by source")
        .baseUnit("events")
        .tag("source", source)
        .register(registry);
  }

  private Counter dropped(String reason) {
    return Counter.builder("sluice.dropped")
        .description("Records deliberately not kept, by reason")
        .baseUnit("events")
        .tag("reason", reason)
        .register(registry);
  }

  private Counter retries(String kind) {
    return Counter.builder("sluice.retries")
        .description(
            "Events sent back to wait for another release: retry spends an attempt, throttled"
                + " does not")
        .baseUnit("retries")
        .tag("kind", kind)
        .register(registry);
  }

  private Counter gateDecision(String decision) {
    return Counter.builder("sluice.gate.decisions")
        .description(
            "Answers of the gate when workers were free: admitted (events went out) or waited (the"
                + " limits allowed none)")
        .baseUnit("decisions")
        .tag("decision", decision)
        .register(registry);
  }

  /** One meter for both kinds, so a dashboard sums or splits them by the label. */
  private Counter pruned(String kind) {
    return Counter.builder("sluice.pruned")
        .description(
            "Rows deleted by retention: done and purged events after retention.dedup (kind"
                + " events), closed releases after retention.releases (kind releases)")
        .baseUnit("rows")
        .tag("kind", kind)
        .register(registry);
  }

  private Counter counter(String name, String description, String unit) {
    return Counter.builder(name).description(description).baseUnit(unit).register(registry);
  }

  private void backlogGauge(
      String name, String description, String unit, ToDoubleFunction<BacklogStats> read) {
    Gauge.builder(name, this, m -> read.applyAsDouble(m.backlogStats()))
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  private void limitGauge(
      String name,
      String description,
      String unit,
      Supplier<Limits> limits,
      Function<Limits, Double> read) {
    // Held strongly: a gauge keeps its object weakly, and nothing else keeps this supplier.
    Gauge.builder(name, limits, l -> read.apply(l.get()))
        .description(description)
        .baseUnit(unit)
        .strongReference(true)
        .register(registry);
  }

  private void sqsCounter(
      String name,
      String description,
      String unit,
      SqsSource source,
      ToDoubleFunction<SqsSourceStats> read) {
    FunctionCounter.builder(name, source, s -> read.applyAsDouble(s.stats()))
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  private double oldestWaitingAgeSeconds() {
    Instant oldest = backlogStats().oldestWaiting();
    if (oldest == null) {
      return 0;
    }
    return Math.max(0, Duration.between(oldest, time.now()).toNanos() / 1e9);
  }

  private BacklogStats backlogStats() {
    synchronized (snapshotLock) {
      long now = time.nanoTime();
      if (snapshot == null || now - snapshotAtNanos >= BACKLOG_SNAPSHOT_AGE.toNanos()) {
        snapshot = backlog.stats(time.instantAt(now));
        snapshotAtNanos = now;
      }
      return snapshot;
    }
  }
}
