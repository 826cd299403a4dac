package dev.sluice.core.backlog;

import dev.sluice.core.EventIdentity;
import dev.sluice.core.Job;
import dev.sluice.core.ListedObject;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionQuotas;
import dev.sluice.core.partition.PartitionRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link Backlog} held in memory: thread-safe and deterministic, but not durable. For tests of
 * the dispatcher and the gates; a restart loses everything, so it must never stand where "accepted
 * means durable" has to hold.
 *
 * <p>It follows the same rules as the durable stores (checked by the testkit's {@code
 * BacklogContract}): a reclaimed expired lease closes the lost release as {@code expired}, and
 * {@link #abandonLeases} closes open releases as {@code abandoned}.
 */
public final class InMemoryBacklog implements Backlog {

  private enum State {
    WAITING,
    LEASED,
    DONE,
    DEAD,
    PURGED
  }

  /** Where an event stands in a claim queue: due time (or lease end), then arrival. */
  private record DueKey(Instant due, long eventId) {
    static final Comparator<DueKey> ORDER =
        Comparator.comparing(DueKey::due).thenComparingLong(DueKey::eventId);
  }

  /** Open (waiting or leased) changes per key, so a later change waits for an earlier one. */
  private final KeyOrder keyOrder = new KeyOrder();

  private static final class Entry {
    final long id;
    final ObjectEvent event;
    final String partition;
    final Instant acceptedAt;
    State state = State.WAITING;
    Instant dueAt;
    Instant leaseUntil;
    int attempts;
    Release lastRelease;
    String lastError;
    Instant deadAt;
    Instant settledAt;

    Entry(long id, ObjectEvent event, String partition, Instant acceptedAt) {
      this.id = id;
      this.event = event;
      this.partition = partition;
      this.acceptedAt = acceptedAt;
      this.dueAt = acceptedAt;
    }
  }

  private static final class Release {
    final long id;
    final Entry entry;
    final int attempt;
    final Instant releasedAt;
    Instant reachedAt;
    Long batch;
    Instant answeredAt;
    String outcome;
    Instant finishedAt;
    String error;

    Release(long id, Entry entry, int attempt, Instant releasedAt) {
      this.id = id;
      this.entry = entry;
      this.attempt = attempt;
      this.releasedAt = releasedAt;
    }

    void close(String outcome, Instant at, String error) {
      if (this.outcome == null) {
        this.outcome = outcome;
        this.finishedAt = at;
        this.error = error;
      }
    }

    void close(Settlement s, Instant at) {
      record(s);
      close(s.outcome(), at, s.error());
    }

    /** Keeps the times at the target; a later settlement that does not know them keeps these. */
    void record(Settlement s) {
      if (this.outcome == null) {
        this.reachedAt = s.reachedAt() != null ? s.reachedAt() : reachedAt;
        this.answeredAt = s.answeredAt() != null ? s.answeredAt() : answeredAt;
        this.batch = s.batch() != null ? s.batch() : batch;
      }
    }

    /** See {@link Backlog#startTimes}. */
    Instant startedBy() {
      return answeredAt != null ? answeredAt : finishedAt != null ? finishedAt : releasedAt;
    }

    ReleaseRecord toRecord(boolean eventKept) {
      ObjectEvent e = entry.event;
      return new ReleaseRecord(
          id,
          entry.id,
          eventKept ? e.identity().asString() : null,
          eventKept ? e.bucket() : null,
          eventKept ? e.key() : null,
          attempt,
          releasedAt,
          reachedAt,
          answeredAt,
          outcome,
          finishedAt,
          error,
          outcome == null && entry.state == State.LEASED && entry.lastRelease == this
              ? entry.leaseUntil
              : null,
          batch);
    }
  }

  private final PartitionRule partitionRule;
  private final Map<EventIdentity, Entry> byIdentity = new HashMap<>();
  private final Map<Long, Entry> byId = new HashMap<>();
  private final NavigableSet<DueKey> waiting = new TreeSet<>(DueKey.ORDER);
  private final NavigableSet<DueKey> leased = new TreeSet<>(DueKey.ORDER);
  private final NavigableMap<Long, Entry> dead = new TreeMap<>();
  private final NavigableMap<Long, Release> releases = new TreeMap<>();
  private long done;
  private long nextEventId = 1;
  private long nextReleaseId = 1;
  private boolean closed;

  /** A backlog with no partitions (every event in partition {@code ""}). */
  public InMemoryBacklog() {
    this(PartitionRule.NONE);
  }

  /** A backlog that keeps each event's partition by {@code partitionRule}. */
  public InMemoryBacklog(PartitionRule partitionRule) {
    this.partitionRule = Objects.requireNonNull(partitionRule, "partitionRule");
  }

  @Override
  public synchronized AppendResult append(List<ObjectEvent> events, Instant now) {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(now, "now");
    open();
    int accepted = 0;
    for (ObjectEvent event : events) {
      Objects.requireNonNull(event, "event");
      EventIdentity identity = event.identity();
      if (byIdentity.containsKey(identity)) {
        continue;
      }
      Entry entry =
          new Entry(
              nextEventId++, event, partitionRule.partitionOf(event.bucket(), event.key()), now);
      byIdentity.put(identity, entry);
      byId.put(entry.id, entry);
      waiting.add(new DueKey(now, entry.id));
      keyOrder.opened(entry.event);
      accepted++;
    }
    return new AppendResult(accepted, events.size() - accepted);
  }

  @Override
  public synchronized List<Job> claim(
      List<Instant> releaseTimes, Duration lease, Instant now, PartitionQuotas quotas) {
    BacklogArguments.checkClaim(releaseTimes, lease, now, quotas);
    open();
    List<DueKey> chosen = oldestDue(releaseTimes.size(), now, quotas);
    Instant leaseUntil = now.plus(lease);
    List<Job> jobs = new ArrayList<>(chosen.size());
    for (DueKey key : chosen) {
      Instant releasedAt = releaseTimes.get(jobs.size());
      Entry entry = byId.get(key.eventId());
      if (entry.state == State.LEASED) {
        leased.remove(key);
        entry.lastRelease.close(BacklogArguments.EXPIRED, now, null);
      } else {
        waiting.remove(key);
      }
      entry.state = State.LEASED;
      entry.attempts++;
      entry.leaseUntil = leaseUntil;
      Release release = new Release(nextReleaseId++, entry, entry.attempts, releasedAt);
      releases.put(release.id, release);
      entry.lastRelease = release;
      leased.add(new DueKey(leaseUntil, entry.id));
      jobs.add(new Job(entry.id, release.id, release.attempt, releasedAt, entry.event));
    }
    return jobs;
  }

  /**
   * Merges the heads of the waiting and the expired-lease queues, oldest due first, taking no more
   * from a partition than its quota.
   */
  private List<DueKey> oldestDue(int max, Instant now, PartitionQuotas quotas) {
    Map<String, Integer> taken = new HashMap<>();
    DueKey bound = new DueKey(now, Long.MAX_VALUE);
    Iterator<DueKey> w = waiting.headSet(bound, true).iterator();
    Iterator<DueKey> l = leased.headSet(bound, true).iterator();
    List<DueKey> chosen = new ArrayList<>();
    DueKey nextW = w.hasNext() ? w.next() : null;
    DueKey nextL = l.hasNext() ? l.next() : null;
    while (chosen.size() < max && (nextW != null || nextL != null)) {
      DueKey next;
      if (nextL == null || (nextW != null && DueKey.ORDER.compare(nextW, nextL) <= 0)) {
        next = nextW;
        nextW = w.hasNext() ? w.next() : null;
      } else {
        next = nextL;
        nextL = l.hasNext() ? l.next() : null;
      }
      Entry entry = byId.get(next.eventId());
      if (!quotas.isAny() && taken.getOrDefault(entry.partition, 0) >= quotas.of(entry.partition)) {
        continue;
      }
      if (keyOrder.mayStart(entry.event)) {
        chosen.add(next);
        taken.merge(entry.partition, 1, Integer::sum);
      }
    }
    return chosen;
  }

  /** Both under this backlog's monitor, so nothing comes between them. */
  @Override
  public synchronized List<Job> settleAndClaim(
      List<Settlement> settlements,
      List<Instant> releaseTimes,
      Duration lease,
      Instant now,
      PartitionQuotas quotas) {
    settle(settlements, now);
    return claim(releaseTimes, lease, now, quotas);
  }

  /** A test double: walks every due event. */
  @Override
  public synchronized List<PartitionDue> duePartitions(Instant now, int countUpTo) {
    BacklogArguments.checkDuePartitions(now, countUpTo);
    open();
    DueKey bound = new DueKey(now, Long.MAX_VALUE);
    Map<String, Integer> counts = new TreeMap<>();
    Map<String, Instant> oldest = new HashMap<>();
    for (NavigableSet<DueKey> queue : List.of(waiting, leased)) {
      for (DueKey key : queue.headSet(bound, true)) {
        String partition = byId.get(key.eventId()).partition;
        counts.merge(partition, 1, (a, b) -> Math.min(countUpTo, a + b));
        oldest.merge(partition, key.due(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    List<PartitionDue> due = new ArrayList<>(counts.size());
    counts.forEach((p, n) -> due.add(new PartitionDue(p, n, oldest.get(p))));
    return due;
  }

  @Override
  public synchronized void settle(List<Settlement> settlements, Instant now) {
    Objects.requireNonNull(settlements, "settlements");
    Objects.requireNonNull(now, "now");
    open();
    for (Settlement s : settlements) {
      Entry entry = byId.get(s.job().eventId());
      if (entry == null
          || entry.state != State.LEASED
          || entry.lastRelease.id != s.job().releaseId()) {
        continue; // the lease was lost to a newer claim, or this job was settled already
      }
      leased.remove(new DueKey(entry.leaseUntil, entry.id));
      if (s.kind() == Settlement.Kind.STARTED) {
        // The work runs on: the release stays open and the lease lasts until the hold ends.
        entry.lastRelease.record(s);
        entry.leaseUntil = s.retryAt();
        leased.add(new DueKey(entry.leaseUntil, entry.id));
        continue;
      }
      entry.leaseUntil = null;
      entry.lastRelease.close(s, now);
      entry.lastError = s.error();
      switch (s.kind()) {
        case DONE -> {
          entry.state = State.DONE;
          entry.settledAt = now;
          keyOrder.closed(entry.event);
          done++;
        }
        case RETRY, THROTTLED -> {
          if (s.kind() == Settlement.Kind.THROTTLED) {
            entry.attempts--; // the target refused the job: nothing was tried
          }
          entry.state = State.WAITING;
          entry.dueAt = s.retryAt();
          waiting.add(new DueKey(entry.dueAt, entry.id));
        }
        case DEAD -> {
          entry.state = State.DEAD;
          keyOrder.closed(entry.event);
          entry.deadAt = now;
          dead.put(entry.id, entry);
        }
        case STARTED -> throw new AssertionError("handled above");
      }
    }
  }

  @Override
  public synchronized int abandonLeases(Instant now) {
    Objects.requireNonNull(now, "now");
    open();
    int returned = 0;
    for (DueKey key : List.copyOf(leased)) {
      Entry entry = byId.get(key.eventId());
      entry.lastRelease.close(BacklogArguments.ABANDONED, now, null);
      entry.state = State.WAITING;
      entry.leaseUntil = null;
      entry.dueAt = now;
      waiting.add(new DueKey(now, entry.id));
      returned++;
    }
    leased.clear();
    return returned;
  }

  @Override
  public synchronized BacklogStats stats(Instant now) {
    Objects.requireNonNull(now, "now");
    open();
    long due = waiting.headSet(new DueKey(now, Long.MAX_VALUE), true).size();
    Instant oldest = null;
    for (DueKey key : waiting) {
      Instant accepted = byId.get(key.eventId()).acceptedAt;
      if (oldest == null || accepted.isBefore(oldest)) {
        oldest = accepted;
      }
    }
    return new BacklogStats(
        waiting.size(), due, leased.size(), done, dead.size(), releases.size(), oldest);
  }

  @Override
  public synchronized List<EventLocation> locate(String bucket, String key, Instant now) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(now, "now");
    open();
    // A test double: a scan is fine here.
    List<Entry> found = new ArrayList<>();
    for (Entry e : byId.values()) {
      if (e.event.bucket().equals(bucket) && e.event.key().equals(key)) {
        found.add(e);
      }
    }
    found.sort(Comparator.comparingLong(e -> e.id));
    if (found.size() > LOCATE_LIMIT) {
      found = found.subList(found.size() - LOCATE_LIMIT, found.size());
    }
    List<EventLocation> out = new ArrayList<>(found.size());
    for (Entry e : found) {
      Long ahead = null;
      Long aheadInPartition = null;
      Instant dueAt = null;
      if (e.state == State.WAITING) {
        DueKey mine = new DueKey(e.dueAt, e.id);
        DueKey expired = new DueKey(now, Long.MAX_VALUE);
        DueKey bound = DueKey.ORDER.compare(mine, expired) < 0 ? mine : expired;
        ahead = (long) waiting.headSet(mine, false).size() + leased.headSet(bound, false).size();
        aheadInPartition =
            inPartition(waiting.headSet(mine, false), e.partition)
                + inPartition(leased.headSet(bound, false), e.partition);
        dueAt = e.dueAt;
      }
      out.add(
          new EventLocation(
              e.id,
              e.event,
              status(e),
              e.attempts,
              e.acceptedAt,
              dueAt,
              ahead,
              e.lastError,
              e.partition,
              aheadInPartition));
    }
    return out;
  }

  private long inPartition(Set<DueKey> keys, String partition) {
    return keys.stream().filter(k -> byId.get(k.eventId()).partition.equals(partition)).count();
  }

  @Override
  public synchronized List<Boolean> known(List<ListedObject> objects) {
    Objects.requireNonNull(objects, "objects");
    open();
    // A test double: one pass over the events, then a lookup per object.
    Map<List<String>, List<ObjectEvent>> byKey = new HashMap<>();
    for (Entry e : byId.values()) {
      byKey
          .computeIfAbsent(List.of(e.event.bucket(), e.event.key()), k -> new ArrayList<>())
          .add(e.event);
    }
    List<Boolean> known = new ArrayList<>(objects.size());
    for (ListedObject o : objects) {
      known.add(
          byKey.getOrDefault(List.of(o.bucket(), o.key()), List.of()).stream()
              .anyMatch(o::matches));
    }
    return known;
  }

  private static EventLocation.EventStatus status(Entry e) {
    return switch (e.state) {
      case WAITING -> EventLocation.EventStatus.WAITING;
      case LEASED ->
          e.lastRelease != null && e.lastRelease.answeredAt != null
              ? EventLocation.EventStatus.RUNNING
              : EventLocation.EventStatus.LEASED;
      case DONE -> EventLocation.EventStatus.DONE;
      case DEAD -> EventLocation.EventStatus.DEAD;
      case PURGED -> EventLocation.EventStatus.PURGED;
    };
  }

  @Override
  public synchronized List<DeadLetter> deadLetters(long afterEventId, int limit) {
    BacklogArguments.checkLimit(limit);
    open();
    List<DeadLetter> page = new ArrayList<>();
    for (Entry entry : dead.tailMap(afterEventId, false).values()) {
      if (page.size() == limit) {
        break;
      }
      page.add(
          new DeadLetter(entry.id, entry.event, entry.attempts, entry.lastError, entry.deadAt));
    }
    return page;
  }

  @Override
  public synchronized int redrive(List<Long> eventIds, Instant now) {
    Objects.requireNonNull(eventIds, "eventIds");
    Objects.requireNonNull(now, "now");
    open();
    List<Long> ids = eventIds.isEmpty() ? List.copyOf(dead.keySet()) : eventIds;
    int moved = 0;
    for (Long id : ids) {
      Entry entry = dead.remove(id);
      if (entry == null) {
        continue;
      }
      entry.state = State.WAITING;
      keyOrder.opened(entry.event);
      entry.attempts = 0;
      entry.deadAt = null;
      entry.dueAt = now;
      waiting.add(new DueKey(now, entry.id));
      moved++;
    }
    return moved;
  }

  @Override
  public synchronized int purge(List<Long> eventIds, Instant now) {
    Objects.requireNonNull(eventIds, "eventIds");
    Objects.requireNonNull(now, "now");
    open();
    List<Long> ids = eventIds.isEmpty() ? List.copyOf(dead.keySet()) : eventIds;
    int purged = 0;
    for (Long id : ids) {
      Entry entry = dead.remove(Objects.requireNonNull(id, "event id"));
      if (entry != null) {
        entry.state = State.PURGED;
        entry.settledAt = now;
        purged++;
      }
    }
    return purged;
  }

  @Override
  public synchronized List<ReleaseRecord> releases(Instant since, long afterReleaseId, int limit) {
    Objects.requireNonNull(since, "since");
    BacklogArguments.checkLimit(limit);
    open();
    List<ReleaseRecord> page = new ArrayList<>();
    for (Release release : releases.tailMap(afterReleaseId, false).values()) {
      if (page.size() == limit) {
        break;
      }
      if (!release.releasedAt.isBefore(since)) {
        page.add(release.toRecord(byId.containsKey(release.entry.id)));
      }
    }
    return page;
  }

  @Override
  public synchronized List<ReleaseRecord> openReleases(
      Instant releasedBefore, long afterReleaseId, int limit) {
    Objects.requireNonNull(releasedBefore, "releasedBefore");
    BacklogArguments.checkLimit(limit);
    open();
    List<ReleaseRecord> page = new ArrayList<>();
    for (Release release : releases.tailMap(afterReleaseId, false).values()) {
      if (page.size() == limit || !release.releasedAt.isBefore(releasedBefore)) {
        break; // release times follow release ids
      }
      Entry entry = release.entry;
      if (release.outcome == null
          && entry.state == State.LEASED
          && entry.lastRelease == release
          && byId.containsKey(entry.id)) {
        page.add(release.toRecord(true));
      }
    }
    return page;
  }

  @Override
  public synchronized List<Instant> startTimes(Instant since, Duration maxStartDelay) {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(maxStartDelay, "maxStartDelay");
    open();
    Instant releasedSince = since.minus(maxStartDelay);
    List<Instant> times = new ArrayList<>();
    for (Release release : releases.values()) {
      Instant started = release.startedBy();
      if (!release.releasedAt.isBefore(releasedSince) && !started.isBefore(since)) {
        times.add(started);
      }
    }
    times.sort(null);
    return times;
  }

  /**
   * A test double: scans every event and release, but deletes as the durable stores do, at most
   * {@code max} of each, keeping the newest event and release.
   */
  @Override
  public synchronized Pruned prune(Instant settledBefore, Instant releasedBefore, int max) {
    BacklogArguments.checkPrune(settledBefore, releasedBefore, max);
    open();
    long newestEvent = nextEventId - 1;
    int events = 0;
    boolean more = false;
    for (Iterator<Entry> it = new TreeMap<>(byId).values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      boolean settled = e.state == State.DONE || e.state == State.PURGED;
      if (!settled || e.id == newestEvent || !e.settledAt.isBefore(settledBefore)) {
        continue;
      }
      if (events == max) {
        more = true;
        break;
      }
      byId.remove(e.id);
      byIdentity.remove(e.event.identity());
      if (e.state == State.DONE) {
        done--;
      }
      events++;
    }
    long newestRelease = nextReleaseId - 1;
    int deleted = 0;
    for (Iterator<Release> it = releases.values().iterator(); it.hasNext(); ) {
      Release r = it.next();
      if (r.outcome == null || r.id == newestRelease || !r.releasedAt.isBefore(releasedBefore)) {
        continue;
      }
      if (deleted == max) {
        more = true;
        break;
      }
      it.remove();
      deleted++;
    }
    return new Pruned(events, deleted, more);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("backlog is closed");
    }
  }
}
